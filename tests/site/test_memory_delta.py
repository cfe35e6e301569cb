"""The saved memory stored less the runtime's static data (sitebuild/memory_delta.py): found where the
runtime put it, XORed out, and put back exactly by XORing the same segment in again."""
import random
import struct

import pytest
import zstandard

from sitebuild import memory_delta, snapshot

HEADER = struct.pack("<IIII", 0x706F7879, 16, 0, 0)   # a snapshot header of 16 bytes, then the heap


def leb(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def wasm_with(segment, offset=b"\x23\x00"):
    """A wasm module whose one data section holds `segment`, placed at a global (as emscripten's)."""
    custom = b"\x00" + leb(5) + b"\x04name"
    data = leb(1) + leb(0) + offset + b"\x0b" + leb(len(segment)) + segment
    return b"\x00asm\x01\x00\x00\x00" + custom + b"\x0b" + leb(len(data)) + data


def memory_around(segment, heap_address, changed=50):
    rng = random.Random(7)
    heap = bytearray(rng.randbytes(heap_address)) + bytearray(segment) + bytearray(rng.randbytes(3000))
    for _ in range(changed):   # what the program wrote into its static data while it ran
        heap[heap_address + rng.randrange(len(segment))] ^= 0xFF
    return HEADER + bytes(heap)


def test_the_data_segment_is_xored_out_and_comes_back_exactly():
    segment = random.Random(1).randbytes(20_000)
    memory = memory_around(segment, heap_address=1024)
    packed, delta = memory_delta.xor_out(memory, wasm_with(segment))
    assert delta == {"at": 16 + 1024, "heap": 1024, "length": len(segment), "checksum": memory_delta.checksum(segment),
                     "libraries": []}
    stretch = packed[delta["at"]:delta["at"] + delta["length"]]
    assert stretch.count(0) >= len(segment) - 50   # only what changed is left
    assert packed[:delta["at"]] == memory[:delta["at"]] and len(packed) == len(memory)
    back = bytearray(packed)   # as the worker does: XOR the runtime's own copy in again
    for i, byte in enumerate(segment):
        back[delta["at"] + i] ^= byte
    assert bytes(back) == memory
    compressor = zstandard.ZstdCompressor(level=snapshot.ZSTD_LEVEL)
    assert len(compressor.compress(packed)) < len(compressor.compress(memory)) * 0.6


def test_the_checksum_is_fnv1a_over_words_then_bytes():
    # FNV-1a 32 of the empty input is its offset basis; one word and one byte step as the worker does.
    assert memory_delta.checksum(b"") == 0x811C9DC5
    assert memory_delta.checksum(b"\x01\x00\x00\x00") == ((0x811C9DC5 ^ 1) * 0x01000193) & 0xFFFFFFFF
    assert memory_delta.checksum(b"\x01\x00\x00\x00\x02") == \
        ((((0x811C9DC5 ^ 1) * 0x01000193) & 0xFFFFFFFF ^ 2) * 0x01000193) & 0xFFFFFFFF
    assert memory_delta.checksum(b"abcd") != memory_delta.checksum(b"abce")


def test_a_memory_the_segment_is_not_in_stops_the_build():
    segment = random.Random(1).randbytes(20_000)
    with pytest.raises(ValueError, match="not in the saved memory"):
        memory_delta.xor_out(HEADER + random.Random(2).randbytes(40_000), wasm_with(segment))


def test_a_runtime_without_one_active_data_segment_stops_the_build():
    with pytest.raises(ValueError, match="no data section"):
        memory_delta.data_segment(b"\x00asm\x01\x00\x00\x00")
    passive = b"\x00asm\x01\x00\x00\x00\x0b" + leb(5) + leb(1) + leb(1) + leb(2) + b"ab"
    with pytest.raises(ValueError, match="one active data segment"):
        memory_delta.data_segment(passive)


def test_the_sites_memory_file_holds_the_runtimes_data_xored_out(site_dir):
    manifest = snapshot.manifest(site_dir)
    delta = manifest["memory"]["delta"]
    segment = memory_delta.data_segment((site_dir / "pyodide" / "pyodide.asm.wasm").read_bytes())
    assert memory_delta.checksum(segment) == delta["checksum"] and len(segment) == delta["length"]
    stored = zstandard.ZstdDecompressor().decompress((site_dir / "snapshot" / "memory.bin").read_bytes())[32:]
    stretch = stored[delta["at"]:delta["at"] + delta["length"]]
    assert stretch.count(0) > 0.9 * len(segment)   # the runtime's data, nearly all unchanged, is gone
    header_length = struct.unpack_from("<I", stored, 4)[0]
    assert delta["at"] == header_length + delta["heap"]


def test_the_replayed_libraries_data_is_xored_out_too(site_dir):
    manifest = snapshot.manifest(site_dir)
    libraries = manifest["memory"]["delta"]["libraries"]
    replayed = {lib["name"] for lib in manifest["dynlibs"] if lib["global"] or lib["imported"]}
    assert libraries and {lib["name"] for lib in libraries} <= replayed
    stored = zstandard.ZstdDecompressor().decompress((site_dir / "snapshot" / "memory.bin").read_bytes())[32:]
    files = memory_delta.image_files(
        zstandard.ZstdDecompressor().decompress((site_dir / "snapshot" / "files.bin").read_bytes())[32:])
    for lib in libraries:
        segment = memory_delta.data_segment(files[lib["name"]])
        assert memory_delta.checksum(segment) == lib["checksum"] and len(segment) == lib["length"]
        stretch = stored[lib["at"]:lib["at"] + lib["length"]]
        assert stretch.count(0) > 0.9 * len(segment), lib["name"]
