// The saved start's files are zstd streams (sitebuild/snapshot.py): 27 % smaller than gzip, and zstd's
// own decoder, compiled to wasm (the zstddec npm package, pinned in sitebuild/pins.py), unpacks them
// faster than the browser's gzip. Browsers have no zstd DecompressionStream, so this is one: it drives
// the decoder's streaming API chunk by chunk as a download arrives. Each stream has its own instance
// of the decoder (`module`, compiled), dropped with the stream (its memory holds zstd's window: 32 MB for the memory, sitebuild/snapshot.py).

// zstd returns an error as a size_t of -1..-120 (ZSTD_isError): near 2^32 in 32-bit wasm.
const isError = (result) => (result >>> 0) > 0xffffff00

// push(chunk, emit) hands each piece it unpacks to emit(piece); end() throws if the stream was cut.
function zstdDecoder(module) {
  const zstd = new WebAssembly.Instance(module, {env: {emscripten_notify_memory_growth() {}}}).exports
  const inSize = zstd.ZSTD_DStreamInSize()
  const outSize = zstd.ZSTD_DStreamOutSize()
  const context = zstd.ZSTD_createDCtx()
  const input = zstd.malloc(inSize)
  const output = zstd.malloc(outSize)
  // ZSTD_inBuffer {src, size, pos} and ZSTD_outBuffer {dst, size, pos}: three 32-bit words each.
  const inBuffer = zstd.malloc(24)
  const outBuffer = inBuffer + 12
  let frameDone = false   // ZSTD_decompressStream returns 0 when its frame is complete (checksum checked)
  // The memory may grow while decoding (its buffer is then a new one): views are made where used.
  const words = () => new Uint32Array(zstd.memory.buffer)
  const push = (chunk, emit) => {
    for (let at = 0; at < chunk.length;) {
      const piece = chunk.subarray(at, at + inSize)
      at += piece.length
      new Uint8Array(zstd.memory.buffer).set(piece, input)
      words().set([input, piece.length, 0], inBuffer / 4)
      let full
      do {   // until the piece is read and nothing more waits in zstd's own buffers
        words().set([output, outSize, 0], outBuffer / 4)
        const result = zstd.ZSTD_decompressStream(context, outBuffer, inBuffer)
        if (isError(result)) { throw new Error(`zstd: damaged stream (error ${-result})`) }
        frameDone = result === 0
        const made = words()[outBuffer / 4 + 2]
        if (made) { emit(new Uint8Array(zstd.memory.buffer).slice(output, output + made)) }
        full = made === outSize
      } while (words()[inBuffer / 4 + 2] < piece.length || full)
    }
  }
  const end = () => {
    if (!frameDone) { throw new Error('zstd: the stream ended early') }
    zstd.ZSTD_freeDCtx(context)
  }
  return {push, end}
}

export function zstdDecompressionStream(module) {
  const decoder = zstdDecoder(module)
  return new TransformStream({
    transform(chunk, out) { decoder.push(chunk, (piece) => out.enqueue(piece)) },
    flush() { decoder.end() },
  })
}

// The whole of `packed` unpacked at once, into a buffer of `length` bytes (what it must hold).
export function unzstdNow(module, packed, length) {
  const bytes = new Uint8Array(length)
  let at = 0
  const decoder = zstdDecoder(module)
  decoder.push(packed, (piece) => {
    if (at + piece.length > length) { throw new Error('zstd: longer than expected') }
    bytes.set(piece, at)
    at += piece.length
  })
  decoder.end()
  if (at !== length) { throw new Error('zstd: shorter than expected') }
  return bytes
}
