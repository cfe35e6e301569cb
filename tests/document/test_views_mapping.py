"""The document against the real view states: GraphState, TrainingSettings, the live document."""
import pytest

from playground import document as D
from playground.live_document import REPLAY_LIMIT, PlaygroundDocument
from playground.graph.presets import PRESETS, TANH_NEURON
from playground.graph.state import GraphState
from playground.training.state import TrainingSettings


def test_training_keys_match_training_settings():
    """The schema names every TrainingSettings parameter: a new setting must get a schema decision."""
    names = {p for p in TrainingSettings.param if p != "name"}
    assert names == set(D.SETTINGS_KEYS)


def test_training_choices_match_training_settings():
    """A renamed choice would break old links: it needs a new schema version and an upgrade."""
    for name, choices in (("dataset", D.DATASETS), ("activation", D.ACTIVATIONS), ("loss", D.LOSSES),
                          ("optimizer", D.OPTIMIZERS)):
        assert set(TrainingSettings.param[name].objects.values() if isinstance(
            TrainingSettings.param[name].objects, dict) else TrainingSettings.param[name].objects) == set(choices), name


def test_every_training_number_has_finite_bounds():
    """A document holds no unbounded number: each setting declares both ends, and the document reads them."""
    import param
    for name in D.SETTINGS_KEYS:
        parameter = TrainingSettings.param[name]
        if isinstance(parameter, param.Number):
            assert None not in parameter.bounds, name


def test_graph_keys_match_graph_state():
    names = {p for p in GraphState.param if p not in ("name", "error", "graph")}
    assert names == set(D.GRAPH_KEYS)


class FakeTrainingView:
    """Stands in for the training view (the real one is tested below): remembers what it was asked."""

    def __init__(self):
        self.restored = []

    def restore(self, step, weights):
        self.restored.append((step, weights))

    def weights(self):
        return None


def live(graph=None, training=None):
    document = PlaygroundDocument(graph=graph, training=training)
    document.open_training = lambda: document.attach(FakeTrainingView()) or document.training_view
    return document


def test_training_settings_round_trip_through_a_link():
    settings = TrainingSettings(dataset="xor", noise=0.3, n_points=200, seed=42, train_fraction=0.5,
                                added_points=[[0.5, 0.5, 1], [-1.0, 2.0, -1]], removed_points=[1, 5],
                                hidden_layers=[8, 4, 2], activation="tanh", loss="bce",
                                optimizer="adam", learning_rate=0.003, decay=0.01, l2=0.0, batch_size=16)
    document = live(training=settings)
    document.attach(FakeTrainingView())
    document.run_changed(120)
    read, _, error = D.read_fragment(D.make_fragment(document.snapshot()))
    assert error is None and read["training"]["step"] == 120
    other = live()
    other.restore(read)
    for name in D.SETTINGS_KEYS:
        assert getattr(other.training, name) == getattr(settings, name), name
    assert other.training_view.restored == [(120, None)]


def test_graph_round_trip_keeps_program_values_and_step():
    state = GraphState()
    state.load_program(TANH_NEURON)
    state.set_value("w1", -2.5)
    state.step = 4
    read, _, error = D.read_fragment(D.make_fragment(live(graph=state).snapshot()))
    assert error is None
    other = live()
    other.restore(read)
    assert (other.graph.program, other.graph.values, other.graph.step) == (state.program, state.values, 4)
    assert other.graph.graph.trace == state.graph.trace
    assert other.training_view is None   # default training part: the training view is not built


def test_every_change_moves_the_revision():
    document = live()
    for change in (lambda: document.graph.set_value("a", 3.0), lambda: setattr(document.training, "noise", 0.2),
                   lambda: setattr(document, "title", "t"), lambda: setattr(document, "view", "training"),
                   lambda: document.run_changed(5), lambda: document.run_changed(5)):
        before = document.revision
        change()
        assert document.revision > before


