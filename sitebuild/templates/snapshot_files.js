// The saved start's files (saved_start.js names them in SNAPSHOT): downloaded, unpacked while they
// arrive, checked, and written into Pyodide's file system.
import { zstdDecompressionStream } from "./unzstd.js";

// The snapshot's files are fetched past app.js's download check (it replaces self.fetch after this
// module ran): a missing one means starting from scratch, not a failed page.
const siteFetch = self.fetch.bind(self)

export function sri(sha256hex) {
  const digest = String.fromCharCode(...sha256hex.match(/../g).map((byte) => parseInt(byte, 16)))
  return `sha256-${btoa(digest)}`
}

export async function snapshotFile(file, options) {
  const url = new URL(file.url, self.location).href
  const response = await siteFetch(url, options)
  if (!response.ok) {
    throw new Error(`${file.url}: HTTP ${response.status}`)
  }
  handOver(url, response)
  return response
}

// The service worker copies the start's files from the browser's HTTP cache once the app is up (static/sw.js).
// A private window (Chromium's incognito) keeps large files out of that cache, and the service worker
// downloaded them again (12.8 MB at gzip). So on a first visit (the site has no cache of its own yet) the big
// files this worker downloads go, as they arrive, into a cache the service worker reads first (and checks
// against the build's sha256); it drops that cache once it has its own. Where there is no cache storage, or
// no service worker will come (Firefox's private windows), nothing is kept and nothing breaks.
export const HANDOVER_CACHE = 'playground-handover'
const firstVisit = (async () => {
  try {
    return (await self.caches.keys()).every((name) => !name.startsWith('playground-') || name === HANDOVER_CACHE)
  } catch (e) {
    return false
  }
})()

export function handOver(url, response) {
  const copy = response.clone()
  firstVisit.then(async (first) => {
    if (!first) { return copy.body?.cancel() }
    await (await self.caches.open(HANDOVER_CACHE)).put(url, copy)
  }).catch(() => {})
}

// The big files unpack while they download (subresource integrity would wait for the whole
// file first), with zstd's decoder (`decoder`, a compiled WebAssembly.Module), into `bytes` when given;
// `downloaded(n)` hears of every n bytes that arrive; `options` go to fetch. zstd's checksum catches a damaged file; the sha256
// each one starts with must be the one SNAPSHOT names, so a deployment half old and half new is caught too.
export async function unpacked(file, decoder, downloaded, bytes = new Uint8Array(file.length), options = {}) {
  const response = await snapshotFile(file, options)
  const counted = new TransformStream({transform(chunk, out) { downloaded(chunk.length); out.enqueue(chunk) }})
  const unzstd = zstdDecompressionStream(await decoder)
  const reader = response.body.pipeThrough(counted).pipeThrough(unzstd).getReader()
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
  mustBeNamed(file, digest, at)
  return bytes
}

export function mustBeNamed(file, digest, length) {
  const named = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
  if (length !== file.length || named !== file.sha256) {
    throw new Error(`${file.url} is not the one this site was built with`)
  }
}

// zstd's decoder, compiled while the start downloads (its 59 KB checked by subresource integrity).
export async function compiledDecoder(snapshot) {
  const response = await snapshotFile(snapshot.decoder, {integrity: sri(snapshot.decoder.sha256)})
  return WebAssembly.compile(await response.arrayBuffer())
}

// Each file's content stays where it is in the image (no copy): MEMFS owns that part of it.
export function writeSiteFiles(FS, image) {
  let folder = null
  for (const [path, bytes] of imageFiles(image)) {
    const slash = path.lastIndexOf('/')
    if (path.slice(0, slash) !== folder) {
      folder = path.slice(0, slash)
      FS.mkdirTree(folder)
    }
    FS.createDataFile(folder, path.slice(slash + 1), bytes, true, true, true)
  }
}

// A site image's files, path -> bytes where they are in the image: u32 header length, a JSON list of
// [path, size], then the files' bytes in that order (snapshot_maker.js, image).
function imageFiles(image) {
  const headerLength = new DataView(image.buffer, image.byteOffset).getUint32(0, true)
  const entries = JSON.parse(new TextDecoder().decode(image.subarray(4, 4 + headerLength)))
  const files = new Map()
  let at = 4 + headerLength
  for (const [path, size] of entries) {
    files.set(path, image.subarray(at, at + size))
    at += size
  }
  return files
}

