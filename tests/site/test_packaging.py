"""One packaging path: `pip install .` and the site's worker get the same wheel, and it works installed.

The wheel is built by pip through the project's PEP 517 backend (sitebuild/backend.py), installed into a
fresh venv of Python 3.12 with no access to the repository, and the engine and both views are imported
there (the views read JS and CSS files beside their modules at import: a wheel without them fails here).
"""
import glob
import math
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

import build
from sitebuild import backend
from playground import a11y
from playground.graph import steps

ROOT = build.ROOT
SHARED_SITE_PACKAGES = sysconfig.get_paths()["purelib"]   # panel, bokeh, numpy: nothing is downloaded


def python312():
    """The interpreter the Makefile's PY312 picks: pyenv's 3.12, else python3.12 on PATH."""
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12.*/bin/python3.12")))
    return found[0] if found else shutil.which("python3.12") or sys._base_executable


@pytest.fixture(scope="module")
def pip_wheel(tmp_path_factory):
    """The wheel `pip wheel .` builds (what `pip install .` installs), offline."""
    folder = tmp_path_factory.mktemp("pip-wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index", "-q", "-w", str(folder),
                    str(ROOT)], check=True, timeout=120)
    (wheel,) = folder.glob("*.whl")
    return wheel


def test_pip_and_the_site_build_make_the_same_wheel_byte_for_byte(pip_wheel, tmp_path):
    entries = build.project_entries(tmp_path)
    site_wheel = tmp_path / entries[0]["file_name"]
    assert entries[0]["name"] == "micrograd-playground"
    assert sorted(entries[0]["imports"]) == ["engine", "playground"]
    assert site_wheel.name == pip_wheel.name == "micrograd_playground-0.1.0-py3-none-any.whl"
    assert site_wheel.read_bytes() == pip_wheel.read_bytes()


def test_the_wheel_holds_every_file_of_the_packages_js_and_css_included(pip_wheel):
    with zipfile.ZipFile(pip_wheel) as archive:
        names = set(archive.namelist())
    sources = {p.relative_to(ROOT).as_posix() for package in ("engine", "playground")
               for p in (ROOT / package).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert {"playground/graph/animation.js", "playground/a11y/a11y.css"} <= names
    assert {f"playground/a11y/{part}" for part in a11y.PARTS} <= names
    assert sources == {n for n in names if ".dist-info/" not in n}


def test_a_wheel_built_from_the_sdist_is_the_same_wheel(pip_wheel, tmp_path):
    sdist = backend.build_sdist_archive(ROOT, tmp_path / "sdist")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    (source,) = (tmp_path / "unpacked").iterdir()
    wheel = backend.build_project_wheel(source, tmp_path / "from-sdist")
    assert wheel.read_bytes() == pip_wheel.read_bytes()


def test_the_installed_wheel_imports_the_engine_and_both_views_outside_the_repository(pip_wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([python312(), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "-q", str(pip_wheel)], check=True, timeout=120)
    site_packages = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        check=True, capture_output=True, text=True).stdout.strip())
    # The shared venv's packages come after the installed wheel on sys.path (a .pth line is appended).
    (site_packages / "zz_shared_dependencies.pth").write_text(SHARED_SITE_PACKAGES + "\n")
    script = (
        "import engine, playground.graph.view, playground.training.view, playground.graph.steps as steps\n"
        "print(engine.__file__); print(playground.graph.view.__file__); print(playground.training.view.__file__)\n"
        "import playground.a11y as a11y; print(len(steps.ANIMATION_JS) + len(a11y.A11Y_JS) + len(a11y.A11Y_CSS))\n"
        "a = engine.Value(2.0); b = (a * a).tanh(); b.backward(); print(a.grad)\n")
    # -I: no PYTHONPATH, no user site, not the current directory; run from outside the repository.
    result = subprocess.run([python, "-I", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    *files, data_chars, grad = result.stdout.split()
    assert len(files) == 3 and all(Path(f).is_relative_to(site_packages) for f in files), files
    # The JS and CSS read beside the modules: the same as the repository's (the layer's parts joined).
    assert int(data_chars) == len(steps.ANIMATION_JS) + len(a11y.A11Y_JS) + len(a11y.A11Y_CSS)
    assert float(grad) == pytest.approx(4 * (1 - math.tanh(4.0) ** 2))
