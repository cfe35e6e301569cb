// The start, made once at build time and replayed on every load: the worker's other half (app.js,
// templates/worker.js, imports it). The build (sitebuild/snapshot.py) runs the worker with ?make-snapshot
// in Chromium and keeps what snapshotMessage() hands back: Python's whole memory after the app was
// built, the site-packages files and the app's first render; app.js then names them in its SNAPSHOT.
// A visitor's worker puts that memory back (startFromSnapshot) instead of booting Python, loading the
// packages, importing Panel and building the app. Python's C extensions (numpy's) live outside that
// memory, in wasm modules of their own: they are loaded again in the same order, at the same addresses
// (recorded in `dynlibs`), and their data keeps the values it had (instantiating a module would reset
// it). A return visit reads the memory and files kept on the device by the first (keepStart).
const SITE_PACKAGES = '/lib/python3.12/site-packages'
// The snapshot's files are fetched past app.js's download check (it replaces self.fetch after this
// module ran): a missing one means starting from scratch, not a failed page.
const siteFetch = self.fetch.bind(self)

export function sri(sha256hex) {
  const digest = String.fromCharCode(...sha256hex.match(/../g).map((byte) => parseInt(byte, 16)))
  return `sha256-${btoa(digest)}`
}

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
export function recordDynlibs(pyodide) {
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

export async function forgetKeptStart() {
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
export async function startFromSnapshot(snapshot, loadPyodide, env) {
  const memory = new Uint8Array(snapshot.memory.length)
  let keep = null
  const siteImage = keptStart(snapshot, memory).then(async (kept) => {   // the memory is filled meanwhile
    if (kept) { return kept }
    const [, files] = await Promise.all([unpacked(snapshot.memory, memory), unpacked(snapshot.files)])
    keep = () => keepStart(snapshot, memory, files)
    return files
  })
  const render = snapshotFile(snapshot.render, {integrity: sri(snapshot.render.sha256)}).then((response) => response.json())
  for (const part of [siteImage, render]) { part.catch(() => {}) }   // reported when awaited
  let failure = null
  const fsInit = async (FS) => {
    try {
      writeSiteFiles(FS, await siteImage)
    } catch (e) {
      failure = e
      memory.fill(0, 0, 64)
    }
  }
  let pyodide
  try {
    pyodide = await loadPyodide({env: env, _loadSnapshot: memory, fsInit: fsInit,
                                 _snapshotDeserializer: deserializeJsObject})
  } catch (e) {
    throw failure || e
  }
  if (failure) { throw failure }
  await replayDynlibs(pyodide, snapshot.dynlibs, snapshot.tableLength)
  Object.assign(pyodide.loadedPackages, snapshot.loadedPackages)
  pyodide.runPython(AFTER_RESTORE)
  return [pyodide, await render, keep]
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
  const memory = pyodide.makeMemorySnapshot({serializer: serializeJsObject})
  const files = siteFiles(pyodide)
  return {type: 'snapshot', memory: memory, files: files, render: render, dynlibs: dynlibs,
          tableLength: pyodide._module.wasmTable.length, loadedPackages: loadedPackages}
}
