"""Build the playground as a static site in dist/, or serve it.

    python build.py            build dist/ (downloads are cached in .cache/)
    python build.py serve      build if the sources changed, then serve on http://127.0.0.1:8000/

The parts live in sitebuild/; this file only runs them in order. See docs/site.md.
"""
import argparse
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from sitebuild import assets, backend, bytecode, convert, pins, preview, snapshot, wheels
from sitebuild.fetch import OfficialWheels, cached, npm_pack, pip_download, sha256_of
from sitebuild.lock import served_lock, wheel_entry
from sitebuild.serve import make_server, url_of

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
CACHE = ROOT / ".cache" / "downloads"
APP = ROOT / "playground" / "app.py"
# The project's one wheel (engine + playground), the same one `pip install .` builds (sitebuild/backend.py).
PROJECT = backend.project_table(ROOT)["project"]["name"]
PROJECT_DEPENDS = ["numpy", "panel"]
# Stand-ins for packages that have no Pyodide 0.27 build we can reach (see each one's docstring).
BROWSER_SHIMS = ROOT / "sitebuild" / "browser_shims"
SHIM_VERSION = "0.0.0"
# Modules whose docstrings their package reads as it starts (sitebuild/bytecode.py, compile_wheel):
# numpy gives its C functions the docstrings of their Python dispatchers.
READS_ITS_DOCSTRINGS = {"numpy": ("numpy/_core/multiarray.py",)}
# Arguments that only document (sitebuild/bytecode.py, _WithoutDocumentation): Bokeh's properties'
# help=, param's parameters' doc=, numpy's add_newdoc texts (its docs and help() read them).
DOCUMENTATION = {"bokeh": {"keywords": ["help"]}, "panel": {"keywords": ["doc"]}, "param": {"keywords": ["doc"]},
                 "numpy": {"calls": ["add_newdoc", "add_newdoc_for_scalar_type"]}}
CORE_FILES = ["pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
# What the build reads: when none of it changed, `serve` reuses dist/.
INPUTS = ["build.py", "pyproject.toml", "sitebuild", "static", "engine", "playground", "requirements/dev.txt"]
RECORD = "build-record.json"
# What the build does to make the page start faster (docs/site.md has each one's measured effect).
# `python build.py --without NAME` leaves one out, to measure it.
LEVERS = {
    "pyc": "every wheel's Python and the standard library compiled to lean bytecode at build time (sitebuild/bytecode.py)",
    "no-pandas": "pandas and what only it needs are not shipped (Panel gets a stand-in: templates/worker.js)",
    "snapshot": "the app started once at build time in Chromium and kept; every load restores it (sitebuild/snapshot.py)",
}


def input_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" not in file.parts:
                digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def fetch_core(cache: Path, pyodide_dir: Path) -> dict:
    """The Pyodide core from npm into pyodide_dir; returns the core's own lock."""
    tarball = cached(cache / pins.PYODIDE_NPM_TARBALL, pins.PYODIDE_NPM_SHA256,
                     lambda folder: npm_pack(pins.PYODIDE_NPM_SPEC, folder))
    with tarfile.open(tarball) as archive:
        for name in CORE_FILES:
            (pyodide_dir / name).write_bytes(archive.extractfile(f"package/{name}").read())
        return json.load(archive.extractfile("package/pyodide-lock.json"))


def fetch_zstd_decoder(cache: Path, folder: Path) -> None:
    """zstd's decoder wasm, out of the pinned zstddec package (its stream build carries it as base64)."""
    tarball = cached(cache / pins.ZSTDDEC_NPM_TARBALL, pins.ZSTDDEC_NPM_SHA256,
                     lambda into: npm_pack(pins.ZSTDDEC_NPM_SPEC, into))
    with tarfile.open(tarball) as archive:
        module = archive.extractfile(pins.ZSTDDEC_MODULE).read().decode()
    # The one long base64 string literal of the module (its layout is checked by the sha256 below).
    literals = [part for part in module.split('"') if len(part) > 10_000]
    wasm = base64.b64decode(literals[0]) if len(literals) == 1 else b""
    if hashlib.sha256(wasm).hexdigest() != pins.ZSTDDEC_WASM_SHA256:
        raise SystemExit(f"{pins.ZSTDDEC_MODULE} does not carry the zstd decoder pinned in sitebuild/pins.py")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / snapshot.DECODER).write_bytes(wasm)


