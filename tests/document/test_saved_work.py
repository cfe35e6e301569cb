"""The way back (playground/undo.py): each place that replaces the student's document keeps the old one one
click away, with the real views and the live document (the browser test plays the guided tour's part in the
built site: tests/browser/test_saved_work.py)."""
import json

import panel as pn
import pytest

from playground import document as D
from playground.graph.presets import PRESETS
from playground.graph.view import GraphView
from playground.live_document import PlaygroundDocument
from playground.share import ShareTools
from playground.training.state import TrainingSettings
from playground.training.view import TrainingView
from playground.undo import BUTTON, SavedWork, SavedWorkBar

MY_PROGRAM = "x = 3.0\ny = x * x + x"
MY_POINTS = [[0.5, -0.25, 1], [1.0, 1.5, -1]]


def page(train_steps=0):
    """A live document with the real graph view, training view, share tools and bar, as app.py wires them,
    holding the student's own program, two added points and `train_steps` steps of training."""
    document = PlaygroundDocument(training=TrainingSettings(n_points=30, hidden_layers=[4]))
    graph = GraphView(document.graph, replacing=document.replacing)
    opened = []
    training = TrainingView(settings=document.training, run_changed=document.run_changed,
                            replacing=document.replacing, open_graph=lambda root, title: opened.append(title))
    document.attach(training)
    document.open_training = lambda: training
    tools = ShareTools(document)
    closed = []
    bar = SavedWorkBar(document, close_tour=lambda: closed.append(True))
    bar.closed = closed
    graph.editor.text.value = MY_PROGRAM
    document.training.added_points = [list(p) for p in MY_POINTS]
    for _ in range(train_steps):
        training.step_button.clicks += 1
    assert document.graph.program == MY_PROGRAM and document.saved.kept is None
    return document, graph, training, tools, bar


def work(document):
    doc = document.snapshot(include_weights=True)
    return doc["graph"]["program"], doc["training"]["added_points"], doc["training"]["step"], doc["training"]["weights"]


def undo_brings_it_back(document, bar, before, message):
    """The bar offers Undo with `message`; Undo restores `before` exactly; Redo the replacement; Undo again."""
    after = work(document)
    assert after != before
    assert bar.bar.visible and bar.back.label == "Undo" and message in bar.text.object
    bar.back.clicks += 1
    assert work(document) == before
    assert bar.back.label == "Redo" and "your work is back" in bar.text.object
    bar.back.clicks += 1
    assert work(document) == after and bar.back.label == "Undo" and message in bar.text.object
    bar.back.clicks += 1
    assert work(document) == before


def test_a_preset_over_a_custom_program():
    document, graph, _, _, bar = page()
    before = work(document)
    graph.editor.preset.value = "tanh neuron"
    assert document.graph.program == PRESETS["tanh neuron"]
    undo_brings_it_back(document, bar, before, "The preset “tanh neuron” replaced your program.")


def test_start_over_and_a_json_file_and_a_link_over_a_trained_run():
    document, _, training, tools, bar = page(train_steps=3)
    before = work(document)
    assert before[2] == 3 and before[3] is not None
    tools.start_over.clicks += 1
    assert work(document)[:3] == (document.defaults()["graph"]["program"], [], 0)
    undo_brings_it_back(document, bar, before, "Start over replaced your work with the defaults.")
    assert training.run.step_count == 3                      # the run itself, not only the document's number

    other = D.check_document(dict(document.defaults(), title="From a teacher"))
    tools.upload.value = D.to_json(other).encode()
    assert document.title == "From a teacher"
    undo_brings_it_back(document, bar, before, "The opened file replaced your work.")
    tools.upload.value = b'{"version": 99}'                  # refused: nothing replaced, the offer unchanged
    assert work(document) == before and "could not be opened" in tools.message.object


@pytest.mark.parametrize("button, message", [
    ("reset_button", "Reset put the training run back to step 0."),
    ("clear", "Clear removed every point."),
    ("regenerate", "Regenerate made new data and a new run."),
])
def test_the_training_views_buttons_that_throw_work_away(button, message):
    document, _, training, _, bar = page(train_steps=2)
    before = work(document)
    getattr(training, button).clicks += 1
    undo_brings_it_back(document, bar, before, message)


def test_a_setting_that_makes_new_data_keeps_the_trained_run():
    """The data set menu, the noise and the points sliders start a new run: the trained one, with the points the
    student added, is one Undo away; a slider's drag keeps the run from before the drag, not its last value."""
    document, _, training, _, bar = page(train_steps=3)
    before, settings = work(document), document.snapshot()["training"]
    menu = training.data_controls.select(pn.widgets.Select)[0]
    noise, points = (training.data_controls.select(pn.widgets.FloatSlider)[1],
                     training.data_controls.select(pn.widgets.IntSlider)[0])
    assert (menu.value, noise.value, points.value) == ("moons", 0.1, 30)

    menu.value = "circles"
    assert training.run.step_count == 0 and document.training.added_points == MY_POINTS
    undo_brings_it_back(document, bar, before, "Changing the data set started a new training run.")
    assert menu.value == document.training.dataset == "moons" and training.run.step_count == 3

    for value in (0.12, 0.15, 0.2):                      # a drag: three values in turn
        noise.value = value
    assert document.saved.kept["training"]["noise"] == 0.1 and document.saved.kept["training"]["step"] == 3
    assert "Changing the noise" in bar.text.object
    bar.back.clicks += 1
    assert work(document) == before and noise.value == 0.1 and document.snapshot()["training"] == settings

    points.value = 60
    assert len(training.run.points) == 60 + len(MY_POINTS)
    undo_brings_it_back(document, bar, before, "Changing the number of points started a new training run.")
    assert len(training.run.points) == 30 + len(MY_POINTS)


