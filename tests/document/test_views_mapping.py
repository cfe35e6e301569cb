"""The document against the real view states: GraphState and TrainingSettings."""
import pytest

from playground import document as D
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
        assert set(TrainingSettings.param[name].objects) == set(choices), name


def test_graph_keys_match_graph_state():
    names = {p for p in GraphState.param if p not in ("name", "error", "graph")}
    assert names == set(D.GRAPH_KEYS)


def test_training_settings_round_trip_through_a_link():
    settings = TrainingSettings(dataset="xor", noise=0.3, n_points=200, seed=42, train_fraction=0.5,
                                added_points=[[0.5, 0.5, 1], [-1.0, 2.0, -1]], removed_points=[1, 5],
                                hidden_layers=[8, 4, 2], activation="tanh", loss="bce",
                                optimizer="adam", learning_rate=0.003, decay=0.01, l2=0.0, batch_size=16)
    doc = D.default_document(GraphState(), TrainingSettings())
    doc["training"] = D.training_section(settings, step=120)
    read, _, error = D.read_fragment(D.make_fragment(doc))
    assert error is None and read["training"]["step"] == 120
    other = TrainingSettings()
    D.apply_training(read["training"], other)
    for name in D.SETTINGS_KEYS:
        assert getattr(other, name) == getattr(settings, name), name


def test_graph_round_trip_keeps_program_values_and_step():
    state = GraphState()
    state.load_program(TANH_NEURON)
    state.set_value("w1", -2.5)
    state.step = 4
    read, _, error = D.read_fragment(D.make_fragment(D.default_document(state, TrainingSettings())))
    assert error is None
    other = GraphState()
    D.apply_graph(read["graph"], other)
    assert (other.program, other.values, other.step) == (state.program, state.values, 4)
    assert other.graph.trace == state.graph.trace


HOSTILE_PROGRAMS = {
    "dunder import": "__import__('os').system('echo hacked')",
    "attribute": "a = 2.0\nb = a.__class__",
    "power tower": "a = 9**9**9",
    "import": "import os",
    "deep parentheses": "a = " + "(" * 3000 + "1" + ")" * 3000,
    "markup": "<img src=x onerror=alert(1)> = 1",
}


@pytest.mark.parametrize("program", list(HOSTILE_PROGRAMS.values()), ids=list(HOSTILE_PROGRAMS))
def test_program_outside_the_safe_language_is_refused_by_the_graph_parser(program):
    doc = D.default_document(GraphState(), TrainingSettings())
    doc["graph"]["program"] = program
    read, _, error = D.read_fragment(D.make_fragment(doc))
    assert error is None   # the document is fine as text: only the graph view reads programs
    state = GraphState()
    with pytest.raises(D.DocumentError, match="refused"):
        D.apply_graph(read["graph"], state)


def test_link_lengths_stay_short():
    """The issue asks for short links: measured in docs/share-links.md, bounded here. The lesson's small
    graphs fit in 300 characters; the network presets carry dozens of weights at full precision, so
    they are only bounded by their program text (the link compresses it) and the link limit."""
    for name, program in PRESETS.items():
        state = GraphState()
        state.load_program(program)
        fragment = D.make_fragment(D.default_document(state, TrainingSettings()))
        if len(program) < 300:
            assert len(fragment) < 300, name
        else:
            assert len(fragment) < min(len(program), D.MAX_LINK_CHARS), name


def test_training_run_comes_back_with_weights_or_by_replay():
    from playground.training.view import TrainingView

    settings = TrainingSettings(dataset="xor", n_points=40, hidden_layers=[4], seed=7)
    view = TrainingView(settings)
    view.run.train(max_steps=3)
    weights = list(view.run.model.get_weights())
    section = D.training_section(settings, step=3, weights=weights)

    other = TrainingView(TrainingSettings())
    D.apply_training(section, other.settings)
    D.apply_run(section, other)
    assert other.run.step_count == 3 and list(other.run.model.get_weights()) == weights

    replayed = TrainingView(TrainingSettings())
    D.apply_training(section, replayed.settings)
    D.apply_run(dict(section, weights=None), replayed)   # same seed, same steps: same weights
    assert replayed.run.step_count == 3 and list(replayed.run.model.get_weights()) == weights

    with pytest.raises(D.DocumentError, match="replay"):
        D.apply_run(dict(section, weights=None, step=D.REPLAY_LIMIT + 1), replayed)
    with pytest.raises(D.DocumentError, match="do not fit"):
        D.apply_run(dict(section, weights=[0.5] * 3), replayed)


def test_long_runs_always_carry_their_weights():
    from playground.training.view import TrainingView

    view = TrainingView(TrainingSettings(dataset="xor", n_points=20, hidden_layers=[2]))
    assert D.document_from_views(GraphState(), view, include_weights=False)["training"]["weights"] is None
    view.run.step_count = D.REPLAY_LIMIT + 1
    assert D.document_from_views(GraphState(), view, include_weights=False)["training"]["weights"] is not None


def test_a_training_points_graph_can_be_shared():
    """The graph of one data point through the default MLP is the longest program a student makes."""
    from playground.training.view import TrainingView

    view = TrainingView(TrainingSettings())
    root, title = view.run.point_graph(0)
    state = GraphState()
    state.load_value(root, title)
    assert state.error == ""
    fragment = D.make_fragment(D.document_from_views(state, view))
    read, _, error = D.read_fragment(fragment)
    assert error is None
    other = GraphState()
    D.apply_graph(read["graph"], other)
    assert other.program == state.program and other.values == state.values
    print(f"point graph: {len(state.program)} program characters, {len(state.values)} leaves, "
          f"link {len(fragment)} characters")
