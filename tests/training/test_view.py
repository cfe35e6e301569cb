"""The training view's wiring, driven from Python (no browser): clicks, buttons, messages."""

import engine
from playground.training.state import TrainingSettings
from playground.training.view import TrainingView


def small_view(**settings):
    opened = []
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[4], **settings), open_graph=opened.append)
    return view, opened


def status_number(view, css_class):
    text = view.status.object
    start = text.index(f"class='{css_class}'>") + len(css_class) + 9
    return text[start:text.index("<", start)]


def test_step_trains_once_and_the_status_and_curves_follow():
    view, _ = small_view()
    before = view.boundary.image_source.data["image"][0].copy()
    view.step_button.clicks += 1
    assert view.run.step_count == 1
    assert status_number(view, "train-step-count") == "1"
    assert list(view.curves.source.data["step"]) == [0, 1]
    assert (view.boundary.image_source.data["image"][0] != before).any()   # the heatmap was redrawn


def test_clicks_add_points_of_the_chosen_class_and_remove_them():
    view, _ = small_view()
    view.click_mode.value = "+ blue"
    view._plot_clicked(0.25, -0.5, None)
    assert view.settings.added_points == [[0.25, -0.5, 1]]
    assert len(view.boundary.point_source.data["x"]) == 31
    view.click_mode.value = "remove"
    view._plot_clicked(0.25, -0.5, 30)
    assert view.settings.added_points == []
    assert len(view.boundary.point_source.data["x"]) == 30


def test_clicking_a_point_in_graph_mode_opens_its_loss_graph():
    view, opened = small_view()
    view.click_mode.value = "graph"
    view._plot_clicked(0.0, 0.0, 5)
    assert len(opened) == 1 and isinstance(opened[0], engine.Value)
    assert opened[0].label == "loss"
    assert "Point 5" in view.graph_note.object


def test_a_bad_hidden_layer_text_shows_a_message_and_keeps_the_network():
    view, _ = small_view()
    view.hidden_text.value = "4, many"
    assert "whole numbers" in view.message.object and view.message.visible
    assert view.settings.hidden_layers == [4]
    view.hidden_text.value = "3, 3"
    assert view.run.model.sizes == [2, 3, 3, 1] and not view.message.visible


def test_divergence_stops_play_with_a_message_and_reset_recovers():
    view, _ = small_view(learning_rate=1000.0)
    view.run.train(max_steps=5)
    view._show_run(network=True)
    assert "diverged" in view.message.object and view.message.visible
    view.play.value = True          # Play refuses a diverged run
    assert view.play.value is False
    view.settings.learning_rate = 0.05
    view.reset_button.clicks += 1
    assert view.run.ready and not view.message.visible and view.run.step_count == 0


def test_a_picked_weight_can_be_edited():
    view, _ = small_view()
    view._weight_picked(1, 0, 2)
    assert view.weight_editor.value == view.run.weight(1, 0, 2)
    view.weight_editor.value = 0.75
    assert view.run.weight(1, 0, 2) == 0.75
