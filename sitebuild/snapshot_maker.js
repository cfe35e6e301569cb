// The snapshot maker's half in the browser (build only: sitebuild/snapshot.py serves it beside app.js
// as make-snapshot.js while it makes the start; no visitor ever loads it). The worker, started with
// ?make-snapshot, imports it and calls, in this order:
//   recordDynlibs(pyodide)      right after Pyodide booted, before any package is loaded;
//   warmUp(pyodide)             once the app is built: answers one change as a visitor's first would,
//                               so what answering needs is imported and warm in every visitor's copy;
//                               returns the app's first render, serialized after it;
//   snapshotMessage(pyodide, dynlibs, render)   what sitebuild/snapshot.py receives.
import { jsObjectSerializer } from './saved-start.js'

const SITE_PACKAGES = '/lib/python3.12/site-packages'

// The warm-up goes through the app's public state: the one GraphState the app keeps at module level
// (playground/app.py); a leaf changed and changed back. The regular expressions the start compiled are
// dropped first: the warm-up compiles again those an answer uses, a visitor the others when first needed. The first real answer then takes about half
// as long. The document is then serialized again, so the render matches what Python holds.
const WARM_UP = `
import re
re.purge()   # ~200 patterns the start compiled (0.2 MB): the warm-up compiles again those answering needs
from playground.graph import GraphState
from panel.io.pyodide import write_doc

_states = [value for value in list(globals().values()) if isinstance(value, GraphState)]
if len(_states) != 1:
    raise RuntimeError(f"the snapshot's warm-up expects one GraphState in the app, found {len(_states)}")
_leaf, _value = next(iter(_states[0].values.items()))
_states[0].set_value(_leaf, _value + 1.0)
_states[0].set_value(_leaf, _value)
del _states, _leaf, _value
await write_doc()
`

export async function warmUp(pyodide) {
  const rendered = await pyodide.runPythonAsync(WARM_UP)
  const [docs_json, render_items, root_ids] = rendered.toJs()
  rendered.destroy()   // else Python keeps the tuple, and every visitor its 0.25 MB document
  return {type: 'render', docs_json: docs_json, render_items: render_items, root_ids: root_ids}
}

// The function table as Pyodide's boot left it, before any package: a restore checks that its own boot laid it
// out alike (saved_start.js, tableLaidOutAlike). Pyodide's count-args helper (a wasm function that counts a C
// function's parameters, so that Python calls it directly) takes the boot's last slot; Pyodide leaves it out on
// iOS, and the runtime keeps its slot number in Python's memory (_PyRuntime, at the offset the runtime names).
let boot = null

function recordBoot(Module) {
  const countArgsAt = Module.__PyRuntime + Module.HEAP32[Module.__PyEM_EMSCRIPTEN_COUNT_ARGS_OFFSET >> 2]
  boot = {tableLength: Module.wasmTable.length, countArgs: {at: countArgsAt, slot: Module.HEAP32[countArgsAt >> 2]}}
}

