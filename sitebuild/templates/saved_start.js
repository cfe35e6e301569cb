// The start, made once at build time and replayed on every load: the worker's other half (app.js,
// templates/worker.js, imports it). One entry, savedStart(): a ready Pyodide with the app built, or
// null (then the worker starts from scratch). The build's snapshot maker (sitebuild/snapshot.py and
// sitebuild/snapshot_maker.js) runs the worker once with ?make-snapshot in Chromium, keeps Python's
// whole memory after the app was built, the site-packages files and the app's first render, and
// names them here in SNAPSHOT. A visitor's worker puts that memory back instead of booting Python,
// loading the packages, importing Panel and building the app. Python's C extensions (numpy's) live
// outside that memory, in wasm modules of their own: those Python imported are loaded again in the same
// order, at the same addresses (recorded in `dynlibs`), and their data keeps the values it had (instantiating a
// module would reset it). A return visit reads the memory and files kept on the device by the first
// (keepStart). The Pyodide internals this relies on are listed in docs/site.md.
import { runtime, watchInstantiation } from "./function-table.js";
import { laterFiles } from "./later-files.js";
import { compiledDecoder, putBackLibraryData, putBackRuntimeData, runtimeData, sri, unpacked, writeSiteFiles } from "./snapshot-files.js";

export { sri };

const SNAPSHOT = null   // filled in by sitebuild/snapshot.py
// Only the libraries Python had imported are loaded again (numpy's 3 of 19, 4.6 of 7.5 MB of wasm):
// nothing in the memory points into the others. Each library gets back the table slots and memory
// recorded in its handle, whatever was loaded before it; one imported later (say numpy.random) is
// loaded then, as any library is the first time, from the files written below.
function replayed(dynlibs) {
  return dynlibs.filter((lib) => lib.global || lib.imported !== false)
}

// The libraries' wasm is compiled as soon as the files are written, in the
// browser's background threads, while Pyodide restores the memory: the replay below then only
// instantiates them, one after the other, instead of compiling each in turn. Wrong bytes fail here.
function compileDynlibs(FS, dynlibs) {
  const compiled = new Map()
  for (const lib of dynlibs) {
    const module = WebAssembly.compile(FS.readFile(lib.name))
    module.catch(() => {})   // a failure is emscripten's to report: it compiles the bytes itself then
    compiled.set(lib.name, module)
  }
  return compiled
}

async function replayDynlibs(pyodide, dynlibs, tableLength, compiled = new Map()) {
  const Module = pyodide._module
  // emscripten instantiates each library from its bytes (WebAssembly.instantiate): given the module
  // compiled for those bytes, it instantiates that instead.
  const instantiate = WebAssembly.instantiate
  let ready = null
  WebAssembly.instantiate = (source, imports) => {
    const use = ready
    ready = null
    if (use && ArrayBuffer.isView(source) && source.byteLength === use.length) {
      return instantiate(use.module, imports).then((instance) => ({module: use.module, instance: instance}))
    }
    return instantiate(source, imports)
  }
  try {
    for (const lib of dynlibs) {
      if (Module.wasmTable.length > lib.tableBase) {
        throw new Error(`the function table is already longer than where ${lib.name} belongs`)
      }
      const module = await (compiled.get(lib.name) || Promise.resolve(null)).catch(() => null)
      ready = module && {module: module, length: Module.FS.stat(lib.name).size}
      const data = Module.HEAPU8.slice(lib.memoryBase, lib.memoryBase + lib.memorySize)
      const flags = {loadAsync: true, nodelete: true, allowUndefined: true, global: lib.global, fs: Module.FS}
      await Module.loadDynamicLibrary(lib.name, flags, lib.global ? null : {}, lib.handle)
      Module.HEAPU8.set(data, lib.memoryBase)
      const base = lib.name.slice(lib.name.lastIndexOf('/') + 1)
      Module.LDSO.loadedLibsByName[base] ||= Module.LDSO.loadedLibsByName[lib.name]
    }
  } finally {
    WebAssembly.instantiate = instantiate
  }
  if (Module.wasmTable.length < tableLength) {
    Module.wasmTable.grow(tableLength - Module.wasmTable.length)
  }
}

// What Python holds of JavaScript is saved by name. Panel keeps one JS function of its own (its
// _dict_converter, made with run_js); the restored Python gets this one, which does the same. The snapshot
// maker recognises it by identity: Python names the object it holds (`python`).
const JS_OBJECTS = {
  panelDictConverter: {
    python: 'import panel.io.pyodide\npanel.io.pyodide._dict_converter',
    make: () => (entries) => Object.fromEntries(entries.map(([key, value]) => [key, value === undefined ? null : value])),
  },
}

