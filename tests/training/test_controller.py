"""The training controller on the real engine: determinism, learning, divergence, edits. No Panel here."""

import math

import numpy as np
import pytest

import engine
import engine.losses
from playground.training.controller import TrainingRun, grid_points
from playground.training.state import TrainingSettings, add_layer, remove_layer, resize_layer

SMALL = dict(n_points=30, hidden_layers=[8])  # small enough for the engine's Value path


def small_run(**settings):
    return TrainingRun(TrainingSettings(**{**SMALL, **settings}))


def test_same_seed_and_settings_give_the_same_trajectory():
    a, b = small_run(seed=7, batch_size=10), small_run(seed=7, batch_size=10)
    a.train(max_steps=3), a.train(max_steps=3)
    b.train(max_steps=6)
    assert a.model.get_weights().tolist() == b.model.get_weights().tolist()
    assert a.last_metrics == b.last_metrics
    c = small_run(seed=8, batch_size=10)
    c.train(max_steps=6)
    assert c.model.get_weights().tolist() != a.model.get_weights().tolist()


@pytest.mark.parametrize("dataset", ["moons", "circles", "xor", "spiral", "blobs"])
def test_loss_falls_on_every_data_set(dataset):
    run = small_run(dataset=dataset, optimizer="adam", learning_rate=0.05)
    start = run.last_metrics["train_loss"]
    assert run.train(max_steps=25) == 25
    assert run.step_count == 25 and not run.diverged
    assert run.last_metrics["train_loss"] < 0.9 * start


def test_divergence_pauses_with_a_message_and_reset_recovers():
    run = small_run(learning_rate=1000.0)
    run.train(max_steps=20)
    assert run.diverged and not run.ready
    assert "diverged" in run.message and "learning rate" in run.message
    assert np.isfinite(run.model.get_weights()).all()
    assert np.isfinite(run.scores(np.zeros((3, 2)))).all()
    assert run.train(max_steps=5) == 0          # stays paused
    run.settings.learning_rate = 0.05
    run.reset()
    assert run.ready and run.message == "" and run.step_count == 0
    assert run.train(max_steps=3) == 3


def test_invalid_settings_give_a_message_not_an_exception():
    run = small_run(hidden_layers=[8, 0])
    assert not run.ready and "neurons" in run.message
    assert run.train(max_steps=3) == 0


def test_a_blank_canvas_asks_for_points_then_trains_on_clicked_ones():
    run = small_run(dataset="custom")
    assert run.train(max_steps=1) == 0 and "points" in run.message
    run.settings.added_points = [[0.5, 0.5, 1], [-0.5, -0.5, -1]]
    run.load_data()
    assert run.is_train.all() and list(run.labels) == [1, -1]
    assert run.train(max_steps=2) == 2


def test_removing_points_by_index_works_for_generated_and_added_points():
    run = small_run(added_points=[[0.1, 0.2, 1]])
    n = len(run.labels)
    assert n == 31 and run.points[-1].tolist() == [0.1, 0.2]
    run.settings.param.update(**run.removal(n - 1))          # the added point
    assert run.settings.added_points == []
    removed = run.points[0].tolist()
    run.settings.param.update(**run.removal(0))              # a generated point
    run.load_data()
    assert len(run.labels) == 29 and removed not in run.points.tolist()


def test_learning_rate_decays_as_documented():
    run = small_run(learning_rate=0.5, decay=0.1)
    assert run.learning_rate() == 0.5
    run.train(max_steps=10)
    assert run.learning_rate() == pytest.approx(0.5 / (1 + 0.1 * 10))


def test_a_points_graph_is_the_engines_loss_for_that_point():
    run = small_run(loss="bce", hidden_layers=[5, 3])
    score = run.scores(run.points[3:4])
    whole, title = run.point_graph(3, whole=True)
    compact, _ = run.point_graph(3)
    assert isinstance(whole, engine.Value) and title.startswith("Point 3 (")
    for root in (whole, compact):
        assert root.data == pytest.approx(run.model.mean_loss(score, run.labels[3:4]))
    labels = {node["label"] for node in engine.trace(whole)["nodes"]}
    assert {"x1", "x2", "y", "score", "loss", "L1N5", "L2N3", "L1N2w1", "L3N1b"} <= labels
    # The compact graph: the output neuron and the loss; the last hidden layer's outputs are its leaves.
    compact_nodes = engine.trace(compact)["nodes"]
    leaves = {n["label"] for n in compact_nodes if not n["op"]}
    assert {"L2N1", "L2N2", "L2N3", "L3N1w1", "L3N1b", "y"} <= leaves and "x1" not in leaves
    assert len(compact_nodes) < 40 < len(engine.trace(whole)["nodes"])


