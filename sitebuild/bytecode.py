"""Wheels with their Python already compiled to bytecode, so the browser does not compile it.

Pyodide compiles every imported module from source on each page load: for Panel, Bokeh, pandas
and numpy that is most of the app's start-up. The build compiles them once, with the build's own
CPython, which must be the same minor version as the browser's (the bytecode format changes
between minor versions, never within one).

- Other people's packages become sourceless: each `x.py` is replaced by `x.pyc` at the same place
  (Python imports those directly; Pyodide ships its own standard library the same way). Smaller too.
- The project's own packages keep their sources beside `__pycache__/x.cpython-312.pyc`, compiled
  "unchecked" (used without comparing it to the source), so tracebacks and students still see the code.
"""
import importlib.util
import marshal
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sitebuild.wheels import read_wheel, write_wheel

SITE_PACKAGES = "/lib/python{minor}/site-packages/"


def check_python(browser_python: str) -> None:
    """Stop the build if this CPython would write bytecode the browser's Python cannot read."""
    ours = f"{sys.version_info.major}.{sys.version_info.minor}"
    if not browser_python.startswith(ours + "."):
        raise SystemExit(f"bytecode compiled by Python {ours} does not load in the browser's Python "
                         f"{browser_python}: build with Python {'.'.join(browser_python.split('.')[:2])}")


def _pyc(source: bytes, filename: str, source_hash: bytes | None) -> bytes:
    """A .pyc file: header (magic, flags, then a hash or an mtime/size pair of zeros) + marshalled code."""
    code = compile(source, filename, "exec", dont_inherit=True)
    if source_hash is None:  # sourceless: nothing to compare with, the mtime/size fields stay 0
        header = importlib.util.MAGIC_NUMBER + (0).to_bytes(4, "little") + bytes(8)
    else:  # flags 0b01: hash-based, not checked against the source
        header = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + source_hash
    return header + marshal.dumps(code)


def compile_wheel(wheel: Path, keep_sources: bool) -> Path:
    """Rewrite `wheel` in place with every module compiled (see the module docstring).

    The same sources must give the same bytes (the build is reproducible), but marshal's output
    depends on the compiling process: set constants follow string hashes, which change with each
    process's hash seed, and an object's reference count decides whether it is written once and
    referred to later. So each wheel is compiled by a fresh interpreter with a fixed hash seed,
    which starts in the same state every time."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-s", "-m", "sitebuild.bytecode", str(wheel), str(keep_sources)],
                   check=True, env=env, cwd=Path(__file__).resolve().parents[1])
    return wheel


def _compile_wheel_here(wheel: Path, keep_sources: bool) -> Path:
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    tag = sys.implementation.cache_tag
    files = read_wheel(wheel)
    compiled = {}
    for name, data in files.items():
        if not name.endswith(".py") or ".dist-info/" in name:
            compiled[name] = data
            continue
        filename = SITE_PACKAGES.format(minor=minor) + name
        try:
            if keep_sources:
                folder, _, stem = name[:-3].rpartition("/")
                cached = f"{folder}/__pycache__/{stem}.{tag}.pyc" if folder else f"__pycache__/{stem}.{tag}.pyc"
                compiled[cached] = _pyc(data, filename, importlib.util.source_hash(data))
                compiled[name] = data
            else:
                compiled[name[:-3] + ".pyc"] = _pyc(data, filename, None)
        except SyntaxError:  # e.g. a template or test data that only looks like Python: ship it as is
            compiled[name] = data
    return write_wheel(wheel, compiled)


def is_compiled(wheel: Path) -> bool:
    with zipfile.ZipFile(wheel) as archive:
        return any(name.endswith(".pyc") for name in archive.namelist())


if __name__ == "__main__":
    _compile_wheel_here(Path(sys.argv[1]), sys.argv[2] == "True")