def fetch_official(cache: Path, core_lock: dict, pyodide_dir: Path, cdn_url: str, names: list[str]) -> list[dict]:
    """The official binary wheels `names`, each checked against the core's lock."""
    source = OfficialWheels(cache, cdn_url=cdn_url)
    entries = []
    for name in names:
        entry = core_lock["packages"][name]
        shutil.copyfile(source.get(entry["file_name"], entry["sha256"]), pyodide_dir / entry["file_name"])
        entries.append(entry)
    return entries


def fetch_pypi(cache: Path) -> dict[str, Path]:
    """Every pinned PyPI wheel in the cache; the missing or corrupted ones in one pip run."""
    def is_good(wheel):
        path = cache / wheel.file_name
        return path.exists() and sha256_of(path) == wheel.sha256

    missing = [w for w in pins.PYPI_WHEELS if not is_good(w)]
    with tempfile.TemporaryDirectory() as folder:
        if missing:
            pip_download(missing, Path(folder))
        return {w.name: cached(cache / w.file_name, w.sha256, lambda _: Path(folder) / w.file_name)
                for w in pins.PYPI_WHEELS}


def pypi_entries(downloads: dict[str, Path], pyodide_dir: Path, left_out: list[str]) -> list[dict]:
    entries = []
    for pin in pins.PYPI_WHEELS:
        target = pyodide_dir / f"{pin.file_name.split('-')[0]}-{pin.version}-py3-none-any.whl"
        wheels.repack(downloads[pin.name], target, drop_native=pin.strip_native)
        depends = [name for name in pin.depends if name not in left_out]
        entries.append(wheel_entry(pin.name, pin.version, target, pin.imports, depends))
    return entries


def project_entries(pyodide_dir: Path) -> list[dict]:
    wheel = backend.build_project_wheel(ROOT, pyodide_dir)
    version = backend.project_table(ROOT)["project"]["version"]
    entries = [wheel_entry(PROJECT, version, wheel, backend.packages_of(ROOT), PROJECT_DEPENDS)]
    for shim in sorted(p for p in BROWSER_SHIMS.iterdir() if (p / "__init__.py").exists()):
        wheel = wheels.project_wheel(shim, SHIM_VERSION, pyodide_dir)
        entries.append(wheel_entry(shim.name, SHIM_VERSION, wheel, [shim.name], []))
    return entries


def compile_wheels(pyodide_dir: Path, entries: list[dict], browser_python: str) -> None:
    """Compile every shipped wheel to bytecode in place; the lock entries get the new sha256."""
    bytecode.check_python(browser_python)
    for entry in entries:
        wheel = pyodide_dir / entry["file_name"]
        bytecode.compile_wheel(wheel, keep_sources=entry["name"] == PROJECT,
                               keep_docstrings=READS_ITS_DOCSTRINGS.get(entry["name"], ()),
                               documentation=DOCUMENTATION.get(entry["name"]))
        entry["sha256"] = sha256_of(wheel)


