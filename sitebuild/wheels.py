"""Writing wheels the worker installs: repacked PyPI wheels and the project's own packages.

Every wheel written here is deterministic: entries sorted, timestamps fixed,
so building twice gives byte-identical files (and the same sha256 in the lock).
"""
import base64
import hashlib
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)

# Parts of the published wheels the worker never reads: the page loads BokehJS and
# Panel's JS/CSS from the site itself, and tests are not run in the browser.
UNUSED_IN_WORKER = ("panel/dist/", "panel/tests/", "bokeh/server/static/", "bokeh/sphinxext/")
# ...but for the stylesheets of Panel's that the first render carries as text (playground/inline_styles.py;
# tests/site/test_build.py checks that it imports no other).
READ_IN_WORKER = frozenset(f"panel/dist/{name}" for name in (
    "css/loading.css", "css/button.css", "css/listpanel.css", "css/select.css", "css/divider.css",
    "bundled/theme/bootstrap.css", "bundled/theme/default.css", "bundled/theme/bootstrap_default.css"))


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def write_wheel(target: Path, files: dict[str, bytes]) -> Path:
    """Write `files` (archive name -> bytes, dist-info included, RECORD excluded) as a wheel."""
    dist_info = next(name.split("/")[0] for name in files if name.split("/")[0].endswith(".dist-info"))
    record_name = f"{dist_info}/RECORD"
    lines = [_record_line(name, data) for name, data in sorted(files.items())]
    record = "\n".join(lines + [f"{record_name},,", ""]).encode()
    return write_zip(target, {**files, record_name: record})


def write_zip(target: Path, files: dict[str, bytes]) -> Path:
    """Write `files` (archive name -> bytes) as a zip: entries sorted, timestamps fixed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return target


def read_wheel(source: Path) -> dict[str, bytes]:
    """A wheel's files (archive name -> bytes), without directories and without its RECORD."""
    with zipfile.ZipFile(source) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if not name.endswith("/") and not name.endswith(".dist-info/RECORD")}


def _wheel_file(generator: str) -> bytes:
    return (f"Wheel-Version: 1.0\nGenerator: {generator}\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n").encode()


def repack(source: Path, target: Path, drop_native: bool = False) -> Path:
    """Rewrite a published wheel for the worker: without the parts it never reads.

    With drop_native, compiled extensions are removed and the wheel is tagged
    py3-none-any: packages like MarkupSafe and PyYAML fall back to pure Python.
    """
    files = {name: data for name, data in read_wheel(source).items()
             if (not name.startswith(UNUSED_IN_WORKER) or name in READ_IN_WORKER)
             and not (drop_native and name.endswith((".so", ".c", ".pyx")))}
    if drop_native:
        wheel_name = next(name for name in files if name.endswith(".dist-info/WHEEL"))
        files[wheel_name] = _wheel_file("sitebuild (native parts removed)")
    return write_wheel(target, files)


def package_files(package_dir: Path) -> dict[str, bytes]:
    """Every file of a package directory (archive name -> bytes), not only its .py files: the app reads
    its JS and CSS beside its modules at import (playground/graph/animation.js). Bytecode is left out."""
    files = {}
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[path.relative_to(package_dir.parent).as_posix()] = path.read_bytes()
    return files


def project_wheel(package_dir: Path, version: str, target_dir: Path) -> Path:
    """A wheel of one stand-in package (sitebuild/browser_shims/). The project's own wheel is built by
    sitebuild/backend.py, the same one `pip install .` builds."""
    name = package_dir.name
    files = package_files(package_dir)
    dist_info = f"{name}-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    files[f"{dist_info}/WHEEL"] = _wheel_file("sitebuild")
    files[f"{dist_info}/top_level.txt"] = f"{name}\n".encode()
    return write_wheel(target_dir / f"{name}-{version}-py3-none-any.whl", files)
