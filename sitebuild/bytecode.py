"""Wheels with their Python already compiled to bytecode, so the browser does not compile it.

Pyodide compiles every imported module from source on each page load: for Panel, Bokeh, pandas
and numpy that is most of the app's start-up. The build compiles them once, with the build's own
CPython, which must be the same minor version as the browser's (the bytecode format changes
between minor versions, never within one).

- Other people's packages become sourceless: each `x.py` is replaced by `x.pyc` at the same place
  (Python imports those directly; Pyodide ships its own standard library the same way). Smaller too.
- The project's own packages keep their sources beside `__pycache__/x.cpython-312.pyc`, compiled
  "unchecked" (used without comparing it to the source), so tracebacks and students still see the code.
- Pyodide's standard library (python_stdlib.zip, shipped as sources) is compiled the same way, sourceless.

Other people's bytecode is also made lean (`lean`): without docstrings (as `python -OO` makes it; asserts
stay) and with line numbers but no columns (a traceback still names each line; it cannot underline the
expression). The saved start is the memory of a Python that imported Panel and Bokeh: their code objects
are most of it, and what they carry that the page never reads is downloaded by every visitor.
"""
import ast
import dis
import importlib.util
import json
import inspect
import marshal
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import CodeType

from sitebuild.wheels import read_wheel, write_wheel, write_zip

SITE_PACKAGES = "/lib/python{minor}/site-packages/"
# CPython 3.12's location table (Objects/locations.md): entries of 1-8 code units, each a byte
# 1cccclll (code, length - 1), then that code's data.
NO_COLUMNS = 13    # a signed varint: the line, relative to the entry before
NO_LOCATION = 15   # no data: the instructions the compiler added have no line


def _signed_varint(value: int) -> bytes:
    value = (-value << 1) | 1 if value < 0 else value << 1
    out = bytearray()
    while value >= 64:
        out.append(0x40 | (value & 63))
        value >>= 6
    return bytes(out + bytes([value]))


def _lines_only(code: CodeType) -> bytes:
    """The code's location table with each instruction's line and no column: the same co_lines()."""
    table, line = bytearray(), code.co_firstlineno
    for start, end, at in code.co_lines():
        units = (end - start) // 2
        while units:
            length = min(units, 8)
            units -= length
            if at is None:
                table.append(0x80 | NO_LOCATION << 3 | length - 1)
            else:
                table += bytes([0x80 | NO_COLUMNS << 3 | length - 1]) + _signed_varint(at - line)
                line = at
    return bytes(table)


def _docstring_index(code: CodeType) -> int | None:
    """Where in co_consts the code keeps its docstring, if nothing else uses that constant.
    A function's is its first constant (the compiler puts None there when it has none) and no
    instruction loads it; a module or class body stores it: LOAD_CONST, then STORE_NAME __doc__."""
    instructions = list(dis.get_instructions(code))
    loads = [ins.arg for ins in instructions if ins.opcode in dis.hasconst]
    if code.co_flags & inspect.CO_NEWLOCALS:
        if code.co_name.startswith("<"):   # lambdas, generator expressions: no docstring
            return None
        index, stores = 0, 0
    else:
        stored = [load.arg for load, store in zip(instructions, instructions[1:])
                  if load.opname == "LOAD_CONST" and store.opname == "STORE_NAME" and store.argval == "__doc__"]
        if not stored:
            return None
        index, stores = stored[0], 1
    if not isinstance(code.co_consts[index] if code.co_consts else None, str) or loads.count(index) != stores:
        return None
    return index


def lean(code: CodeType, docstrings: bool = False) -> CodeType:
    """`code` and the code inside it with lines but no columns, and without docstrings unless asked."""
    consts = [lean(const, docstrings) if isinstance(const, CodeType) else const for const in code.co_consts]
    docstring = None if docstrings else _docstring_index(code)
    if docstring is not None:
        consts[docstring] = None
    return code.replace(co_consts=tuple(consts), co_linetable=_lines_only(code))


def check_python(browser_python: str) -> None:
    """Stop the build if this CPython would write bytecode the browser's Python cannot read."""
    ours = f"{sys.version_info.major}.{sys.version_info.minor}"
    if not browser_python.startswith(ours + "."):
        raise SystemExit(f"bytecode compiled by Python {ours} does not load in the browser's Python "
                         f"{browser_python}: build with Python {'.'.join(browser_python.split('.')[:2])}")


