"""docs/benchmarks.md is the table bench/results_table.py makes from bench/results/*.json (no browser)."""
import json
from pathlib import Path

import pytest

from bench import results_table

ROOT = Path(__file__).parent.parent


def test_the_benchmark_table_is_generated_from_the_results():
    """Edit bench/results/, then run `.venv/bin/python bench/results_table.py > docs/benchmarks.md`."""
    assert (ROOT / "docs/benchmarks.md").read_text() == results_table.table()


def test_every_result_file_is_read_and_shown(tmp_path):
    files = sorted((ROOT / "bench/results").glob("*.json"))
    assert len(files) >= 10
    shown = results_table.table()
    for path in files:
        run = json.loads(path.read_text())
        assert f"| {run['date']} | `{run['commit']}` |" in shown


def test_a_misspelt_figure_is_refused(tmp_path):
    run = json.loads(next((ROOT / "bench/results").glob("*-load.json")).read_text())
    run["figures"]["cold"] = run["figures"].pop("cold_s")
    (tmp_path / "bad.json").write_text(json.dumps(run))
    with pytest.raises(ValueError, match="unknown figures"):
        results_table.table(tmp_path)
