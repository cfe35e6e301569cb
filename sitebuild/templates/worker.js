// The page's Python worker, rendered by Panel's converter in place of its own worker template.
// Differences from Panel's: Pyodide comes from this site (./pyodide/), every package is
// loaded in one parallel loadPackage call from the served pyodide-lock.json (no micropip,
// no request to PyPI), the page is told each loading stage, and failures are reported
// in words a visitor can act on.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const PACKAGES = __PACKAGES__;
const PANEL_CDN_ROOT = __PANEL_CDN_ROOT__;

let stage = 'Loading the Python runtime'
let failed = false

function status(msg) {
  self.postMessage({type: 'status', msg: msg})
}

function fail(error) {
  console.error(error)
  if (failed) { return }
  failed = true
  const lines = `${error}`.trim().split('\n')
  self.postMessage({type: 'error', msg: `${stage} failed: ${lines[lines.length - 1]} Reload the page to try again.`})
}

// Pyodide does not report every failed download (without pyodide.asm.wasm it waits forever),
// so each download the worker makes is checked here and a failure is reported at once.
// A download started early (prefetchPackages) is handed over instead of being made again.
const siteFetch = self.fetch.bind(self)
const prefetched = new Map()
self.fetch = async (resource, options) => {
  const url = new URL(resource.url || resource, self.location)
  const name = url.pathname.split('/').pop()
  const early = prefetched.get(url.href)
  prefetched.delete(url.href)
  let response
  try {
    response = await (early || siteFetch(resource, options))
  } catch (e) {
    fail(`${name} could not be downloaded (${e.message}).`)
    throw e
  }
  if (!response.ok) {
    fail(`${name} could not be downloaded (HTTP ${response.status}).`)
  }
  return response
}

// The wheels download while the runtime starts, instead of after it: Pyodide's loadPackage
// then finds them under way or done. Each is checked against its sha256 from the served lock.
async function prefetchPackages() {
  const lockUrl = new URL('./pyodide/pyodide-lock.json', self.location).href
  const lockResponse = siteFetch(lockUrl)
  prefetched.set(lockUrl, lockResponse)
  const lock = await (await lockResponse).clone().json()
  for (const name of PACKAGES) {
    const entry = lock.packages[name]
    const url = new URL(`./pyodide/${entry.file_name}`, self.location).href
    const download = siteFetch(url, {integrity: sri(entry.sha256)})
    download.catch(() => {})   // reported when loadPackage takes it over, not as an unhandled rejection
    prefetched.set(url, download)
  }
}

function sendPatch(patch, buffers, msg_id) {
  self.postMessage({type: 'patch', patch: patch, buffers: buffers})
}

// Panel >= 1.8 compares values with pyodide.ffi.jsnull, which Pyodide 0.27 lacks; 0.27
// already turns JS null into None, so a sentinel that matches nothing keeps Panel's logic.
const JSNULL_SHIM = `
import pyodide.ffi
if not hasattr(pyodide.ffi, "jsnull"):
    pyodide.ffi.jsnull = type("JsNullShim", (), {})()
`

// panel.io.pyodide imports pandas only to patch pandas.read_csv and read_json for URLs. This app
// never uses pandas, so the site may leave it out (build.py's "no-pandas"): then Panel gets a
// stand-in while it imports, and nothing else sees a pandas module.
const PANDAS_STANDIN = `
import importlib.machinery, importlib.util, sys, types
if importlib.util.find_spec("pandas") is None:
    def _not_shipped(*args, **kwargs):
        raise ModuleNotFoundError("pandas is not part of this site")
    _standin = types.ModuleType("pandas")
    _standin.__spec__ = importlib.machinery.ModuleSpec("pandas", None)
    _standin.read_csv = _standin.read_json = _not_shipped
    sys.modules["pandas"] = _standin
    try:
        import panel   # imports panel.io.pyodide, the one module that asks for pandas
    finally:
        del sys.modules["pandas"]
`

// Starting the app makes hundreds of thousands of objects (modules, Panel and Bokeh models) that
// live as long as the page. The cycle collector would walk them again and again while they are
// made, and on every later collection: it pauses while the app starts, and then everything made
// so far is frozen (gc.freeze: left out of all later collections).
const GC_PAUSE = `
import gc
gc.disable()
`
const GC_RESUME = `
import gc
gc.freeze()
gc.enable()
`

