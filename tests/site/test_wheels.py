"""Wheels written by the build are deterministic and keep only what the worker needs."""
import zipfile

from sitebuild import wheels


def make_wheel(path, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


NATIVE = {
    "fast/__init__.py": "try:\n    from ._speedups import f\nexcept ImportError:\n    f = None\n",
    "fast/_speedups.cpython-312-x86_64-linux-gnu.so": b"\x7fELF",
    "fast/_speedups.c": "int f;",
    "fast-1.0.dist-info/METADATA": "Name: fast\nVersion: 1.0\n",
    "fast-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-manylinux_2_17_x86_64\n",
    "fast-1.0.dist-info/RECORD": "stale",
}


def test_repack_drops_native_code_and_retags_the_wheel(tmp_path):
    source = make_wheel(tmp_path / "fast-1.0-cp312-cp312-manylinux.whl", NATIVE)
    target = wheels.repack(source, tmp_path / "out" / "fast-1.0-py3-none-any.whl", drop_native=True)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert not any(name.endswith((".so", ".c")) for name in names)
        assert "Tag: py3-none-any" in archive.read("fast-1.0.dist-info/WHEEL").decode()
        record = archive.read("fast-1.0.dist-info/RECORD").decode()
    assert sorted(line.split(",")[0] for line in record.splitlines()) == sorted(names)


def test_repack_drops_the_js_the_worker_never_reads(tmp_path):
    source = make_wheel(tmp_path / "panel.whl", {"panel/__init__.py": "", "panel/dist/panel.min.js": "js",
                                                 "panel-1.0.dist-info/METADATA": "Name: panel\n"})
    with zipfile.ZipFile(wheels.repack(source, tmp_path / "out.whl")) as archive:
        assert "panel/dist/panel.min.js" not in archive.namelist()
        assert "panel/__init__.py" in archive.namelist()


def test_repack_keeps_the_stylesheets_the_first_render_carries_as_text(tmp_path):
    source = make_wheel(tmp_path / "panel.whl", {"panel/__init__.py": "", "panel/dist/css/loading.css": "a {}",
                                                 "panel/dist/css/chat_feed.css": "b {}",
                                                 "panel-1.0.dist-info/METADATA": "Name: panel\n"})
    with zipfile.ZipFile(wheels.repack(source, tmp_path / "out.whl")) as archive:
        assert "panel/dist/css/loading.css" in archive.namelist()
        assert "panel/dist/css/chat_feed.css" not in archive.namelist()


def test_wheels_are_byte_identical_when_written_twice(tmp_path):
    source = make_wheel(tmp_path / "fast.whl", NATIVE)
    first = wheels.repack(source, tmp_path / "a" / "fast.whl", drop_native=True).read_bytes()
    second = wheels.repack(source, tmp_path / "b" / "fast.whl", drop_native=True).read_bytes()
    assert first == second

    package = tmp_path / "src" / "demo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("X = 1\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "junk.pyc").write_bytes(b"junk")
    one = wheels.project_wheel(package, "0.1.0", tmp_path / "one")
    two = wheels.project_wheel(package, "0.1.0", tmp_path / "two")
    assert one.read_bytes() == two.read_bytes()
    assert one.name == "demo-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(one) as archive:
        assert "demo/__pycache__/junk.pyc" not in archive.namelist()
        assert archive.read("demo/__init__.py") == b"X = 1\n"
