"""The load benchmark's baseline (bench/baseline_site.py): Panel's own worker with only the offline changes.

No browser and no build here: bench/load_bench.py loads the baseline in Chromium each time it runs.
"""
import zipfile
from pathlib import Path

import pytest

from bench import baseline_site
from sitebuild.convert import foreign_urls, make_local


def make_wheel(path, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def panel_worker() -> str:
    """Panel's worker as `panel convert` renders it, with the placeholder roots the baseline converts with."""
    from panel.io import convert

    return convert.WEB_WORKER_TEMPLATE.render({
        "PYODIDE_URL": baseline_site.PLACEHOLDER + "pyodide/" + convert.PYODIDE_VERSION + "/full/pyodide.mjs",
        "data_archives": "", "env_spec": "'bokeh==3.10.2', 'panel==1.10.0', 'playground'", "code": "print(1)"})


def test_offline_worker_keeps_panels_worker_and_adds_only_the_offline_changes():
    original = make_local(panel_worker())
    worker = baseline_site.offline_worker(original)
    assert 'import { loadPyodide } from "./pyodide/pyodide.mjs";' in worker
    assert "loadPyodide({env: {PANEL_CDN_ROOT: new URL('./panel/', self.location).href}})" in worker
    # micropip installs the requirements, as in Panel's worker; the shim runs before the app's code
    assert 'loadPackage("micropip")' in worker and "await micropip.install(['bokeh==3.10.2'" in worker
    assert worker.index("jsnull") < worker.index("msg: 'Executing code'")
    assert foreign_urls(worker) == []
    # nothing else changed: Panel's lines are all still there, in order
    kept = [line for line in worker.splitlines() if line in original.splitlines()]
    assert len(kept) >= len(original.splitlines()) - 2


def test_plain_wheel_drops_bytecode_and_keeps_sources(tmp_path):
    source = make_wheel(tmp_path / "pkg-1.0-py3-none-any.whl", {
        "pkg/__init__.py": "", "pkg/__pycache__/__init__.cpython-312.pyc": b"\0",
        "pkg/mod.py": "x = 1\n", "pkg/__pycache__/mod.cpython-312.pyc": b"\0",
        "pkg-1.0.dist-info/METADATA": "Name: pkg\nVersion: 1.0\n", "pkg-1.0.dist-info/RECORD": "stale"})
    target = tmp_path / "out" / source.name
    target.parent.mkdir()
    baseline_site.plain_wheel(source, target, "pkg", official={})
    with zipfile.ZipFile(target) as archive:
        assert sorted(n for n in archive.namelist() if not n.endswith("RECORD")) == [
            "pkg-1.0.dist-info/METADATA", "pkg/__init__.py", "pkg/mod.py"]


def test_a_sourceless_wheel_of_unknown_origin_stops_the_baseline(tmp_path):
    source = make_wheel(tmp_path / "mystery-1.0-py3-none-any.whl", {"mystery/__init__.pyc": b"\0"})
    with pytest.raises(SystemExit, match="without sources"):
        baseline_site.plain_wheel(source, tmp_path / "out.whl", "mystery", official={})


def test_the_baseline_is_listed_with_its_changes():
    assert len(baseline_site.CHANGES) == 5
    assert baseline_site.SITE == Path(baseline_site.ROOT) / ".cache" / "baseline-site"