// Panel holds the document while the app builds it and replays the held events once the
// page has rendered. The page already has that state (docs_json is serialized after those
// events), and with a template the replay names models the page never received
// ("reference ... isn't known"), so the held events are dropped before rendering.
const DROP_HELD_EVENTS = `
from panel.io.state import state
state.curdoc.callbacks._held_events.clear()
`

// The start, made once at build time and replayed on every load (sitebuild/snapshot.py): the
// build runs this worker with ?make-snapshot in Chromium and keeps Python's whole memory after the
// app was built, the site-packages files and the app's first render. A visitor's worker puts that
// memory back instead of booting Python, loading the packages, importing Panel and building the
// app. Python's C extensions (numpy's) live outside that memory, in wasm modules of their own: they
// are loaded again in the same order, at the same addresses (recorded in `dynlibs`), and their
// data keeps the values it had (instantiating a module would reset it).
const SNAPSHOT = null   // filled in by sitebuild/snapshot.py
const MAKING_SNAPSHOT = new URL(self.location.href).searchParams.has('make-snapshot')
const SITE_PACKAGES = '/lib/python3.12/site-packages'

function sri(sha256hex) {
  const digest = String.fromCharCode(...sha256hex.match(/../g).map((byte) => parseInt(byte, 16)))
  return `sha256-${btoa(digest)}`
}

// The snapshot's files are fetched past the download check above: a missing one means starting
// from scratch, not a failed page.
async function snapshotFile(file, options) {
  const response = await siteFetch(new URL(file.url, self.location).href, options)
  if (!response.ok) {
    throw new Error(`${file.url}: HTTP ${response.status}`)
  }
  return response
}

// The two big files unpack while they download (subresource integrity would wait for the whole
// file first), into `bytes` when given. gzip's checksum catches a damaged file; the sha256 each one
// starts with must be the one app.js names, so a deployment half old and half new is caught too.
async function unpacked(file, bytes = new Uint8Array(file.length)) {
  const response = await snapshotFile(file)
  const reader = response.body.pipeThrough(new DecompressionStream('gzip')).getReader()
  const digest = new Uint8Array(32)
  let at = -digest.length   // the first 32 bytes go to `digest`
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    let piece = chunk.value
    if (at < 0) {
      const head = piece.subarray(0, -at)
      digest.set(head, digest.length + at)
      at += head.length
      piece = piece.subarray(head.length)
    }
    if (at + piece.length > bytes.length) { throw new Error(`${file.url} is longer than expected`) }
    bytes.set(piece, at)
    at += piece.length
  }
  const named = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
  if (at !== bytes.length || named !== file.sha256) {
    throw new Error(`${file.url} is not the one this app.js was built with`)
  }
  return bytes
}

// Each dynamic library Pyodide loads gets a handle (emscripten's struct dso, 64 zeroed bytes in
// Python's memory) on which emscripten writes where the library's data and functions went.
function recordDynlibs(pyodide) {
  const Module = pyodide._module
  const load = Module.loadDynamicLibrary
  const dynlibs = []
  Module.loadDynamicLibrary = async (name, flags, localScope, handle) => {
    if (handle === undefined) {
      handle = Module._calloc(1, 64)
    }
    const result = await load(name, flags, localScope, handle)
    const words = Module.HEAPU32
    dynlibs.push({name: name, global: Boolean(flags.global), handle: handle,
                  memoryBase: words[(handle + 12) >> 2], memorySize: words[(handle + 16) >> 2],
                  tableBase: words[(handle + 20) >> 2]})
    return result
  }
  return dynlibs
}

// The files of site-packages, for a restored Python to import from and read. The bytecode of
// modules already imported is in the snapshot's memory: those files stay, empty (a listing of a
// package still names them). The wheels' .data folders are never read, nor are the sources and
// headers they ship for compilers and type checkers (NEVER_READ: 2 MB in 350 files).
const NEVER_READ = /\.(pyi|pxd|pyx|h|c|a|ts|less)$|\/py\.typed$/
const IMPORTED_BYTECODE = `
import sys
sorted({path for m in list(sys.modules.values()) if getattr(m, "__spec__", None)
        for path in (m.__spec__.origin, m.__spec__.cached) if (path or "").endswith(".pyc")})
`