def test_a_setting_changed_before_training_keeps_nothing():
    document, _, training, _, bar = page()
    document.training.param.update(dataset="xor", noise=0.3)     # nothing trained: nothing to lose
    assert document.saved.kept is None and not bar.bar.visible
    assert training.run.step_count == 0 and document.training.added_points == MY_POINTS


def test_a_csv_import_and_a_points_graph():
    document, _, training, _, bar = page(train_steps=1)
    before = work(document)
    assert training.data_tools.import_csv("x1,x2,label\n0,0,a\n1,1,b\n0.5,0.2,a\n")
    assert document.training.dataset == "imported" and document.training.added_points == []
    undo_brings_it_back(document, bar, before, "The imported points replaced the data set.")
    assert not training.data_tools.import_csv("not,a\ncsv")         # refused: nothing to undo
    assert work(document) == before and bar.back.label == "Redo"          # the offer unchanged

    # "Open a point's graph" goes through the app's open_graph, which wraps GraphState.load_value:
    import engine
    with document.replacing("A data point's graph replaced your program."):
        document.graph.load_value(engine.Value(2.0) * engine.Value(-1.5), "a point")
    assert document.graph.program.startswith("# a point")
    undo_brings_it_back(document, bar, before, "A data point's graph replaced your program.")


def test_nothing_kept_when_nothing_changed_and_dismiss_forgets():
    document, graph, _, _, bar = page()
    with document.replacing("A link replaced your work."):
        document.restore(document.keepable())            # the same document again: nothing to offer
    assert document.saved.kept is None and not bar.bar.visible
    graph.editor.preset.value = "a value used twice"
    assert bar.bar.visible and bar.dismiss.visible
    bar.dismiss.clicks += 1
    assert document.saved.kept is None and not bar.bar.visible and bar.to_device.value == ""


def test_the_tour_keeps_the_work_and_each_lesson_as_left():
    document, _, training, tools, bar = page(train_steps=4)
    before = work(document)
    lessons = [dict(document.defaults(), graph={"program": f"a = {i}.0\nb = a * a", "values": {}, "step": 0})
               for i in range(3)]

    def show(index, leaving=None):
        tools.open_document(document.open_lesson(D.check_document(lessons[index]), leaving, index), "lesson")

    show(0)
    assert document.graph.program == "a = 0.0\nb = a * a" and training.run.step_count == 0
    assert bar.bar.visible and bar.back.label == BUTTON["tour"] == "Back to my work" and not bar.dismiss.visible
    document.graph.set_value("a", 5.0)                          # the student changes lesson 1
    show(1, leaving=0)
    tools.start_over.clicks += 1                                # a replacement inside the tour keeps the work
    assert document.saved.kind == "tour" and document.saved.kept["graph"]["program"] == MY_PROGRAM
    show(0, leaving=1)                                          # back to lesson 1: as the student left it
    assert document.graph.values == {"a": 5.0}
    bar.back.clicks += 1                                        # "Back to my work" closes the tour (the app's)...
    assert bar.closed == [True] and document.saved.kind == "tour"
    document.tour_closed()                                      # ...and the app tells the document
    assert work(document) == before and training.run.step_count == 4
    assert bar.back.label == "Redo" and "The tour is closed" in bar.text.object
    bar.back.clicks += 1                                        # Redo: the lesson's example again
    assert document.graph.values == {"a": 5.0} and bar.back.label == "Undo"


def test_the_slot_on_the_device_survives_a_reload_and_refuses_garbage():
    document, graph, _, _, bar = page(train_steps=2)
    before = work(document)
    graph.editor.preset.value = "tanh neuron"
    text = bar.to_device.value
    assert json.loads(text)["kind"] == "undo"

    reloaded, _, _, _, reloaded_bar = page()
    reloaded.saved.forget()
    reloaded_bar.from_device.value = text                        # what the page reads from localStorage
    assert reloaded_bar.bar.visible and "tanh neuron" in reloaded_bar.text.object
    reloaded_bar.back.clicks += 1
    assert work(reloaded) == before

    saved = SavedWork()
    for garbage in ["", "[]", "{", '{"kind": "undo"}', json.dumps({"kind": "evil", "message": "", "cause": "",
                                                                   "kept": "#d=1.x"}),
                    json.dumps({"kind": "undo", "message": "<b>x</b>", "cause": "", "kept": "#d=1.AAAA"}),
                    "[" * 100_000]:
        assert not saved.read_text(garbage) and saved.kept is None
    assert saved.read_text(text) and not saved.read_text(text.replace("undo", "tour"))   # a slot already held wins
