"""The import graph of engine/, playground/, sitebuild/ and build.py has no cycle (imports inside functions count
too); engine/ imports nothing from playground/, and neither imports the build (sitebuild/, build.py)."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "playground", "sitebuild")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path, modules):
    """The modules of this repository that `path` imports, anywhere in the file (`from . import edits` imports
    the module edits, not its package)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return found


def graph():
    files = [p for package in PACKAGES for p in sorted(ROOT.glob(f"{package}/**/*.py"))] + [ROOT / "build.py"]
    names = {module_name(p): p for p in files}
    return {name: {m for m in imports(path, names) if m in names and m != name} for name, path in names.items()}


def find_cycle(edges):
    state, stack = {}, []

    def visit(node):  # depth-first; a node met again while on the stack closes a cycle
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle():
    edges = graph()
    # The graph is read from every part: a module of each, and edges the code is known to have.
    assert "engine.ops" in edges["engine.value"] and "engine.graph" in edges["engine.value"]
    assert "playground.live_document" in edges["playground.app"]
    assert "sitebuild.wheels" in edges["sitebuild.backend"] and "sitebuild.convert" in edges["build"]
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges))


def test_the_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_engine_imports_nothing_from_playground():
    for name, targets in graph().items():
        if name.startswith("engine"):
            assert not any(t.startswith("playground") for t in targets), name


def test_the_app_and_the_engine_import_nothing_from_the_build():
    for name, targets in graph().items():
        if name.startswith(("engine", "playground")):
            assert not any(t == "build" or t.startswith("sitebuild") for t in targets), name