// The memory file holds the runtime's static data XORed out (sitebuild/memory_delta.py): the worker
// puts it back from the runtime's own memory, copied the moment the browser instantiated it (its data
// segment written, none of its code run). Wraps the two ways Pyodide instantiates its wasm until then.
export function runtimeData(delta) {
  const {instantiate, instantiateStreaming} = WebAssembly
  const stop = () => Object.assign(WebAssembly, {instantiate, instantiateStreaming})
  let copy
  const copied = new Promise((resolve, reject) => {
    copy = (imports) => (result) => {
      stop()
      const memory = imports && imports.env && imports.env.memory
      if (memory instanceof WebAssembly.Memory) {
        resolve(new Uint8Array(memory.buffer, delta.heap, delta.length).slice())
      } else {
        reject(new Error('the runtime was instantiated without its memory'))
      }
      return result
    }
  })
  copied.catch(() => {})   // reported when awaited
  WebAssembly.instantiateStreaming = (source, imports) => instantiateStreaming(source, imports).then(copy(imports))
  WebAssembly.instantiate = (source, imports) => instantiate(source, imports).then(copy(imports))
  return {copied: copied, stop: stop}
}

// FNV-1a over the data's 32-bit words, then its last bytes (sitebuild/memory_delta.py, checksum): not
// sha256, which SubtleCrypto gives only in secure contexts (a frame on an http:// course page is not one).
function checksum(data) {
  if (data.byteOffset % 4) { data = data.slice() }   // words must be aligned: a library's segment may not be
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2)
  let value = 0x811c9dc5
  for (let i = 0; i < words.length; i++) { value = Math.imul(value ^ words[i], 0x01000193) >>> 0 }
  for (let i = words.length * 4; i < data.length; i++) { value = Math.imul(value ^ data[i], 0x01000193) >>> 0 }
  return value
}

// XORs the runtime's static data (`copied`) back into the memory.
export async function putBackRuntimeData(memory, delta, copied) {
  xorBack(memory, await copied, delta, "the runtime's static data")
}

// The libraries a restore loads again (numpy's) had their data XORed out of the memory too, each at its
// place (sitebuild/memory_delta.py, xor_out): put back from their files in the start's image.
export function putBackLibraryData(memory, libraries, image) {
  const files = imageFiles(image)
  for (const lib of libraries) {
    xorBack(memory, dataSegment(files.get(lib.name)), lib, lib.name)
  }
}

// XORs `data` into the memory where the build XORed it out (`saved`: at, length, checksum), once it is sure
// it is the same data.
function xorBack(memory, data, saved, what) {
  if (data.length !== saved.length || checksum(data) !== saved.checksum) {
    throw new Error(`${what}: not the data this site was built with`)
  }
  const stretch = memory.subarray(saved.at, saved.at + saved.length)
  for (let i = 0; i < data.length; i++) {
    stretch[i] ^= data[i]
  }
}

// A wasm module's one active data segment (as memory_delta.py's data_segment reads it).
function dataSegment(wasm) {
  const leb = (at) => {   // [value, where it ends]; an offset's signed LEB is only skipped
    let value = 0
    let shift = 0
    for (;;) {
      const byte = wasm[at++]
      value += (byte & 0x7f) * 2 ** shift
      shift += 7
      if (byte < 0x80) { return [value, at] }
    }
  }
  let at = 8   // magic and version
  while (at < wasm.length) {
    const section = wasm[at]
    const [size, body] = leb(at + 1)
    if (section === 11) {
      const [count, afterCount] = leb(body)
      const [flags, afterFlags] = leb(afterCount)
      if (count !== 1 || flags !== 0) { break }
      const [, afterOffset] = leb(afterFlags + 1)   // the offset's opcode, then its value
      if (wasm[afterOffset] !== 0x0b) { break }
      const [length, data] = leb(afterOffset + 1)
      return wasm.subarray(data, data + length)
    }
    at = body + size
  }
  throw new Error('a library without one active data segment')
}
