"""The training view's wiring, driven from Python (no browser): clicks, buttons, messages."""

import asyncio
import concurrent.futures
import time
from types import SimpleNamespace

import engine
from playground.training import layers, view as view_module
from playground.training.state import TrainingSettings
from playground.training.view import TrainingView


def run_tick(view):
    """One tick of the view's periodic callback (a coroutine), run to its end. In its own thread: in the
    whole suite, pytest-playwright's sync API leaves an event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, view._tick()).result()


def small_view(**settings):
    opened = []
    view = TrainingView(TrainingSettings(n_points=30, hidden_layers=[4], **settings),
                        open_graph=lambda root, title: opened.append(root))
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
    view.clicks.plot_clicked(0.25, -0.5, None)
    assert view.settings.added_points == [[0.25, -0.5, 1]]
    assert len(view.boundary.point_source.data["x"]) == 31
    view.click_mode.value = "remove"
    view.clicks.plot_clicked(0.25, -0.5, 30)
    assert view.settings.added_points == []
    assert len(view.boundary.point_source.data["x"]) == 30


def test_clicking_a_point_in_graph_mode_opens_its_loss_graph():
    view, opened = small_view()
    view.click_mode.value = "graph"
    view.clicks.plot_clicked(0.0, 0.0, 5)
    assert len(opened) == 1 and isinstance(opened[0], engine.Value)
    assert opened[0].label == "loss"
    assert "Point 5" in view.graph_note.object


def test_show_a_points_backward_pass_opens_a_point_with_a_gradient():
    view, opened = small_view()
    view.explain_button.clicks += 1
    assert len(opened) == 1 and opened[0].data > 0
    assert "output neuron and loss" in view.graph_note.object
    view.whole_graph.value = True
    view.explain_button.clicks += 1
    assert len(engine.build_topo(opened[1])) > len(engine.build_topo(opened[0]))
    assert "every neuron" in view.graph_note.object


def test_a_bad_hidden_layer_text_shows_a_message_and_keeps_the_network(monkeypatch):
    # The editor puts a refused text back once the page's event is done (layers.soon); with another test's
    # event loop running in this thread that would never happen here, so run it at once (the browser test
    # tests/browser/test_document.py checks the deferred path in the page).
    monkeypatch.setattr(layers, "soon", lambda action: action())
    view, _ = small_view()
    view.hidden_text.value = "4, many"
    assert "whole numbers" in view.hidden_note.pane.object and view.hidden_note.pane.visible
    assert view.settings.hidden_layers == [4] and view.hidden_text.value == "4"   # refused at the field
    view.hidden_text.value = "4, 17"    # out of bounds: refused too, never kept in the settings
    assert "1 to 16 neurons" in view.hidden_note.pane.object and view.settings.hidden_layers == [4]
    view.hidden_text.value = "3, 3"
    assert view.run.model.sizes == [2, 3, 3, 1] and not view.hidden_note.pane.visible


def test_divergence_stops_play_with_a_message_and_reset_recovers():
    view, _ = small_view(learning_rate=1000.0)
    view.run.train(max_steps=5)
    view._show_run(network=True)
    assert "diverged" in view.message.object and view.message.visible
    view.play_button.clicks += 1    # Play refuses a diverged run
    assert not view.playing and view.pause_button.disabled
    view.settings.learning_rate = 0.05
    view.reset_button.clicks += 1
    assert view.run.ready and not view.message.visible and view.run.step_count == 0


def test_a_picked_weight_can_be_edited():
    view, _ = small_view()
    view.clicks.weight_picked(1, 0, 2)
    assert view.weight_editor.value == view.run.weight(1, 0, 2)
    view.weight_editor.value = 0.75
    assert view.run.weight(1, 0, 2) == 0.75
    for bad in (1e308, -2e6, None):   # outside what a document holds: refused at the field, never kept
        view.weight_editor.value = bad
        assert view.run.weight(1, 0, 2) == 0.75 and view.weight_editor.value == 0.75
        assert view.weight_note.pane.visible and "Kept 0.75" in view.weight_note.pane.object


def test_typed_settings_outside_their_bounds_are_refused_at_the_field():
    view, _ = small_view()
    fields = view.fields
    assert set(fields) == {"seed", "learning_rate", "decay", "l2", "batch_size"}
    for name, bad in (("learning_rate", -5.0), ("learning_rate", 0.0), ("decay", 1e9), ("seed", -1),
                      ("batch_size", 10**6)):
        held = getattr(view.settings, name)
        fields[name].input.value = bad
        assert getattr(view.settings, name) == held and fields[name].input.value == held, name
        assert "refused" in fields[name].note.pane.object, name
    fields["learning_rate"].input.value = 1e-9
    assert view.settings.learning_rate == 1e-9 and not fields["learning_rate"].note.pane.visible
    view.settings.learning_rate = 0.25   # the settings change (a link): the field follows
    assert fields["learning_rate"].input.value == 0.25


def test_layer_and_neuron_buttons_edit_the_network_and_the_text():
    view, _ = small_view()
    view.add_layer_button.clicks += 1
    assert view.settings.hidden_layers == [4, 4] and view.hidden_text.value == "4, 4"
    assert view.run.model.sizes == [2, 4, 4, 1] and len(view.layer_rows.objects) == 2
    plus, minus = view.layer_rows[1][2], view.layer_rows[1][1]
    plus.clicks += 1
    assert view.settings.hidden_layers == [4, 5] and "layer 2: 5 neurons" in view.layer_rows[1][0].object
    assert len(view.network.thumbnail_source.data["image"]) == 2 + 4 + 5 + 1   # the pictures follow
    for _ in range(4):
        minus.clicks += 1
    assert view.settings.hidden_layers == [4, 1] and minus.disabled and "1 neuron" in view.layer_rows[1][0].object
    view.remove_layer_button.clicks += 1
    view.remove_layer_button.clicks += 1
    assert view.settings.hidden_layers == [] and view.hidden_text.value == "" and view.remove_layer_button.disabled
    assert view.run.model.sizes == [2, 1] and view.layer_rows.objects == []
    view.hidden_text.value = "16, 2, 2, 2, 2, 2"              # typing updates the buttons too
    assert len(view.layer_rows.objects) == 6 and view.add_layer_button.disabled
    assert view.layer_rows[0][2].disabled                     # 16 neurons: no more


def test_while_playing_the_heatmap_follows_every_frame_and_the_rest_slower_clocks(monkeypatch):
    view, _ = small_view()
    clock = {"now": time.perf_counter() + 1.0}
    monkeypatch.setattr(view_module, "time", SimpleNamespace(perf_counter=lambda: clock["now"]))
    view.play_button.clicks += 1
    assert view.playing and view.play_button.disabled and not view.pause_button.disabled
    sent = {"heatmap": 0, "curves": 0, "network": 0}

    def counter(part):
        return lambda attr, old, new: sent.update({part: sent[part] + 1})

    view.boundary.image_source.on_change("data", counter("heatmap"))
    view.network.thumbnail_source.on_change("data", counter("network"))
    add_rows = view.curves.add
    monkeypatch.setattr(view.curves, "add", lambda *rows: (counter("curves")(0, 0, 0), add_rows(*rows)))
    every = view_module.REDRAW_EVERY_S
    for _ in range(30):                                       # 30 ticks, each as long as a frame's interval
        clock["now"] += every * 1.001
        view.boundary.frames_shown = view.boundary.frames_sent   # the page keeps up
        run_tick(view)
    while_playing = dict(sent)
    view.pause_button.clicks += 1                             # Pause draws everything once more
    assert not view.playing and not view.play_button.disabled and view.pause_button.disabled
    assert sent["curves"] == while_playing["curves"] + 1
    steps = view.run.step_count
    run_tick(view)                                 # a tick already queued does nothing
    assert view.run.step_count == steps
    assert view.run.step_count > 30                           # several steps a frame
    assert while_playing["heatmap"] == 30                     # one frame a tick: the page kept up
    # the curves and the network on their own clocks (at most every CURVES_EVERY_S, NETWORK_EVERY_S seconds)
    assert 1 <= while_playing["curves"] <= 1 + 30 * every / view_module.CURVES_EVERY_S
    assert 1 <= while_playing["network"] <= 1 + 30 * every / view_module.NETWORK_EVERY_S


def test_ticks_between_frames_train_without_sending(monkeypatch):
    view, _ = small_view()
    clock = {"now": time.perf_counter() + 1.0}
    monkeypatch.setattr(view_module, "time", SimpleNamespace(perf_counter=lambda: clock["now"]))
    view.play()
    run_tick(view)                                            # a frame is due at once
    frames, steps = view.boundary.frames_sent, view.run.step_count
    view.boundary.frames_shown = frames                       # the page keeps up
    for _ in range(3):                                        # within one frame's interval
        clock["now"] += view_module.REDRAW_EVERY_S / 4
        run_tick(view)
    assert view.boundary.frames_sent == frames and view.run.step_count > steps
    clock["now"] += view_module.REDRAW_EVERY_S / 3            # now the next frame is due
    run_tick(view)
    assert view.boundary.frames_sent == frames + 1
    view.pause()


def test_a_hidden_view_trains_on_without_drawing_and_draws_when_shown(monkeypatch):
    steps_reported = []
    view, _ = small_view()
    view.run_changed = steps_reported.append
    clock = {"now": time.perf_counter() + 1.0}
    monkeypatch.setattr(view_module, "time", SimpleNamespace(perf_counter=lambda: clock["now"]))
    view.play()
    run_tick(view)
    view.boundary.frames_shown = view.boundary.frames_sent
    view.set_on_screen(False)                                 # another tab shown
    frames, steps, rows = view.boundary.frames_sent, view.run.step_count, len(view.curves.source.data["step"])
    for _ in range(5):                                        # far more than a frame's interval each
        clock["now"] += view_module.REDRAW_EVERY_S * 3
        run_tick(view)
    assert view.boundary.frames_sent == frames and view.run.step_count > steps     # trained, drew nothing
    assert len(view.curves.source.data["step"]) == rows
    clock["now"] += view_module.HIDDEN_EVERY_S
    reported = len(steps_reported)
    run_tick(view)
    assert len(steps_reported) == reported + 1 and steps_reported[-1] == view.run.step_count  # the address follows
    assert view.boundary.frames_sent == frames
    view.set_on_screen(True)                                  # shown again: drawn at once, the curves caught up
    assert view.boundary.frames_sent == frames + 1
    assert view.curves.source.data["step"][-1] == view.run.step_count
    view.pause()


def test_a_frame_waits_for_the_page_to_take_the_last_one(monkeypatch):
    view, _ = small_view()
    clock = {"now": time.perf_counter() + 1.0}
    monkeypatch.setattr(view_module, "time", SimpleNamespace(perf_counter=lambda: clock["now"]))

    def tick():                                     # a frame is due at each
        clock["now"] += view_module.REDRAW_EVERY_S * 1.001
        run_tick(view)

    view.play()
    frames = view.boundary.frames_shown = view.boundary.frames_sent   # the page has the first frame
    tick()
    tick()
    assert view.boundary.frames_sent == frames + 2 and view.boundary.page_is_behind()
    steps = view.run.step_count
    tick()                                          # trains on, but sends nothing new
    assert view.boundary.frames_sent == frames + 2 and view.run.step_count > steps
    view.boundary.frame_ack.data = {"frame": [frames + 2]}     # the page's answer
    tick()
    assert view.boundary.frames_sent == frames + 3
    view.pause()


def test_pause_shows_the_stop_at_once_and_the_network_in_a_message_of_its_own():
    view, _ = small_view()
    view.play_button.clicks += 1
    run_tick(view)
    drawn = []
    view.boundary.image_source.on_change("data", lambda attr, old, new: drawn.append("heatmap"))
    view.network.thumbnail_source.on_change("data", lambda attr, old, new: drawn.append("network"))

    async def pause_in_the_worker():   # an event loop runs there, as in the page's worker
        view.pause()
        assert not view.playing and view.pause_button.disabled and drawn == ["heatmap"]
        await asyncio.sleep(0)
        assert drawn == ["heatmap", "network"]

    with concurrent.futures.ThreadPoolExecutor(1) as pool:   # its own thread: see run_tick
        pool.submit(asyncio.run, pause_in_the_worker()).result()
