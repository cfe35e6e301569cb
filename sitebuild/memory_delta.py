"""The saved memory, minus what the visitor's runtime already holds.

Python's wasm memory begins with the runtime's static data (type objects, frozen modules, interned
strings): pyodide.asm.wasm carries it as one data segment, which the browser writes into the memory
when it instantiates the runtime, and 97 % of it is still the same in the saved memory. The build
stores that stretch XORed with the segment: unchanged bytes become zeros, which zstd packs to nothing
(1.2 MB of the download -> 0.1 MB). The visitor's worker copies the segment out of its freshly
instantiated memory and XORs it back (templates/snapshot_files.js, `runtimeData`), checked by `checksum`
(not sha256: SubtleCrypto exists only in secure contexts, and a course page on http:// that embeds the
playground makes its frame one that is not).
"""
import json
import struct

DATA_SECTION = 11
I32_CONST, GLOBAL_GET, END = 0x41, 0x23, 0x0B
SAMPLES = 16          # places in the segment looked up in the memory to find where it went
MIN_SAME = 0.9        # of the segment's bytes still the same there, or the build is not what it seems


def _uleb(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def data_segment(wasm: bytes) -> bytes:
    """The one active data segment of an emscripten main module (placed at __memory_base)."""
    at = 8   # magic and version
    while at < len(wasm):
        section, at = wasm[at], at + 1
        size, at = _uleb(wasm, at)
        if section == DATA_SECTION:
            count, body = _uleb(wasm, at)
            flags, body = _uleb(wasm, body)
            if count != 1 or flags != 0 or wasm[body] not in (I32_CONST, GLOBAL_GET):
                raise ValueError("the runtime's wasm does not have one active data segment")
            _, body = _uleb(wasm, body + 1)   # the offset: a constant or __memory_base
            if wasm[body] != END:
                raise ValueError("the runtime's data segment has an offset that is not one value")
            length, body = _uleb(wasm, body + 1)
            return wasm[body:body + length]
        at += size
    raise ValueError("the runtime's wasm has no data section")


def where(memory: bytes, segment: bytes) -> int:
    """Where the segment starts in the saved memory: the place most of SAMPLES of its pieces agree on."""
    votes = {}
    for i in range(SAMPLES):
        piece_at = i * (len(segment) - 64) // SAMPLES
        found = memory.find(segment[piece_at:piece_at + 64])
        if found >= 0:
            votes[found - piece_at] = votes.get(found - piece_at, 0) + 1
    start = max(votes, key=votes.get, default=-1)
    same = sum(a == b for a, b in zip(memory[start:start + len(segment)], segment)) if start >= 0 else 0
    if same < MIN_SAME * len(segment):
        raise ValueError("the runtime's data segment is not in the saved memory")
    return start


def checksum(data: bytes) -> int:
    """FNV-1a (32 bits) over the data's little-endian 32-bit words, then its last 0-3 bytes: what the
    worker computes (snapshot_files.js, `checksum`) to be sure it XORs back the same segment."""
    value = 0x811C9DC5
    words = len(data) // 4
    for word in struct.unpack_from(f"<{words}I", data):
        value = ((value ^ word) * 0x01000193) & 0xFFFFFFFF
    for byte in data[4 * words:]:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def xor_out(memory: bytes, wasm: bytes, libraries: list[tuple[str, int, bytes]] = ()) -> tuple[bytes, dict]:
    """The memory with the runtime's data segment XORed out, and what the worker needs to put it back:
    where it is in the memory file (`at`) and in the runtime's memory (`heap`: the memory file is
    Pyodide's snapshot header then the heap), its length and checksum. The same for `libraries` (name,
    memoryBase, file: the libraries a restore loads again, numpy's), whose data segments lie at their
    memoryBase; the worker has their files (files.bin). A library whose data is not there, or not as one
    segment, is left as it is."""
    packed = bytearray(memory)
    segment = data_segment(wasm)
    start = where(memory, segment)
    (_magic, header_length) = struct.unpack_from("<II", memory)
    delta = {**_xor(packed, start, segment), "heap": start - header_length, "libraries": []}
    for name, memory_base, library in libraries:
        try:
            segment = data_segment(library)
        except ValueError:
            continue
        at = header_length + memory_base
        if sum(a == b for a, b in zip(memory[at:at + len(segment)], segment)) >= MIN_SAME * len(segment):
            delta["libraries"].append({"name": name, **_xor(packed, at, segment)})
    return bytes(packed), delta


def _xor(memory: bytearray, at: int, segment: bytes) -> dict:
    """XORs `segment` into `memory` at `at` (in place); what the worker checks before it XORs it back."""
    end = at + len(segment)
    memory[at:end] = (int.from_bytes(memory[at:end], "little") ^ int.from_bytes(segment, "little")).to_bytes(
        len(segment), "little")
    return {"at": at, "length": len(segment), "checksum": checksum(segment)}


def image_files(image: bytes) -> dict[str, bytes]:
    """The files of a site image (templates/snapshot_files.js, imageFiles): u32 header length, a JSON
    list of [path, size], then the files' bytes in that order."""
    (header_length,) = struct.unpack_from("<I", image)
    files, at = {}, 4 + header_length
    for path, size in json.loads(image[4:at]):
        files[path], at = image[at:at + size], at + size
    return files