class _WithoutDocumentation(ast.NodeTransformer):
    """Calls without the strings that only document: the string arguments of `keywords` (Bokeh documents
    each property with help="...", param each parameter with doc="...") and the last argument of the
    functions named in `calls` (numpy's add_newdoc(place, name, doc), where doc is a string or a tuple
    (attribute, string)), made empty. Their docs and help() read them; nothing else does."""
    def __init__(self, keywords=(), calls=()):
        self.keywords, self.calls = tuple(keywords), tuple(calls)

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        node.keywords = [kw for kw in node.keywords if not (kw.arg in self.keywords and _is_text(kw.value))]
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name in self.calls and node.args:
            doc = node.args[-1]
            if _is_text(doc):
                node.args[-1] = ast.copy_location(ast.Constant(""), doc)
            elif isinstance(doc, ast.Tuple) and len(doc.elts) == 2 and _is_text(doc.elts[1]):
                doc.elts[1] = ast.copy_location(ast.Constant(""), doc.elts[1])
        return node


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _pyc(source: bytes, filename: str, source_hash: bytes | None, docstrings: bool = False,
         documentation: dict | None = None) -> bytes:
    """A .pyc file: header (magic, flags, then a hash or an mtime/size pair of zeros) + marshalled code.
    Sourceless bytecode is lean; the project's own keeps what a student's traceback shows."""
    if documentation:
        source = _WithoutDocumentation(**documentation).visit(ast.parse(source, filename))
    code = compile(source, filename, "exec", dont_inherit=True)
    if source_hash is None:  # sourceless: nothing to compare with, the mtime/size fields stay 0
        code = lean(code, docstrings)
        header = importlib.util.MAGIC_NUMBER + (0).to_bytes(4, "little") + bytes(8)
    else:  # flags 0b01: hash-based, not checked against the source
        header = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + source_hash
    return header + marshal.dumps(code)


def compile_wheel(wheel: Path, keep_sources: bool, keep_docstrings: tuple[str, ...] = (),
                  documentation: dict | None = None) -> Path:
    """Rewrite `wheel` in place with every module compiled (see the module docstring).

    The same sources must give the same bytes (the build is reproducible), but marshal's output
    depends on the compiling process: set constants follow string hashes, which change with each
    process's hash seed, and an object's reference count decides whether it is written once and
    referred to later. So each wheel is compiled by a fresh interpreter with a fixed hash seed,
    which starts in the same state every time.

    `keep_docstrings`: the modules (names in the wheel) whose docstrings the package reads as it starts,
    unless `python -OO` tells it not to (numpy's add_docstring): lean bytecode does not set that flag.
    `documentation`: which arguments of which calls only document (_WithoutDocumentation's `keywords`
    and `calls`)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    options = {"keep_sources": keep_sources, "keep_docstrings": list(keep_docstrings),
               "documentation": documentation}
    subprocess.run([sys.executable, "-s", "-m", "sitebuild.bytecode", str(wheel), json.dumps(options)],
                   check=True, env=env, cwd=Path(__file__).resolve().parents[1])
    return wheel


def _compile_wheel_here(wheel: Path, keep_sources: bool, keep_docstrings: list[str],
                        documentation: dict | None) -> Path:
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
                compiled[name[:-3] + ".pyc"] = _pyc(data, filename, None, name in keep_docstrings, documentation)
        except SyntaxError:  # e.g. a template or test data that only looks like Python: ship it as is
            compiled[name] = data
    return write_wheel(wheel, compiled)


def compile_stdlib(archive: Path) -> Path:
    """Rewrite Pyodide's standard library zip in place with its modules compiled, sourceless and lean
    (zipimport imports x.pyc as it would x.py). A fresh interpreter, as compile_wheel."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-s", "-m", "sitebuild.bytecode", "stdlib", str(archive)],
                   check=True, env=env, cwd=Path(__file__).resolve().parents[1])
    return archive


def _compile_stdlib_here(archive: Path) -> None:
    prefix = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
    with zipfile.ZipFile(archive) as source:
        files = {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}
    compiled = {}
    for name, data in files.items():
        if name.endswith(".py"):
            try:
                compiled[name[:-3] + ".pyc"] = _pyc(data, prefix + name, None)
                continue
            except SyntaxError:
                pass
        compiled[name] = data
    write_zip(archive, compiled)


def is_compiled(wheel: Path) -> bool:
    with zipfile.ZipFile(wheel) as archive:
        return any(name.endswith(".pyc") for name in archive.namelist())


if __name__ == "__main__":
    if sys.argv[1] == "stdlib":
        _compile_stdlib_here(Path(sys.argv[2]))
    else:
        _compile_wheel_here(Path(sys.argv[1]), **json.loads(sys.argv[2]))
