// What no first answer needs comes after it: the bytecode of the modules not imported while the start
// was made and the libraries not replayed, and files no first answer reads (SNAPSHOT.later, 2 MB of zstd), and
// Pyodide's standard library (SNAPSHOT.stdlib, 2.5 MB: the modules of it that Python imported are in the memory; the start installs
// an empty zip in its place). The worker fetches them once the page has been quiet for 2 s (fetchLater).
// Until they are in place, Python's first import of anything new fetches them first, synchronously (a
// worker may), so an import never fails for coming early: a finder first in sys.meta_path asks for them.
import { compiledDecoder, mustBeNamed, snapshotFile, unpacked, writeSiteFiles } from "./snapshot-files.js";
import { unzstdNow } from "./unzstd.js";

const STDLIB_PATH = '/lib/python312.zip'   // where Pyodide installs its standard library (Python 3.12)

const LATER_FINDER = `
import importlib
import sys


class LaterFiles:
    """saved_start.js: until the later files are in place, an import fetches them first."""
    def __init__(self, fetch_now):
        self.fetch_now = fetch_now

    def find_spec(self, name, path=None, target=None):
        if self.fetch_now is not None:
            try:
                self.fetch_now()   # places them, then calls placed() below
            except Exception as error:
                raise ImportError(f"{name}: Python's files could not be downloaded ({error})") from None
        return None


def install(fetch_now):
    finder = LaterFiles(fetch_now)
    sys.meta_path.insert(0, finder)

    def placed():
        finder.fetch_now = None   # it stays in sys.meta_path: removed during an import, a finder would be skipped
        importlib.invalidate_caches()   # the file finders' listings and the zip's directory are read again
    return placed

install
`

// One synchronous download, for an import that cannot wait. `query`: see fetchNow.
function downloadNow(url, query = '') {
  const request = new XMLHttpRequest()
  request.open('GET', new URL(url, self.location).href + query, false)
  request.responseType = 'arraybuffer'
  request.send()
  if (request.status !== 200) { throw new Error(`${url}: HTTP ${request.status}`) }
  return new Uint8Array(request.response)
}

// Installs the finder in the restored Python; returns fetchLater(), which fetches and places the files
// (once: a second call, or one after an import placed them, does nothing); fetchLater.placed resolves when
// they are in, by either way. `compiling`: zstd's decoder
// being compiled for the start's download, if there was one.
export function laterFiles(snapshot, pyodide, compiling = null) {
  let placed = null
  let decoder = null       // zstd's decoder, once compiled
  let fetching = false     // fetchLater's downloads are under way
  compiling?.then((module) => (decoder = module), () => {})
  const stop = new AbortController()
  let arrived
  const placedPromise = new Promise((resolve) => { arrived = resolve })
  const place = (image, stdlib) => {
    if (placed === null) { return }
    pyodide.FS.writeFile(STDLIB_PATH, stdlib)
    writeSiteFiles(pyodide.FS, image)
    const done = placed
    placed = null
    done()
    done.destroy()
    arrived()
  }
  const fetchNow = () => {
    // A download under way is not waited for (an import cannot wait), and not asked for again under the
    // same URL: the browser's HTTP cache would hold the new request until the one under way is done, and
    // that one waits for this thread (blocked here) to take its bytes: the page hung (seen in tests). The
    // service worker's cache, offline, answers either URL (it ignores the query).
    const query = fetching ? '?now' : ''
    stop.abort()
    const module = decoder || new WebAssembly.Module(downloadNow(snapshot.decoder.url, query))
    const image = unzstdNow(module, downloadNow(snapshot.later.url, query), 32 + snapshot.later.length)
    mustBeNamed(snapshot.later, image.subarray(0, 32), image.length - 32)
    place(image.subarray(32), downloadNow(snapshot.stdlib.url, query))
  }
  const install = pyodide.runPython(LATER_FINDER)
  placed = install(fetchNow)
  install.destroy()
  const fetchLater = async () => {
    if (placed === null) { return }
    compiling ||= compiledDecoder(snapshot)
    compiling.then((module) => (decoder = module), () => {})
    const options = {signal: stop.signal}
    fetching = true
    try {
      const [image, stdlib] = await Promise.all([
        unpacked(snapshot.later, compiling, () => {}, undefined, options),
        snapshotFile(snapshot.stdlib, options).then((response) => response.arrayBuffer()),
      ])
      place(image, new Uint8Array(stdlib))
    } catch (e) {
      if (!stop.signal.aborted) { throw e }
    } finally {
      fetching = false
    }
  }
  fetchLater.placed = placedPromise
  return fetchLater
}
