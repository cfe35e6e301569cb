"""Links made with link format 1 / schema version 1 must open to the same document forever.

These strings were written by the page on 2026-11-25. Never edit them to make a change pass: a change that
breaks them needs a new schema version with an upgrade (document.UPGRADES) or a new link format.
"""
from playground import document as D

GOLDEN_TRAINED = (
    "#d=1.ePl1H5ZRjdOxCsIwEAbgV5HOScklxqKIax-idNDWTSg4RaTv3vtbTGN6gkuGhIT_7ru8Jd_YuZW4Hh5czO5Ml7-xP7Qvpp0ZQ6ZVhOJkk"
    "Zvz40rUsz_1wvBM7Wxq5yOd6OY3bg0_4JXGEbUSohMUXS6I0lbBW3fP6K49N0iwMzLetxxFOkroGkTWc3pwk8IkoBumdNjfL0XxcuCtSmFoTXl"
    "Umv9eO44TVFeUJg")
GOLDEN_FRESH = (
    "#d=1.ePl1H5ZRq6Zq_MJisxIYm-CYq0CLIKUKJSsjkFOBTgZpgUeYEc4Iq8gvQo4uI-ToMoXHFtaoMsWIqmigAaY6uiApw1hs8WaMJeKM0SMN5"
    "DVEpCUlp6LFVmIKMICwRJcB9vhCjSxDPLEFAB8phcg")

TRAINING = {
    "dataset": "xor", "noise": 0.2, "n_points": 50, "seed": 7, "train_fraction": 0.5,
    "added_points": [[0.25, -0.5, 1]], "removed_points": [3], "hidden_layers": [3], "activation": "tanh",
    "loss": "bce", "optimizer": "adam", "learning_rate": 0.01, "decay": 0.0, "l2": 0.0, "batch_size": 10,
    "step": 1, "weights": [0.5, -0.25, 1e-3, 0.1, 0.2, 0.3, -0.4, -0.5, -0.6, 0.7, 0.8, 0.9, -1.0],
}
GRAPH = {"program": "x = 2.0\ny = -3.0\nz = x * y + tanh(x)\n", "values": {"x": 2.0, "y": -3.0}, "step": 2}


def test_trained_link_of_version_1_still_opens():
    doc, options, error = D.read_fragment(GOLDEN_TRAINED)
    assert error is None
    assert doc == {"version": 1, "view": "training", "title": "Golden <1>", "graph": GRAPH, "training": TRAINING}


def test_fresh_link_of_version_1_still_opens():
    doc, _, error = D.read_fragment(GOLDEN_FRESH)
    assert error is None
    assert doc == {"version": 1, "view": "graph", "title": "", "graph": GRAPH,
                   "training": dict(TRAINING, step=0, weights=None)}

