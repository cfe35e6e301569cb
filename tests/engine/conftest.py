import json
import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="session")
def moons_w():
    """Workload W's 100 points: make_moons(n_samples=100, noise=0.1) after np.random.seed(1337)."""
    d = json.loads((DATA / "moons_w.json").read_text())
    return d["X"], d["y"]
