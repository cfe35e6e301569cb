"""The training view's drawings: the data they send to the browser, without a browser."""

import numpy as np
import pytest

from playground.training.colors import BLUE, LEVELS, ORANGE, diverging_palette, to_levels
from playground.training.curves import TrainingCurves
from playground.training.heatmap import GRID_SIZE, DecisionBoundaryPlot, grid_points
from playground.training.network import MAX_THUMBNAIL_PX, NetworkPlot, edge_layout
from playground.training.state import TrainingSettings, validate


def test_grid_covers_the_box_row_by_row_from_the_bottom():
    grid = grid_points((-1.0, 1.0, 0.0, 4.0), size=4)
    assert grid.shape == (16, 2)
    assert grid[0].tolist() == [-0.75, 0.5]     # bottom-left cell centre
    assert grid[3].tolist() == [0.75, 0.5]      # a row runs along x
    assert grid[-1].tolist() == [0.75, 3.5]     # top-right


def test_heatmap_is_at_least_50_by_50_and_maps_scores_to_minus_one_plus_one():
    assert GRID_SIZE >= 50
    plot = DecisionBoundaryPlot()
    scores = np.linspace(-100, 100, GRID_SIZE * GRID_SIZE)
    plot.show_scores(scores)
    image = plot.image_source.data["image"][0]
    assert image.shape == (GRID_SIZE, GRID_SIZE)
    # sent as bytes (tanh(score) in [-1, 1] -> 0 .. 255), which the page's colour mapper spans
    assert image.dtype == np.uint8 and image.min() == 0 and image.max() == LEVELS
    mapper = plot.image.glyph.color_mapper
    assert (mapper.low, mapper.high) == (0, LEVELS)
    assert image.ravel()[len(scores) // 2] == to_levels(np.tanh(scores[len(scores) // 2]))


def test_levels_keep_the_sign_and_the_boundary():
    levels = to_levels([-1.0, -0.5, 0.0, 0.5, 1.0])
    assert levels.tolist() == [0, 64, 128, 191, 255]            # 0 (the boundary) sits mid-palette
    assert (to_levels(np.linspace(-1, 1, 101)) / (LEVELS / 2) - 1 == pytest.approx(np.linspace(-1, 1, 101),
                                                                                    abs=1 / LEVELS))


def test_palette_runs_from_orange_to_blue_through_grey():
    palette = diverging_palette(64)
    assert len(palette) == 64
    red = [int(c[1:3], 16) for c in palette]
    blue = [int(c[5:7], 16) for c in palette]
    assert red[0] > blue[0] and blue[-1] > red[-1]   # orange end, blue end


def test_points_train_filled_test_hollow_and_clicks_find_the_nearest_point():
    plot = DecisionBoundaryPlot(extent=(-2, 2, -2, 2))
    plot.show_points(np.array([[0.0, 0.0], [1.0, 1.0]]), [-1, 1], [True, False])
    data = plot.point_source.data
    assert data["fill"] == [ORANGE, "white"]
    assert data["line"] == ["white", BLUE]
    assert plot.point_near(1.02, 0.98) == 1
    assert plot.point_near(-1.5, 1.5) is None


def test_edges_follow_the_weight_order_layer_target_source():
    rows = edge_layout([2, 3, 1])
    assert len(rows) == 2 * 3 + 3 * 1
    assert [r[:3] for r in rows[:3]] == [(0, 0, 0), (0, 0, 1), (0, 1, 0)]
    assert rows[-1][:3] == (1, 0, 2)


def _snapshot(sizes, seed=0):
    rng = np.random.default_rng(seed)
    shapes = list(zip(sizes[1:], sizes[:-1]))
    return {"sizes": sizes,
            "weights": [rng.normal(size=s) for s in shapes], "weight_grads": [rng.normal(size=s) for s in shapes],
            "biases": [rng.normal(size=s[0]) for s in shapes], "bias_grads": [rng.normal(size=s[0]) for s in shapes]}


def test_network_edges_carry_weight_grad_and_width_by_magnitude():
    plot = NetworkPlot()
    snapshot = _snapshot([2, 3, 1])
    plot.draw(snapshot)
    data = plot.edge_source.data
    weights = np.concatenate([w.ravel() for w in snapshot["weights"]])
    assert np.allclose(data["weight"], weights)
    assert np.allclose(data["grad"], np.concatenate([g.ravel() for g in snapshot["weight_grads"]]))
    biggest = np.argmax(np.abs(weights))
    assert data["width"][biggest] == max(data["width"])
    assert len(plot.node_source.data["name"]) == 6


def test_gradient_wave_sends_every_edge_with_a_pulse_size_by_gradient_magnitude():
    plot = NetworkPlot()
    snapshot = _snapshot([2, 3, 1])
    plot.draw(snapshot, wave=False)
    assert len(plot.wave_source.data["grad"]) == 0
    plot.draw(snapshot)
    wave = plot.wave_source.data
    grads = np.concatenate([g.ravel() for g in snapshot["weight_grads"]])
    assert np.allclose(wave["grad"], grads)
    assert wave["size"][np.argmax(np.abs(grads))] == max(wave["size"])
    assert list(plot.edge_source.data["layer"]) == [0] * 6 + [1] * 3 and set(wave["n_layers"]) == {2}


def test_curves_stream_rows_and_show_a_missing_test_set_as_a_gap():
    curves = TrainingCurves()
    curves.add([{"step": 0, "train_loss": 1.0, "test_loss": None, "train_accuracy": 0.5, "test_accuracy": None}])
    curves.add([{"step": 5, "train_loss": 0.5, "test_loss": None, "train_accuracy": 0.9, "test_accuracy": None}])
    data = curves.source.data
    assert list(data["step"]) == [0, 5]
    assert np.isnan(data["test_loss"]).all()
    curves.clear()
    assert len(curves.source.data["step"]) == 0
    # the step axis, shared by both curves, starts at step 0 (one point at step 0 spread it over -1..1) and
    # ticks whole steps
    assert curves.loss_figure.x_range is curves.accuracy_figure.x_range and curves.loss_figure.x_range.start == 0
    assert [fig.xaxis[0].ticker.min_interval for fig in (curves.loss_figure, curves.accuracy_figure)] == [1, 1]


def test_settings_validation_explains_bad_layers():
    settings = TrainingSettings()
    assert validate(settings) == []
    settings.hidden_layers = [16, 0]
    assert "1 to 16 neurons" in validate(settings)[0]
    settings.hidden_layers = [2] * 7
    assert "more than 6" in validate(settings)[0]


def test_each_neuron_gets_its_picture_on_its_node_scaled_for_the_palette():
    plot = NetworkPlot(height=360)
    rng = np.random.default_rng(1)
    maps = [rng.normal(size=(2, 4, 4)), np.abs(rng.normal(size=(3, 4, 4))) * 7, rng.normal(size=(1, 4, 4)) * 50]
    maps[1][2] = 0.0                                   # a dead ReLU: all zeros, no division by zero
    plot.draw_thumbnails(maps)
    data = plot.thumbnail_source.data
    assert len(data["image"]) == 6 and all(image.shape == (4, 4) for image in data["image"])
    assert all(image.dtype == np.uint8 for image in data["image"])   # bytes: -1 -> 0, 0 -> 127.5, +1 -> 255
    assert list(data["x"]) == plot.node_source.data["x"] and list(data["y"]) == plot.node_source.data["y"]

    def values(image):
        return image / (LEVELS / 2) - 1.0

    hidden = values(data["image"][2])
    assert hidden.max() == 1.0 and np.allclose(hidden, maps[1][0] / maps[1][0].max(), atol=1 / LEVELS)
    assert np.allclose(values(data["image"][4]), 0.0, atol=1 / LEVELS)
    assert np.allclose(values(data["image"][5]), np.tanh(maps[2][0]), atol=1 / LEVELS)  # as the data plot shows it


def test_pictures_shrink_when_neurons_crowd_but_stay_visible():
    plot = NetworkPlot(height=360)
    sizes = [plot.thumbnail_px([2, n, 1]) for n in (2, 4, 8, 16)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == MAX_THUMBNAIL_PX
    assert sizes[-1] >= 12
    plot.draw_thumbnails([np.zeros((2, 3, 3)), np.zeros((16, 3, 3)), np.zeros((1, 3, 3))])
    assert plot.thumbnails.glyph.dw == sizes[-1] and plot.nodes.glyph.size == sizes[-1] + 4