def test_the_point_to_explain_has_a_gradient_and_a_zero_loss_point_says_why():
    run = small_run(hidden_layers=[8], learning_rate=0.1)
    run.train(max_steps=60)
    index = run.point_to_explain()
    assert run.is_train[index]
    root, title = run.point_graph(index, whole=True)
    engine.fresh_backward(root)
    grads = [v.grad for v in engine.build_topo(root) if v.label.startswith("L") and "w" in v.label]
    assert root.data > 0 and any(g != 0 for g in grads)
    # Misclassified points come first, the one nearest the boundary.
    scores = run.scores(run.points)
    wrong = [k for k in np.flatnonzero(run.is_train) if run.labels[k] * scores[k] < 0]
    if wrong:
        assert index == min(wrong, key=lambda k: abs(scores[k]))
    # A point classified with margin has max-margin loss 0: the title says why every gradient is 0.
    margin_points = [k for k in range(len(scores)) if run.labels[k] * scores[k] > 1]
    assert margin_points, "the trained network classifies some point with margin"
    root, title = run.point_graph(margin_points[0])
    assert root.data == 0 and "max-margin loss 0, so every gradient is 0" in title
    assert len(title) <= 100     # the graph view keeps 100 characters of a title


def test_no_point_to_explain_when_every_loss_is_zero():
    run = small_run(dataset="custom", added_points=[[1.0, 1.0, 1], [-1.0, -1.0, -1]], hidden_layers=[])
    run.model.set_weights(np.array([5.0, 5.0, 0.0]))    # both points far on their own side
    assert run.point_to_explain() is None


def test_editing_a_weight_changes_the_output():
    run = small_run()
    before = run.scores(run.points)
    run.set_weight(1, 0, 2, run.weight(1, 0, 2) + 1.0)
    assert not np.allclose(before, run.scores(run.points))
    run.set_weight(1, 0, 2, math.nan)  # ignored
    assert math.isfinite(run.weight(1, 0, 2))


def test_the_drawn_scores_are_the_engines_predictions():
    run = small_run(hidden_layers=[5, 3], activation="tanh")
    run.train(max_steps=3)
    grid = np.random.default_rng(0).uniform(-2, 2, size=(50, 2))
    value_path = [run.model.mlp(list(point)).data for point in grid]
    assert np.allclose(run.scores(grid), value_path, rtol=1e-12, atol=1e-12)


def test_a_training_step_gives_the_value_paths_gradients():
    run = small_run(batch_size=0)
    x, y = run.points[run.is_train], run.labels[run.is_train]
    total, _ = engine.losses.loss_and_accuracy(run.model.mlp, x.tolist(), y.tolist(), loss="svm", alpha=1e-4)
    engine.fresh_backward(total)
    expected = [p.grad for p in run.model.params]
    assert run.model.step(x, y, lr=0.0, l2=1e-4) == pytest.approx(total.data, rel=1e-12)
    assert [p.grad for p in run.model.params] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_no_hidden_layer_is_a_linear_model_that_trains():
    run = small_run(hidden_layers=[], dataset="blobs")
    assert run.model.sizes == [2, 1]
    start = run.last_metrics["train_loss"]
    run.train(max_steps=10)
    assert run.last_metrics["train_loss"] < start


def test_neuron_maps_are_what_each_neuron_computes_over_the_view_box():
    run = small_run(hidden_layers=[3, 2], activation="tanh")
    run.train(max_steps=3)
    maps = run.neuron_maps(size=5)
    assert [m.shape for m in maps] == [(2, 5, 5), (3, 5, 5), (2, 5, 5), (1, 5, 5)]
    grid = grid_points(run.extent, 5)
    # inputs: x1 and x2 themselves; rows run from the bottom of the box (y), columns along x
    assert np.array_equal(maps[0][0].ravel(), grid[:, 0]) and np.array_equal(maps[0][1].ravel(), grid[:, 1])
    assert maps[0][0][0, 0] < maps[0][0][0, -1] and maps[0][1][0, 0] < maps[0][1][-1, 0]
    assert np.allclose(maps[-1][0].ravel(), run.scores(grid))
    # a hidden neuron's map is that neuron of the engine's own MLP, evaluated point by point on the Value path
    mlp = run.model.mlp
    for k in (0, 7, 24):
        point = [engine.Value(float(c)) for c in grid[k]]
        first = [neuron(point) for neuron in mlp.layers[0].neurons]
        second = [neuron(first) for neuron in mlp.layers[1].neurons]
        assert [maps[1][j].ravel()[k] for j in range(3)] == pytest.approx([v.data for v in first], rel=1e-12)
        assert [maps[2][j].ravel()[k] for j in range(2)] == pytest.approx([v.data for v in second], rel=1e-12)


def test_layer_buttons_edits_stay_within_the_limits():
    assert add_layer([16, 16]) == [16, 16, 16] and add_layer([]) == [4]
    assert add_layer([2] * 6) == [2] * 6                       # at most 6 layers
    assert remove_layer([8, 3]) == [8] and remove_layer([]) == []
    assert resize_layer([8, 3], 1, +1) == [8, 4] and resize_layer([8, 3], 0, -1) == [7, 3]
    assert resize_layer([16], 0, +1) == [16] and resize_layer([1], 0, -1) == [1]
    layers = [5]
    resize_layer(layers, 0, 1)
    assert layers == [5]                                       # a new list; the settings' own is untouched
