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


LEAN_MODULE = '''"""The module's docstring."""
class Shape:
    """The class's docstring."""
    sides = 0

    def area(self):
        """The method's docstring."""
        x = 1
        raise ValueError(x)

    def name(self):
        """shape"""
        return "shape"   # the same string as its docstring: one constant, which must stay

square = lambda: "lambda's first constant"
words = list(w for w in ("a generator's first constant",))
'''


def lean_namespace():
    code = bytecode.lean(compile(LEAN_MODULE, "/lib/lean.py", "exec"))
    namespace = {"__name__": "lean"}
    exec(code, namespace)
    return namespace


def test_lean_bytecode_has_no_docstrings_and_runs_the_same():
    namespace = lean_namespace()
    shape = namespace["Shape"]
    assert namespace.get("__doc__") is None and shape.__doc__ is None and shape.area.__doc__ is None
    assert shape().name() == "shape" and shape.name.__doc__ == "shape"   # a constant in use is kept
    assert namespace["square"]() == "lambda's first constant"
    assert namespace["words"] == ["a generator's first constant"]


def test_lean_bytecode_keeps_every_line_for_tracebacks():
    def lines(code):
        merged = []
        for start, end, line in code.co_lines():
            if merged and merged[-1][2] == line and merged[-1][1] == start:
                merged[-1] = (merged[-1][0], end, line)
            else:
                merged.append((start, end, line))
        return [merged] + [lines(c) for c in code.co_consts if hasattr(c, "co_lines")]

    import dataclasses, inspect as inspect_module   # big modules, every kind of statement
    for module in (dataclasses, inspect_module):
        source = open(module.__file__).read()
        full = compile(source, module.__file__, "exec")
        lean = bytecode.lean(full, docstrings=True)
        assert lines(lean) == lines(full), module.__name__
        assert len(lean.co_linetable) < len(full.co_linetable) / 2
    import traceback
    try:
        lean_namespace()["Shape"]().area()
    except ValueError as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
    assert (where.filename, where.lineno, where.name) == ("/lib/lean.py", 9, "area")


def test_the_standard_library_zip_becomes_lean_sourceless_bytecode(tmp_path):
    archive = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(archive, "w") as stdlib:
        stdlib.writestr("lean.py", LEAN_MODULE)
        stdlib.writestr("data/grammar.txt", "kept as it is")
        stdlib.writestr("template_only.py", "{% if python %}")
    first = bytecode.compile_stdlib(archive).read_bytes()
    assert set(zipfile.ZipFile(archive).namelist()) == {"lean.pyc", "data/grammar.txt", "template_only.py"}
    out = subprocess.run([sys.executable, "-c", "import lean; print(lean.Shape.__doc__, lean.__file__)"],
                         env={"PYTHONPATH": str(archive)}, capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "None" and out.split()[1].endswith("lean.pyc")
    with zipfile.ZipFile(archive, "w") as stdlib:   # the same sources again: the same bytes
        stdlib.writestr("lean.py", LEAN_MODULE)
        stdlib.writestr("data/grammar.txt", "kept as it is")
        stdlib.writestr("template_only.py", "{% if python %}")
    assert bytecode.compile_stdlib(archive).read_bytes() == first


def test_a_module_whose_docstrings_its_package_reads_keeps_them(tmp_path):
    wheel = bytecode.compile_wheel(make_wheel(tmp_path), keep_sources=False, keep_docstrings=("pkg/core.py",))
    out = unpack_and_run(wheel, tmp_path / "site", "import pkg.core; print(pkg.core.twice.__doc__)")
    assert out == "Doubles."
    wheel = bytecode.compile_wheel(make_wheel(tmp_path / "lean"), keep_sources=False)
    out = unpack_and_run(wheel, tmp_path / "lean-site", "import pkg.core; print(pkg.core.twice.__doc__)")
    assert out == "None"


def test_documentation_arguments_are_left_out_where_asked(tmp_path):
    package = tmp_path / "src" / "props"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "def prop(default=None, help=None, doc=None):\n    return (default, help, doc)\n"
        "def add_newdoc(place, name, doc):\n    return doc\n"
        "A = prop(1, help='Long documentation.', doc='kept')\n"
        "B = prop(2, help=f'{1 + 1}')   # not a plain string: kept\n"
        "C = add_newdoc('numpy', 'dot', 'Dot product.')\n"
        "D = add_newdoc('numpy', 'ndarray', ('T', 'The transpose.'))\n")
    wheel = bytecode.compile_wheel(wheels.project_wheel(package, "1.0", tmp_path / "wheels"), keep_sources=False,
                                   documentation={"keywords": ["help"], "calls": ["add_newdoc"]})
    out = unpack_and_run(wheel, tmp_path / "site", "import props; print(props.A, props.B, repr(props.C), props.D)")
    assert out == "(1, None, 'kept') (2, '2', None) '' ('T', '')"
