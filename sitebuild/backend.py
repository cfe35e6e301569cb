"""The project's one wheel, built one way: what `pip install .` installs and what the browser's worker installs.

pyproject.toml names this module as its build backend (PEP 517), so pip calls build_wheel() below;
build.py calls build_project_wheel() for the site. Both ship the packages listed under
[tool.micrograd-playground] with every file in them (the JS and CSS the app reads at import included)
and the metadata of [project], written by sitebuild/wheels.py: sorted entries, fixed timestamps, so the
same sources always give the same bytes. No build dependency is downloaded (the backend needs only the
standard library), so `pip install .` works offline.
"""
import io
import re
import tarfile
import tomllib
from pathlib import Path

from sitebuild.wheels import package_files, write_wheel

WHEEL_TAG = "py3-none-any"
# The files the sdist carries besides the packages: what building a wheel from it reads.
SDIST_EXTRAS = ("pyproject.toml", "README.md", "sitebuild/__init__.py", "sitebuild/backend.py", "sitebuild/wheels.py")


def project_table(root: Path) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text())


def packages_of(root: Path) -> list[str]:
    return project_table(root)["tool"]["micrograd-playground"]["packages"]


def distribution_name(name: str) -> str:
    """The name in file names: micrograd-playground -> micrograd_playground (PEP 427 / PEP 503)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def stem_of(root: Path) -> str:
    """name-version, as wheel and sdist file names begin."""
    project = project_table(root)["project"]
    return f"{distribution_name(project['name'])}-{project['version']}"


def metadata(root: Path) -> str:
    """Core metadata (METADATA / PKG-INFO) from [project]."""
    project = project_table(root)["project"]
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    if "text" in project.get("license", {}):
        lines.append(f"License: {project['license']['text']}")
    lines += [f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {requirement}; extra == "{extra}"' for requirement in requirements]
    return "\n".join(lines) + "\n"


def _wheel(root: Path, target_dir: Path, files: dict[str, bytes], generator: str) -> Path:
    stem = stem_of(root)
    dist_info = f"{stem}.dist-info"
    files[f"{dist_info}/METADATA"] = metadata(root).encode()
    files[f"{dist_info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: {generator}\nRoot-Is-Purelib: true\n"
                                   f"Tag: {WHEEL_TAG}\n").encode()
    return write_wheel(target_dir / f"{stem}-{WHEEL_TAG}.whl", files)


def build_project_wheel(root: Path, target_dir: Path) -> Path:
    """The wheel of the project at `root`, written into target_dir; returns its path."""
    files = {}
    for package in packages_of(root):
        files.update(package_files(root / package))
    files[f"{stem_of(root)}.dist-info/top_level.txt"] = "".join(f"{p}\n" for p in packages_of(root)).encode()
    return _wheel(root, target_dir, files, "sitebuild.backend")


def build_editable_wheel(root: Path, target_dir: Path) -> Path:
    """`pip install -e .`: a wheel whose .pth file puts the source tree on sys.path (PEP 660)."""
    name = distribution_name(project_table(root)["project"]["name"])
    return _wheel(root, target_dir, {f"__editable__.{name}.pth": f"{root.resolve()}\n".encode()},
                  "sitebuild.backend (editable)")


def build_sdist_archive(root: Path, target_dir: Path) -> Path:
    """A source archive from which build_wheel gives the same wheel (fixed timestamps and owners)."""
    stem = stem_of(root)
    files = {name: (root / name).read_bytes() for name in SDIST_EXTRAS}
    for package in packages_of(root):
        files.update(package_files(root / package))
    files["PKG-INFO"] = metadata(root).encode()
    target = target_dir / f"{stem}.tar.gz"
    target_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(f"{stem}/{name}")
            info.size, info.mode, info.mtime = len(data), 0o644, 315532800
            archive.addfile(info, io.BytesIO(data))
    return target


# --- the PEP 517 / PEP 660 hooks pip calls (the current directory is the source tree) -----------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return build_project_wheel(Path.cwd(), Path(wheel_directory)).name


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return build_editable_wheel(Path.cwd(), Path(wheel_directory)).name


def build_sdist(sdist_directory, config_settings=None):
    return build_sdist_archive(Path.cwd(), Path(sdist_directory)).name