function siteFiles(pyodide) {
  const FS = pyodide.FS
  const imported = new Set(pyodide.runPython(IMPORTED_BYTECODE).toJs())
  const entries = []
  const chunks = []
  let size = 0
  const walk = (dir) => {
    for (const name of FS.readdir(dir).sort()) {
      if (name === '.' || name === '..' || (dir === SITE_PACKAGES && name.endsWith('.data'))) { continue }
      const path = `${dir}/${name}`
      if (FS.isDir(FS.stat(path).mode)) {
        walk(path)
      } else if (!NEVER_READ.test(path)) {
        const bytes = imported.has(path) ? new Uint8Array(0) : FS.readFile(path)
        entries.push([path, bytes.length])
        chunks.push(bytes)
        size += bytes.length
      }
    }
  }
  walk(SITE_PACKAGES)
  const header = new TextEncoder().encode(JSON.stringify(entries))
  const image = new Uint8Array(4 + header.length + size)
  new DataView(image.buffer).setUint32(0, header.length, true)
  image.set(header, 4)
  let at = 4 + header.length
  for (const chunk of chunks) {
    image.set(chunk, at)
    at += chunk.length
  }
  return image
}

// Each file's content stays where it is in the image (no copy): MEMFS owns that part of it.
function writeSiteFiles(FS, image) {
  const headerLength = new DataView(image.buffer, image.byteOffset).getUint32(0, true)
  const entries = JSON.parse(new TextDecoder().decode(image.subarray(4, 4 + headerLength)))
  let at = 4 + headerLength
  let folder = null
  for (const [path, size] of entries) {
    const slash = path.lastIndexOf('/')
    if (path.slice(0, slash) !== folder) {
      folder = path.slice(0, slash)
      FS.mkdirTree(folder)
    }
    FS.createDataFile(folder, path.slice(slash + 1), image.subarray(at, at + size), true, true, true)
    at += size
  }
}

async function replayDynlibs(pyodide, dynlibs, tableLength) {
  const Module = pyodide._module
  for (const lib of dynlibs) {
    if (Module.wasmTable.length > lib.tableBase) {
      throw new Error(`the function table is already longer than where ${lib.name} belongs`)
    }
    const data = Module.HEAPU8.slice(lib.memoryBase, lib.memoryBase + lib.memorySize)
    const flags = {loadAsync: true, nodelete: true, allowUndefined: true, global: lib.global, fs: Module.FS}
    await Module.loadDynamicLibrary(lib.name, flags, lib.global ? null : {}, lib.handle)
    Module.HEAPU8.set(data, lib.memoryBase)
    const base = lib.name.slice(lib.name.lastIndexOf('/') + 1)
    Module.LDSO.loadedLibsByName[base] ||= Module.LDSO.loadedLibsByName[lib.name]
  }
  if (Module.wasmTable.length < tableLength) {
    Module.wasmTable.grow(tableLength - Module.wasmTable.length)
  }
}

// What Python holds of JavaScript is saved by name. Panel keeps one JS function of its own (its
// _dict_converter, made with run_js); the restored Python gets this one, which does the same.
const JS_OBJECTS = {
  panelDictConverter: {
    matches: (obj) => typeof obj === 'function' && String(obj).includes('Object.fromEntries(entries)'),
    make: () => (entries) => Object.fromEntries(entries.map(([key, value]) => [key, value === undefined ? null : value])),
  },
}

function serializeJsObject(obj) {
  for (const [name, known] of Object.entries(JS_OBJECTS)) {
    if (known.matches(obj)) { return {name: name} }
  }
  throw new Error(`Python holds a JavaScript object the snapshot cannot save: ${String(obj).slice(0, 200)}`)
}

function deserializeJsObject(saved) {
  return JS_OBJECTS[saved.name].make()
}

