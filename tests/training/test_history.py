"""The loss and accuracy history stays bounded on a long run, and its curves keep their shape."""

import numpy as np

from playground.training import history
from playground.training.controller import TrainingRun
from playground.training.history import ThinnedHistory
from playground.training.state import TrainingSettings
from playground.training.view import TrainingView


def test_a_long_history_keeps_at_most_max_rows_spread_evenly_and_the_newest_whole():
    kept = ThinnedHistory(max_rows=40, recent=10)
    for k in range(100_000):
        kept.append(k)
        assert len(kept) <= 40
    rows = kept.rows
    assert rows[0] == 0 and rows[-10:] == list(range(100_000 - 10, 100_000))   # the first, the newest 10 whole
    assert rows == sorted(rows)
    assert np.diff(rows).max() <= 2 * 100_000 / (40 - 10)   # no part of the run is left out
    # Every stride of the run has a row kept (the older rows' density halved as often as needed).
    assert {row // kept.stride for row in rows} == set(range(rows[-1] // kept.stride + 1))


def test_thinning_keeps_a_one_row_spike():
    kept = ThinnedHistory(max_rows=40, recent=10)
    for k in range(1_000):
        kept.append({"step": k, "loss": 5.0 if k == 123 else 1.0})
    assert {"step": 123, "loss": 5.0} in kept.rows and len(kept) <= 40


def test_take_gives_new_rows_then_everything_after_a_thinning():
    kept = ThinnedHistory(max_rows=8, recent=2)
    for k in range(5):
        kept.append(k)
    assert kept.take() == ([0, 1, 2, 3, 4], False)
    kept.append(5)
    assert kept.take() == ([5], False)
    assert kept.take() == ([], False)
    for k in range(6, 9):
        kept.append(k)                                  # the 9th row: thinned
    rows, whole = kept.take()
    assert whole and rows == kept.rows and len(rows) <= 8 and rows[-1] == 8


def train_in_ticks(run, steps, per_tick):
    while run.step_count < steps:
        run.train(max_steps=per_tick)


def test_ten_thousand_steps_keep_the_history_bounded_and_the_curve_unchanged():
    thinned = TrainingRun(TrainingSettings())
    whole = TrainingRun(TrainingSettings())
    whole.history = ThinnedHistory(max_rows=10**9)        # the same run, every row kept
    whole.history.append(whole.last_metrics)
    train_in_ticks(thinned, 10_000, 10)
    train_in_ticks(whole, 10_000, 10)
    assert len(whole.history) == 1_001 and len(thinned.history) <= history.MAX_ROWS
    steps = [row["step"] for row in thinned.history.rows]
    assert steps[0] == 0 and steps[-1] == 10_000 and steps == sorted(steps)
    # Drawn as lines on the view's curves (170 x 140 pixels), the kept rows pass within the curves' line width
    # (2 pixels) of every row of the whole history, one-row spikes included.
    for column in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        full = pixels(whole.history.rows, column)
        traced = pixels(thinned.history.rows, column, like=whole.history.rows)
        assert distance_to_line(full, traced).max() <= 2.0, column


def pixels(rows, column, like=None, width=170, height=140):
    """(x, y) in pixels of a plot whose axes span the `like` rows' (default: these rows') steps and values."""
    like = like or rows
    steps, values = (np.array([row[key] for row in like], dtype=float) for key in ("step", column))
    x = np.array([row["step"] for row in rows], dtype=float)
    y = np.array([row[column] for row in rows], dtype=float)
    return np.column_stack([(x - steps.min()) / np.ptp(steps) * width,
                            (y - values.min()) / max(np.ptp(values), 1e-12) * height])


def distance_to_line(points, line):
    """Each point's distance to the polyline through `line` (both (n, 2) arrays)."""
    a, b = line[:-1][None], line[1:][None]                 # segments
    p = points[:, None]
    t = np.clip(((p - a) * (b - a)).sum(-1) / np.maximum(((b - a) ** 2).sum(-1), 1e-12), 0.0, 1.0)
    return np.hypot(*np.moveaxis(p - (a + t[..., None] * (b - a)), -1, 0)).min(axis=1)


def test_the_curves_in_the_view_stay_as_bounded_as_the_history():
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[4]))
    for _ in range(1_000):
        view.run.train(max_steps=1)
        view._show_run(network=False)
    data = view.curves.source.data
    assert len(data["step"]) <= history.MAX_ROWS
    assert list(data["step"]) == [row["step"] for row in view.run.history.rows]
    assert data["step"][-1] == 1_000
