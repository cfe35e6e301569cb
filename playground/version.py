"""The project's version, declared once in pyproject.toml.

Installed (the wheel the browser's worker and `pip install .` install), it is the package metadata's, which
sitebuild/backend.py wrote from pyproject.toml; run from the source tree, it is read from pyproject.toml itself.
The page shows it in the keyboard help; a shared document records it (document.py, "written_by").
"""
import importlib.metadata
from pathlib import Path

DISTRIBUTION = "micrograd-playground"


def _version():
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        import tomllib
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]


VERSION = _version()