def convert_app(site: Path, packages: list[str]) -> None:
    """Panel's converter in its own process (it reads PANEL_CDN_ROOT at import)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "sitebuild.convert", str(APP), folder, json.dumps(packages)],
                       check=True, cwd=ROOT)
        shutil.move(Path(folder) / f"{APP.stem}.html", site / "index.html")
        shutil.move(Path(folder) / f"{APP.stem}.js", site / f"{APP.stem}.js")
        for module in convert.WORKER_MODULES:
            shutil.move(Path(folder) / module, site / module)


def add_static(site: Path) -> None:
    """Copy static/ (the page names register-sw.js itself: templates/page.html); sw.js is written last."""
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file() and path.name != "sw.js":
            target = site / path.relative_to(ROOT / "static")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def site_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): sha256_of(p) for p in sorted(site.rglob("*")) if p.is_file()}


# What a start needs besides the page's own references (sw.js precaches it): the worker, Pyodide's core,
# the saved start. The wheels only when there is no saved start; sw.js, the build record: never.
START_FILES = re.compile(r"[^/]+\.(js|ico)|pyodide/[^/]+\.(mjs|js|wasm|zip|json)|snapshot/[^/]+")
# preview.png: only a page without scripts shows it (templates/embed_still.html), and it cannot use sw.js.
NOT_PRECACHED = {"sw.js", RECORD, preview.PREVIEW}


def precache_list(site: Path, files: dict[str, str]) -> list[str]:
    """The files sw.js copies into its cache on install: what the page references and what a start
    needs. Everything else is kept when it is first asked for (docs/site.md, "Offline")."""
    page = (site / "index.html").read_text()
    referenced = set(re.findall(r"""(?:src|href)=["']\./([^"'?#]+)""", page))
    needs_wheels = not (site / snapshot.FOLDER).is_dir()
    start = [name for name in files if name not in NOT_PRECACHED and (
        name in referenced or START_FILES.fullmatch(name) or (needs_wheels and name.endswith(".whl")))]
    return ["./"] + [f"./{name}" for name in start]


def write_service_worker(site: Path) -> None:
    """sw.js with every file's sha256, the list to precache, and a version that changes with any file."""
    files = site_files(site)
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    precache = {"version": version, "start": precache_list(site, files),
                "files": {"./": files["index.html"], **{f"./{name}": sha for name, sha in files.items()}}}
    script = (ROOT / "static" / "sw.js").read_text().replace("__PRECACHE__", json.dumps(precache, indent=1))
    (site / "sw.js").write_text(script)


@contextlib.contextmanager
def build_lock(cache: Path):
    """One build at a time per cache: test runs and `make serve` may start together."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_built(site: Path = DIST, levers: frozenset = frozenset(LEVERS)) -> Path:
    """Build `site` unless it is already built from the current sources with these levers."""
    with build_lock(CACHE):
        if not is_current(site, levers):
            build(site, levers=levers)
    return site


def build(site: Path = DIST, cache: Path = CACHE, cdn_url: str = pins.PYODIDE_CDN_URL,
          levers: frozenset = frozenset(LEVERS)) -> dict:
    """Build the site into `site` (replaced only when the build succeeds); returns its record."""
    started = time.monotonic()
    site.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
    try:
        record = _build_into(work, cache, cdn_url, levers)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    record["seconds"] = round(time.monotonic() - started, 1)
    (work / RECORD).write_text(json.dumps(record, indent=1))
    old = site.with_name(f".{site.name}-old-{os.getpid()}")
    if site.exists():
        site.rename(old)
    work.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    return record


def _build_into(work: Path, cache: Path, cdn_url: str, levers: frozenset) -> dict:
    pyodide_dir = work / "pyodide"
    pyodide_dir.mkdir(parents=True)

    core_lock = fetch_core(cache, pyodide_dir)
    left_out = pins.ONLY_FOR_PANDAS if "no-pandas" in levers else []
    official = [name for name in pins.OFFICIAL_PACKAGES if name not in left_out]
    entries = fetch_official(cache, core_lock, pyodide_dir, cdn_url, official)
    downloads = fetch_pypi(cache)
    entries += pypi_entries(downloads, pyodide_dir, left_out)
    entries += project_entries(pyodide_dir)
    if "pyc" in levers:
        compile_wheels(pyodide_dir, entries, core_lock["info"]["python"])
        bytecode.compile_stdlib(pyodide_dir / "python_stdlib.zip")
    lock = served_lock(core_lock, entries)
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))

    convert_app(work, sorted(lock["packages"]))
    html = (work / "index.html").read_text()
    assets.copy_bokehjs(downloads["bokeh"], pins.pypi_version("bokeh"), work, html)
    assets.copy_panel_dist(downloads["panel"], pins.pypi_version("panel"), work, html)
    add_static(work)
    if "snapshot" in levers:
        fetch_zstd_decoder(cache, work / snapshot.FOLDER)
        snapshot.make(work)
    preview.make(work)
    write_service_worker(work)

    return {
        "inputs": input_fingerprint(),
        "levers": sorted(levers),
        "files": site_files(work),
    }


def is_current(site: Path, levers: frozenset = frozenset(LEVERS)) -> bool:
    try:
        record = json.loads((site / RECORD).read_text())
        return record["inputs"] == input_fingerprint() and record["levers"] == sorted(levers)
    except (OSError, ValueError, KeyError):
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", choices=["build", "serve"], default="build")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--out", type=Path, default=DIST, help="where to build the site (default: dist/)")
    parser.add_argument("--without", action="append", default=[], choices=sorted(LEVERS), metavar="LEVER",
                        help=f"leave out a start-up lever, to measure it: {', '.join(sorted(LEVERS))}")
    args = parser.parse_args()
    levers = frozenset(LEVERS) - set(args.without)
    if args.command == "build":
        with build_lock(CACHE):
            record = build(args.out, levers=levers)
        print(f"built {args.out} ({len(record['files'])} files) in {record['seconds']} s")
    else:
        if not is_current(args.out, levers):
            print(f"the sources changed since the last build: building {args.out} first", flush=True)
        ensure_built(args.out, levers)
    if args.command == "serve":
        server = make_server(args.out, args.port)
        print(f"serving the playground at {url_of(server)}  (Ctrl+C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
