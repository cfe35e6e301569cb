"""Downloads: used only after their sha256 matched; a corrupted cache is fetched again; the CDN fails over fast."""
import hashlib
import socket
import threading
import time
import zipfile

import pytest

from sitebuild import pins
from sitebuild.fetch import HashMismatch, OfficialWheels, cached


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def downloader(data: bytes, calls: list):
    def download(folder):
        calls.append(folder)
        (folder / "part.whl").write_bytes(data)
        return folder / "part.whl"
    return download


def test_a_good_cached_file_is_used_without_downloading(tmp_path):
    target = tmp_path / "part.whl"
    target.write_bytes(b"good")
    calls = []
    assert cached(target, sha(b"good"), downloader(b"good", calls)) == target
    assert calls == []


def test_a_corrupted_cached_file_is_fetched_again(tmp_path, capsys):
    target = tmp_path / "part.whl"
    target.write_bytes(b"g00d")  # flipped bytes on disk
    calls = []
    cached(target, sha(b"good"), downloader(b"good", calls))
    assert target.read_bytes() == b"good"
    assert len(calls) == 1
    assert "part.whl does not match its sha256" in capsys.readouterr().err


def test_a_download_with_the_wrong_hash_stops_the_build_naming_the_file(tmp_path):
    target = tmp_path / "part.whl"
    with pytest.raises(HashMismatch, match="part.whl"):
        cached(target, sha(b"expected"), downloader(b"tampered", []))
    assert not target.exists()  # nothing unchecked is left in the cache


def silent_server():
    """A TCP server that accepts connections and never answers: a CDN that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    return server, f"http://127.0.0.1:{server.getsockname()[1]}/"


def test_an_unanswering_cdn_fails_over_to_the_fallback_package_in_seconds(tmp_path, monkeypatch):
    payload = {"a-1.0-py3-none-any.whl": b"wheel a", "b-1.0-py3-none-any.whl": b"wheel b"}
    fallback = tmp_path / "fallback.whl"
    with zipfile.ZipFile(fallback, "w") as archive:
        for name, data in payload.items():
            archive.writestr(pins.FALLBACK_ASSET_DIR + name, data)
    monkeypatch.setattr(OfficialWheels, "_fallback_wheel", lambda self: fallback)
    server, url = silent_server()
    try:
        source = OfficialWheels(tmp_path / "cache", cdn_url=url, cdn_timeout=0.5)
        started = time.monotonic()
        for name, data in payload.items():
            assert source.get(name, sha(data)).read_bytes() == data
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert source.sources == {name: "fallback" for name in payload}
    assert not source.cdn_up  # one timeout, then the fallback for every other file
    assert elapsed < 10, f"fail-over took {elapsed:.1f} s"


def test_a_fallback_file_that_does_not_match_the_core_lock_is_rejected(tmp_path, monkeypatch):
    fallback = tmp_path / "fallback.whl"
    with zipfile.ZipFile(fallback, "w") as archive:
        archive.writestr(pins.FALLBACK_ASSET_DIR + "a-1.0-py3-none-any.whl", b"not the official file")
    monkeypatch.setattr(OfficialWheels, "_fallback_wheel", lambda self: fallback)
    source = OfficialWheels(tmp_path / "cache", cdn_url="")
    with pytest.raises(HashMismatch, match="a-1.0-py3-none-any.whl"):
        source.get("a-1.0-py3-none-any.whl", sha(b"the official file"))