// A returning visitor's worker reads the unpacked memory and files from the browser's private file
// system (OPFS), where the first visit kept them, instead of downloading and unpacking them again:
// reading 80 MB takes ~0.1 s, unpacking it ~1.5 s of a busy core. They are named by their sha256, so
// a new build never reads an old build's start; a copy of the wrong size (a write cut short) is
// not used. Where OPFS is missing (some private windows) the start is downloaded every time.
const KEPT_FOLDER = 'saved-start'
const KEEP_AFTER_MS = 4000   // kept once the app is up and the visitor busy with it, not during the start

async function keptFolder(create = false) {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(KEPT_FOLDER, {create: create})
}

// Reads a kept file into `bytes`; false when there is no usable copy.
async function readKept(folder, file, bytes) {
  const handle = await folder.getFileHandle(`${file.sha256}.bin`)
  const access = await handle.createSyncAccessHandle()
  try {
    return access.getSize() === bytes.length && access.read(bytes, {at: 0}) === bytes.length
  } finally {
    access.close()
  }
}

// The memory and files of the last visit into `memory` and a new buffer, or null.
async function keptStart(memory) {
  try {
    const folder = await keptFolder()
    const files = new Uint8Array(SNAPSHOT.files.length)
    if (await readKept(folder, SNAPSHOT.memory, memory) && await readKept(folder, SNAPSHOT.files, files)) {
      return files
    }
  } catch (e) {
    // not kept yet, or another tab is reading it: download it
  }
  return null
}

// Keeps this build's memory and files for the next visit and drops any other build's. Each file is
// written whole or not at all (a writable stream replaces the file only when closed).
async function keepStart(memory, files) {
  const folder = await keptFolder(true)
  const keep = new Map([[`${SNAPSHOT.memory.sha256}.bin`, memory], [`${SNAPSHOT.files.sha256}.bin`, files]])
  const names = []
  for await (const name of folder.keys()) { names.push(name) }
  for (const name of names.filter((name) => !keep.has(name))) { await folder.removeEntry(name) }
  for (const [name, bytes] of keep) {
    const writable = await (await folder.getFileHandle(name, {create: true})).createWritable()
    await writable.write(bytes)
    await writable.close()
  }
}

async function forgetKeptStart() {
  await (await navigator.storage.getDirectory()).removeEntry(KEPT_FOLDER, {recursive: true})
}

// Every visitor starts from the same memory: what was random in it is drawn again.
const AFTER_RESTORE = `
import sys
if "random" in sys.modules:
    sys.modules["random"].seed()
`

// Pyodide needs the memory's size when it starts and its content only once the runtime is up: the
// memory downloads (or is read from the last visit's copy) while the runtime starts, into the buffer
// Pyodide was given, and the runtime waits for it (and for the files) in its file-system hook. A failed
// download leaves the buffer without Pyodide's magic number, so it can never be taken for a snapshot.
// Returns the started Pyodide, the first render, and what keeps the start for the next visit (or null).
async function startFromSnapshot() {
  stage = 'Loading the Python runtime'
  const memory = new Uint8Array(SNAPSHOT.memory.length)
  let keep = null
  const downloads = keptStart(memory).then(async (kept) => {
    if (kept) { return [null, kept] }
    const downloaded = await Promise.all([unpacked(SNAPSHOT.memory, memory), unpacked(SNAPSHOT.files)])
    keep = () => keepStart(memory, downloaded[1])
    return downloaded
  })
  const render = snapshotFile(SNAPSHOT.render, {integrity: sri(SNAPSHOT.render.sha256)}).then((response) => response.json())
  for (const part of [downloads, render]) { part.catch(() => {}) }   // reported when awaited
  let failure = null
  const fsInit = async (FS) => {
    try {
      const [, files] = await downloads
      writeSiteFiles(FS, files)
    } catch (e) {
      failure = e
      memory.fill(0, 0, 64)
    }
  }
  let pyodide
  try {
    pyodide = await loadPyodide({env: {PANEL_CDN_ROOT: PANEL_CDN_ROOT}, _loadSnapshot: memory, fsInit: fsInit,
                                 _snapshotDeserializer: deserializeJsObject})
  } catch (e) {
    throw failure || e
  }
  if (failure) { throw failure }
  stage = 'Starting the app'
  await replayDynlibs(pyodide, SNAPSHOT.dynlibs, SNAPSHOT.tableLength)
  Object.assign(pyodide.loadedPackages, SNAPSHOT.loadedPackages)
  pyodide.runPython(AFTER_RESTORE)
  return [pyodide, await render, keep]
}