HOSTILE_PROGRAMS = {
    "dunder import": "__import__('os').system('echo hacked')",
    "attribute": "a = 2.0\nb = a.__class__",
    "power tower": "a = 9**9**9",
    "import": "import os",
    "deep parentheses": "a = " + "(" * 3000 + "1" + ")" * 3000,
    "a 20,000-term sum": "a = 1.0\nx = " + " + ".join(["a"] * 20_000),
    "a 201-term sum": "a = 1.0\nx = " + " + ".join(["a"] * 202),
    "a leaf too large": "a = 1e300\nb = a * 2",
    "markup": "<img src=x onerror=alert(1)> = 1",
}


@pytest.mark.parametrize("program", list(HOSTILE_PROGRAMS.values()), ids=list(HOSTILE_PROGRAMS))
def test_program_outside_the_safe_language_is_refused_by_the_graph_parser(program):
    doc = live().snapshot()
    doc["graph"]["program"] = program
    read, _, error = D.read_fragment(D.make_fragment(doc))
    assert error is None   # the document is fine as text: only the graph view reads programs
    document = live()
    with pytest.raises(D.DocumentError, match="refused"):
        document.restore(read)


def test_link_lengths_stay_short():
    """The issue asks for short links: measured in docs/share-links.md, bounded here. The lesson's small
    graphs fit in 300 characters; the network presets carry dozens of weights at full precision, so
    they are only bounded by their program text (the link compresses it) and the link limit."""
    for name, program in PRESETS.items():
        state = GraphState()
        state.load_program(program)
        fragment = D.make_fragment(live(graph=state).snapshot())
        if len(program) < 300:
            assert len(fragment) < 300, name
        elif len(program) < 600:   # written compactly already: little left to compress
            assert len(fragment) < 600, name
        else:
            assert len(fragment) < min(len(program), D.MAX_LINK_CHARS), name


def test_training_run_comes_back_with_weights_or_by_replay():
    from playground.training.view import TrainingView

    def document_with_view(settings):
        document = PlaygroundDocument(training=settings)
        view = TrainingView(settings, run_changed=document.run_changed)
        document.attach(view)
        return document, view

    document, view = document_with_view(TrainingSettings(dataset="xor", n_points=40, hidden_layers=[4], seed=7))
    for _ in range(3):
        view.step_button.clicks += 1   # as a student would: the document hears of each step
    weights = view.weights()
    doc = document.snapshot(include_weights=True)
    assert doc["training"]["step"] == 3 and doc["training"]["weights"] == weights

    other, other_view = document_with_view(TrainingSettings())
    other.restore(doc)
    assert other_view.run.step_count == 3 and other_view.weights() == weights
    assert other.training_step == 3

    replayed, replayed_view = document_with_view(TrainingSettings())
    replayed.restore(dict(doc, training=dict(doc["training"], weights=None)))   # same seed, same steps
    assert replayed_view.run.step_count == 3 and replayed_view.weights() == weights

    with pytest.raises(D.DocumentError, match="replay"):
        replayed.restore(dict(doc, training=dict(doc["training"], weights=None, step=REPLAY_LIMIT + 1)))
    with pytest.raises(D.DocumentError, match="do not fit"):
        replayed.restore(dict(doc, training=dict(doc["training"], weights=[0.5] * 3)))


def test_long_runs_always_carry_their_weights():
    from playground.training.view import TrainingView

    settings = TrainingSettings(dataset="xor", n_points=20, hidden_layers=[2])
    document = PlaygroundDocument(training=settings)
    document.attach(TrainingView(settings, run_changed=document.run_changed))
    assert document.snapshot(include_weights=False)["training"]["weights"] is None
    document.run_changed(REPLAY_LIMIT + 1)
    assert document.snapshot(include_weights=False)["training"]["weights"] is not None


def test_a_training_points_graph_can_be_shared():
    """The graph of one data point through the default MLP is the longest program a student makes."""
    from playground.training.view import TrainingView

    view = TrainingView(TrainingSettings())
    root, title = view.run.point_graph(0)
    state = GraphState()
    state.load_value(root, title)
    assert state.error == ""
    fragment = D.make_fragment(live(graph=state).snapshot())
    read, _, error = D.read_fragment(fragment)
    assert error is None
    other = live()
    other.restore(read)
    assert other.graph.program == state.program and other.graph.values == state.values
    print(f"point graph: {len(state.program)} program characters, {len(state.values)} leaves, "
          f"link {len(fragment)} characters")