// Each dynamic library Pyodide loads gets a handle (emscripten's struct dso, 64 zeroed bytes in
// Python's memory) on which emscripten writes where the library's data and functions went.
export function recordDynlibs(pyodide) {
  const Module = pyodide._module
  recordBoot(Module)
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

// The files of site-packages, for a restored Python to import from and read, in two images. The
// bytecode of modules already imported is in the snapshot's memory: those files stay, empty (a listing
// of a package still names them). The wheels' .data folders are never read, nor are the sources and
// headers they ship for compilers and type checkers, Panel's npm lock and pyviz_comms' JupyterLab
// extension (NEVER_READ: 2 MB in 350 files). What no first answer reads (`later`) is a second image that
// a visitor's worker fetches after its first answer (later_files.js): the bytecode of modules not
// imported and the libraries not replayed; the data files of packages not imported (read after an
// import, which fetches the later files first); Bokeh's SRI hashes of its other versions (it reads its
// own version's only: 56 KB of zstd); what only pip and importlib.metadata's
// files() read in a wheel's .dist-info (its RECORD, licenses; METADATA and the entry points stay:
// packages look up each other's versions and plugins); the project's own sources (only a traceback reads
// them: its bytecode is in the memory, or later).
const NEVER_READ = /\.(pyi|pxd|pyx|h|c|a|ts|less)$|\/py\.typed$|^panel\/package-lock\.json$|^pyviz_comms\/labextension\//
const READ_IN_DIST_INFO = /\.dist-info\/(METADATA|entry_points\.txt|top_level\.txt)$/
const PROJECT_SOURCES = /^(engine|playground)\/.*\.py$/
// The files of the modules Python imported: their bytecode (.pyc) and C extensions (.so).
const IMPORTED_FILES = `
import sys
sorted({path for m in list(sys.modules.values()) if getattr(m, "__spec__", None)
        for path in (m.__spec__.origin, m.__spec__.cached) if (path or "").endswith((".pyc", ".so"))})
`

function importedFiles(pyodide, suffix) {
  return new Set(pyodide.runPython(IMPORTED_FILES).toJs().filter((path) => path.endsWith(suffix)))
}

function image(files) {
  const entries = files.map(([path, bytes]) => [path, bytes.length])
  const header = new TextEncoder().encode(JSON.stringify(entries))
  const size = files.reduce((total, [, bytes]) => total + bytes.length, 0)
  const packed = new Uint8Array(4 + header.length + size)
  new DataView(packed.buffer).setUint32(0, header.length, true)
  packed.set(header, 4)
  let at = 4 + header.length
  for (const [, bytes] of files) {
    packed.set(bytes, at)
    at += bytes.length
  }
  return packed
}

// [the start's files, the later ones]; `replayed`: the libraries a restore loads again.
function siteFiles(pyodide, replayed) {
  const FS = pyodide.FS
  const imported = importedFiles(pyodide, '.pyc')
  // The folders of the packages imported (and their parents): a data file belongs to the nearest
  // package folder it is in (a folder with an __init__), whose modules read it.
  const importedFolders = new Set()
  for (const path of imported) {
    for (let folder = path.slice(0, path.lastIndexOf('/')); folder.length > SITE_PACKAGES.length;
         folder = folder.slice(0, folder.lastIndexOf('/'))) {
      importedFolders.add(folder)
    }
  }
  const packageOf = (path) => {
    let folder = path.slice(0, path.lastIndexOf('/'))
    while (folder.length > SITE_PACKAGES.length && !FS.analyzePath(`${folder}/__init__.pyc`).exists &&
           !FS.analyzePath(`${folder}/__init__.py`).exists) {
      folder = folder.slice(0, folder.lastIndexOf('/'))
    }
    return folder
  }
  const bokehSri = `bokeh/_sri/${pyodide.runPython('import bokeh; bokeh.__version__')}.json`
  const isLater = (path, inSite) => !replayed.has(path) && (path.endsWith('.pyc') || path.endsWith('.so') ||
    PROJECT_SOURCES.test(inSite) || (inSite.includes('.dist-info/') && !READ_IN_DIST_INFO.test(inSite)) ||
    (inSite.startsWith('bokeh/_sri/') && inSite !== bokehSri) ||
    (!inSite.includes('.dist-info/') && !importedFolders.has(packageOf(path))))
  const start = []
  const later = []
  const walk = (dir) => {
    for (const name of FS.readdir(dir).sort()) {
      if (name === '.' || name === '..' || (dir === SITE_PACKAGES && name.endsWith('.data'))) { continue }
      const path = `${dir}/${name}`
      const inSite = path.slice(SITE_PACKAGES.length + 1)
      if (FS.isDir(FS.stat(path).mode)) {
        walk(path)
      } else if (imported.has(path)) {
        start.push([path, new Uint8Array(0)])
      } else if (!NEVER_READ.test(inSite)) {
        (isLater(path, inSite) ? later : start).push([path, FS.readFile(path)])
      }
    }
  }
  walk(SITE_PACKAGES)
  return [image(start), image(later)]
}


// What the build keeps of a worker that started from scratch with ?make-snapshot (dynlibs recorded by
// recordDynlibs from its start on): the message sitebuild/snapshot.py receives.
export function snapshotMessage(pyodide, dynlibs, render) {
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
  // Pyodide's loadPackage loads every library of a package (numpy's 19); the app imports 3 of them, and a
  // restored worker loads only those (saved_start.js).
  const extensions = importedFiles(pyodide, '.so')
  for (const lib of dynlibs) { lib.imported = extensions.has(lib.name) }
  pyodide.runPython(LEAVE_OUT)
  zeroFreeMemory(pyodide._module)
  const heap = mallocHeap(pyodide._module)
  const memory = pyodide.makeMemorySnapshot({serializer: jsObjectSerializer(pyodide)})
  const replayed = new Set(dynlibs.filter((lib) => lib.global || lib.imported).map((lib) => lib.name))
  const [files, later] = siteFiles(pyodide, replayed)
  return {type: 'snapshot', memory: memory, files: files, later: later, render: render, dynlibs: dynlibs,
          tableLength: pyodide._module.wasmTable.length, boot: boot, loadedPackages: loadedPackages, heap: heap}
}

// What no visitor's Python reads is left out of the memory every visitor downloads:
// - garbage: the start runs with the cycle collector paused (worker.js, GC_PAUSE), then freezes what it
//   made, garbage and all; collected here, once, then frozen again;
// - the docstrings Panel, param and Bokeh write as they start (Bokeh documents every property of every
//   glyph method: 0.6 MB); only help() reads them. numpy's and the project's own stay (numpy reads its
//   own; the lesson shows ours);
// - what Python read of the standard library's zip directory: a restore starts with an empty zip, and
//   when the real one is placed (later_files.js) importlib.invalidate_caches() reads it again.
const LEAVE_OUT = `
import gc
import importlib.metadata
import types
import zipimport

for _files in zipimport._zip_directory_cache.values():
    _files.clear()   # the zipimporters share each archive's dict
del _files
importlib.metadata.FastPath.__new__.cache_clear()

def _leave_out_docstrings(keep=("numpy", "engine", "playground")):
    for obj in gc.get_objects():
        if isinstance(obj, types.FunctionType):
            doc = obj.__doc__
        elif isinstance(obj, type):
            doc = obj.__dict__.get("__doc__")   # its own, not a property its metaclass gives
        else:
            continue
        if isinstance(doc, str):
            if str(getattr(obj, "__module__", None) or "").split(".")[0] not in keep:
                try:
                    obj.__doc__ = None
                except (AttributeError, TypeError):   # a type that does not take one
                    pass

gc.unfreeze()
_leave_out_docstrings()
del _leave_out_docstrings
gc.collect()
gc.freeze()
`

// Memory C's malloc has freed still holds what was there: zstd packs it like live data. calloc hands
// out each free chunk zeroed; given back at once, it stays zero (but for malloc's own few words).
// Only chunks below the heap's top are taken (the top is zero already): one that came from the top
// (at or above topStart) is given back at once and ends its size.
function zeroFreeMemory(Module) {
  const topStart = Module._sbrk(0) - mallocHeap(Module).top - 64
  const taken = []
  for (let size = 1 << 20; size >= 16; size >>= 1) {   // Pyodide's Python has no pymalloc: its objects are malloc's
    for (let chunk = Module._calloc(1, size - 8); chunk; chunk = Module._calloc(1, size - 8)) {
      if (chunk >= topStart) {
        Module._free(chunk)
        break
      }
      taken.push(chunk)
    }
  }
  for (const chunk of taken) { Module._free(chunk) }
  return taken.length
}

// What the memory image holds, for the build's report (docs/site.md): C's heap (dlmalloc's mallinfo:
// bytes it got from the system, in use, free, and free at its top), in bytes.
function mallocHeap(Module) {
  if (typeof Module._mallinfo !== 'function') { return null }
  const info = Module._calloc(1, 40)
  try {
    Module._mallinfo(info)   // struct mallinfo returned through a pointer (wasm32's sret)
    const word = (i) => Module.HEAPU32[(info >> 2) + i]
    return {arena: word(0), used: word(7), free: word(8), top: word(9)}
  } finally {
    Module._free(info)
  }
}
