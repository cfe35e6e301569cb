"""Wheels compiled to bytecode at build time (sitebuild/bytecode.py): they import without their
sources, or with sources the bytecode is used as is; a Python that would write unreadable bytecode
for the browser stops the build."""
import subprocess
import sys
import zipfile

import pytest

from sitebuild import bytecode, wheels

MODULE = ('def twice(x):\n    """Doubles."""\n    return 2 * x\n\nVALUE = twice(21)\n'
          # a set constant (written in hash order) and repeated names (written once, then referred to)
          'def kind(word):\n    return word in {"relu", "tanh", "sigmoid", "exp", "log", "value", "grad"}\n')


def make_wheel(tmp_path, name="pkg"):
    package = tmp_path / "src" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from .core import VALUE\n")
    (package / "core.py").write_text(MODULE)
    return wheels.project_wheel(package, "1.0", tmp_path / "wheels")


def unpack_and_run(wheel, target, code):
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return subprocess.run([sys.executable, "-c", code], cwd=target, capture_output=True, text=True, check=True,
                          env={"PYTHONDONTWRITEBYTECODE": "1"}).stdout.strip()


def test_sourceless_wheel_imports_and_reports_site_packages_paths(tmp_path):
    wheel = bytecode.compile_wheel(make_wheel(tmp_path), keep_sources=False)
    names = zipfile.ZipFile(wheel).namelist()
    assert "pkg/core.pyc" in names and "pkg/__init__.pyc" in names
    assert not [n for n in names if n.endswith(".py")]
    out = unpack_and_run(wheel, tmp_path / "site",
                         "import pkg, pkg.core; print(pkg.VALUE, pkg.core.twice.__code__.co_filename)")
    assert out == f"42 /lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages/pkg/core.py"


def test_wheel_with_sources_uses_its_bytecode_without_checking_them(tmp_path):
    wheel = bytecode.compile_wheel(make_wheel(tmp_path), keep_sources=True)
    names = zipfile.ZipFile(wheel).namelist()
    tag = sys.implementation.cache_tag
    assert {"pkg/core.py", f"pkg/__pycache__/core.{tag}.pyc", f"pkg/__pycache__/__init__.{tag}.pyc"} <= set(names)
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # Unpacking gives the sources new times; "unchecked" bytecode is used anyway (no compile in the
    # browser). Proof: a changed source is not even read.
    (site / "pkg" / "core.py").write_text(MODULE.replace("2 * x", "3 * x"))
    out = subprocess.run([sys.executable, "-c", "import pkg; print(pkg.VALUE)"], cwd=site, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "42"


def test_a_different_python_minor_version_stops_the_build():
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    bytecode.check_python(f"{minor}.7")
    with pytest.raises(SystemExit, match="bytecode compiled by Python"):
        bytecode.check_python("3.99.0")


def test_compiling_is_deterministic(tmp_path):
    first = bytecode.compile_wheel(make_wheel(tmp_path / "a"), keep_sources=False).read_bytes()
    second = bytecode.compile_wheel(make_wheel(tmp_path / "b"), keep_sources=False).read_bytes()
    assert first == second