// For makeMemorySnapshot: each JS object Python holds, as the name of the one it is.
export function jsObjectSerializer(pyodide) {
  const known = Object.entries(JS_OBJECTS).map(([name, saved]) => [name, pyodide.runPython(saved.python)])
  return (obj) => {
    for (const [name, object] of known) {
      if (obj === object) { return {name: name} }
    }
    throw new Error(`Python holds a JavaScript object the snapshot cannot save: ${String(obj).slice(0, 200)}`)
  }
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

// Is there a copy of this build's start on the device (without reading it)?
async function hasKeptStart(snapshot) {
  try {
    const folder = await keptFolder()
    for (const file of [snapshot.memory, snapshot.files]) {
      const kept = await (await folder.getFileHandle(`${file.sha256}.bin`)).getFile()
      if (kept.size !== file.length) { return false }
    }
    return true
  } catch (e) {
    return false
  }
}

// The memory and files of the last visit into `memory` and a new buffer, or null.
async function keptStart(snapshot, memory) {
  try {
    const folder = await keptFolder()
    const files = new Uint8Array(snapshot.files.length)
    if (await readKept(folder, snapshot.memory, memory) && await readKept(folder, snapshot.files, files)) {
      return files
    }
  } catch (e) {
    // not kept yet, or another tab is reading it: download it
  }
  return null
}

// Keeps this build's memory and files for the next visit and drops any other build's. Each file is
// written whole or not at all (a writable stream replaces the file only when closed).
async function keepStart(snapshot, memory, files) {
  const folder = await keptFolder(true)
  const keep = new Map([[`${snapshot.memory.sha256}.bin`, memory], [`${snapshot.files.sha256}.bin`, files]])
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

// On a slow link the download is most of the start: the page is told how far it got, at most every
// PROGRESS_MS, in bytes of everything the start downloads (its sizes are in SNAPSHOT): the two .bin
// files as they arrive, Pyodide's runtime and the first render each when it has arrived (the browser
// fetches those itself; their Resource Timing entries say when). A return visit counts what it reads
// from the device or the browser's caches the same way, in a moment.
const PROGRESS_MS = 200
const MB = 1e6
function downloadProgress(snapshot, report) {
  const sizes = {...snapshot.runtime}
  const total = snapshot.memory.download + snapshot.files.download + Object.values(sizes).reduce((a, b) => a + b, 0)
  let done = 0
  let shownAt = 0
  const count = (bytes) => {
    if (stopped) { return }
    done += bytes
    const now = performance.now()
    if (now - shownAt >= PROGRESS_MS || done === total) {
      shownAt = now
      report(`Starting the app… downloading ${(done / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB`)
    }
  }
  const arrived = new Set()
  let stopped = false
  const seen = (entries) => {
    for (const entry of entries) {
      const name = new URL(entry.name).pathname.split('/').pop()
      if (name in sizes && !arrived.has(name)) {
        arrived.add(name)
        count(sizes[name])
      }
    }
  }
  const observer = new PerformanceObserver((list) => seen(list.getEntries()))
  observer.observe({type: 'resource', buffered: true})
  // Entries recorded but not yet handed to the observer are taken at the end.
  return {count: count, stop: () => {
    if (!stopped) {
      seen(observer.takeRecords())
      observer.disconnect()
      stopped = true
    }
  }}
}

// The saved memory's function pointers are slots of the function table, which Pyodide's boot fills. Once this
// runtime has booted (before the memory is put in), its table must be laid out as the build's was
// (function-table.js makes it so in JavaScriptCore too): as long, or one slot shorter where this engine has
// no count-args helper (iOS, or an engine that cannot compile it) and the build's helper took the last
// slot. The memory then gets this runtime's own helper slot, or 0 (Python calls C functions through
// JavaScript then), in place of the build's. `memory` is Pyodide's snapshot: a header, then the memory.
function matchBootTable(boot, memory) {
  const {table, memory: live} = runtime
  if (!table || !live) { throw new Error("the runtime's function table was not seen") }
  const helper = new Int32Array(live.buffer)[boot.countArgs.at >> 2]
  const leftOut = helper === 0 && boot.countArgs.slot === boot.tableLength - 1
  const expected = leftOut ? boot.tableLength - 1 : boot.tableLength
  if (table.length !== expected || (helper !== 0 && helper !== boot.countArgs.slot)) {
    throw new Error(`the function table is laid out differently here: ${table.length} slots after the runtime's ` +
                    `start (the build's: ${boot.tableLength}), count-args helper in slot ${helper}`)
  }
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength)
  view.setInt32(view.getUint32(4, true) + boot.countArgs.at, helper, true)
}

// Pyodide needs the memory's size when it starts and its content only once the runtime is up: the
// memory downloads (or is read from the last visit's copy) while the runtime starts, into the buffer
// Pyodide was given, and the runtime waits for it (and for the files) in its file-system hook. A failed
// download leaves the buffer without Pyodide's magic number, so it can never be taken for a snapshot.
// Returns the started Pyodide, the first render, what keeps the start for the next visit (or null), and
// what fetches the files no first answer needs (later_files.js: the restore starts without them).
async function startFromSnapshot(snapshot, loadPyodide, env, report, pagePainted) {
  if (!await hasKeptStart(snapshot)) {
    await pagePainted   // a download: the page's own first paint goes first
  }
  const memory = new Uint8Array(snapshot.memory.length)
  let keep = null
  let decoder = null   // zstd's, compiled: also for the files that come later
  const progress = downloadProgress(snapshot, report)
  const runtime = runtimeData(snapshot.memory.delta)
  const siteImage = keptStart(snapshot, memory).then(async (kept) => {   // the memory is filled meanwhile
    if (kept) {   // as it was restored: the runtime's data already in
      progress.count(snapshot.memory.download + snapshot.files.download)
      return kept
    }
    decoder = compiledDecoder(snapshot)
    const memoryBack = unpacked(snapshot.memory, decoder, progress.count, memory)
      .then(() => putBackRuntimeData(memory, snapshot.memory.delta, runtime.copied))
    const [, files] = await Promise.all([memoryBack, unpacked(snapshot.files, decoder, progress.count)])
    putBackLibraryData(memory, snapshot.memory.delta.libraries, files)
    keep = () => keepStart(snapshot, memory, files)
    return files
  })
  siteImage.catch(() => {})   // reported when awaited
  let failure = null
  let compiled
  const fsInit = async (FS) => {
    try {
      const files = await siteImage
      matchBootTable(snapshot.boot, memory)
      writeSiteFiles(FS, files)
      compiled = compileDynlibs(FS, replayed(snapshot.dynlibs))
    } catch (e) {
      failure = e
      memory.fill(0, 0, 64)
    }
  }
  let pyodide, firstRender
  try {
    try {
      pyodide = await loadPyodide({env: env, _loadSnapshot: memory, fsInit: fsInit, stdLibURL: snapshot.stdlib.start,
                                   _snapshotDeserializer: deserializeJsObject})
    } catch (e) {
      throw failure || e
    }
    if (failure) { throw failure }
    // The page prerendered this render's document (sitebuild/snapshot.py): it is told where it is.
    firstRender = {type: 'render', docs_json: null, ...snapshot.render}
  } finally {
    progress.stop()   // a start from scratch after a failure says its own stages
    runtime.stop()
  }
  report('Starting the app…')
  await replayDynlibs(pyodide, replayed(snapshot.dynlibs), snapshot.tableLength, compiled)
  Object.assign(pyodide.loadedPackages, snapshot.loadedPackages)
  pyodide.runPython(AFTER_RESTORE)
  return [pyodide, firstRender, keep, laterFiles(snapshot, pyodide, decoder)]
}

// The one entry: [Pyodide with the app built, its first render, what keeps the start on the device
// for the next visit (or null), what fetches the files a first answer does not need], or null when this build saved no start or it cannot be used (then
// the worker starts from scratch). `report(text)` tells the page how far the start got; a download
// waits for `pagePainted`.
export async function savedStart(loadPyodide, env, report, pagePainted = Promise.resolve()) {
  if (!SNAPSHOT) { return null }
  // Checked before anything is downloaded: where the table's layout cannot be made the build's, the
  // memory's function pointers would name other functions.
  if (watchInstantiation() === 'lost') {
    console.info('This browser cannot use the saved start (its wasm function table differs): starting from scratch')
    return null
  }
  report('Starting the app…')
  try {
    return await startFromSnapshot(SNAPSHOT, loadPyodide, env, report, pagePainted)
  } catch (e) {
    console.error('The saved start could not be used, starting from scratch:', e)
    forgetKeptStart().catch(() => {})   // a kept copy that failed is not read again
    return null
  }
}