async function startFromScratch() {
  stage = 'Loading the Python runtime'
  status('Loading the Python runtime…')
  prefetchPackages().catch(() => {})   // a failure shows up when loadPackage asks for the file
  // The env makes stylesheet URLs that Panel builds in the worker point into this site.
  const env = {PANEL_CDN_ROOT: PANEL_CDN_ROOT}
  if (MAKING_SNAPSHOT) { env.PLAYGROUND_SNAPSHOT = '1' }   // the app rehearses an answer (playground/app.py)
  const pyodide = await loadPyodide({env: env, _makeSnapshot: MAKING_SNAPSHOT})
  const dynlibs = MAKING_SNAPSHOT ? recordDynlibs(pyodide) : null
  stage = 'Loading the Python packages'
  status(`Loading ${PACKAGES.length} Python packages…`)
  await pyodide.loadPackage(PACKAGES, {messageCallback: () => {}, errorCallback: (msg) => console.warn(msg)})
  pyodide.runPython(JSNULL_SHIM)
  stage = 'Starting the app'
  status('Starting the app…')
  pyodide.runPython(GC_PAUSE)
  pyodide.runPython(PANDAS_STANDIN)
  self.pyodide = pyodide   // the app's code below runs with self.pyodide
  const [docs_json, render_items, root_ids] = await pyodide.runPythonAsync(`{{ code }}`)
  pyodide.runPython(DROP_HELD_EVENTS)
  pyodide.runPython(GC_RESUME)
  const render = {type: 'render', docs_json: docs_json, render_items: render_items, root_ids: root_ids}
  if (MAKING_SNAPSHOT) {
    const loaded = Object.keys(pyodide._module.LDSO.loadedLibsByName)
    const recorded = new Set(dynlibs.flatMap((lib) => [lib.name, lib.name.slice(lib.name.lastIndexOf('/') + 1)]))
    const unrecorded = loaded.filter((name) => name !== '__main__' && !recorded.has(name))
    if (unrecorded.length) {
      throw new Error(`libraries loaded outside Pyodide's loader cannot be replayed: ${unrecorded}`)
    }
    // Pyodide snapshots only a runtime with no package loaded: its record of loaded packages is
    // emptied for the snapshot and refilled after each restore.
    const loadedPackages = {...pyodide.loadedPackages}
    for (const name of Object.keys(loadedPackages)) { delete pyodide.loadedPackages[name] }
    const memory = pyodide.makeMemorySnapshot({serializer: serializeJsObject})
    const files = siteFiles(pyodide)
    self.postMessage({type: 'snapshot', memory: memory, files: files, render: render, dynlibs: dynlibs,
                      tableLength: pyodide._module.wasmTable.length, loadedPackages: loadedPackages},
                     [memory.buffer, files.buffer])
    return null
  }
  return [pyodide, render]
}

async function startApplication() {
  let started
  try {
    if (SNAPSHOT && !MAKING_SNAPSHOT) {
      status('Starting the app…')
      try {
        started = await startFromSnapshot()
      } catch (e) {
        console.error('The saved start could not be used, starting from scratch:', e)
        forgetKeptStart().catch(() => {})   // a kept copy that failed is not read again
      }
    }
    started ||= await startFromScratch()
  } catch (e) {
    return fail(e)
  }
  if (started === null) { return }   // the snapshot went to the build
  const [pyodide, render, keep] = started
  self.pyodide = pyodide
  pyodide.globals.set("sendPatch", sendPatch)
  self.postMessage(render)
  if (keep) {
    setTimeout(() => keep().catch((e) => console.warn('The start could not be kept for the next visit:', e)),
               KEEP_AFTER_MS)
  }
}

// Panel's own message protocol (self.onmessage ...) and the startApplication() call are
// appended here by sitebuild/convert.py from the installed Panel's pyodide_worker.js.
