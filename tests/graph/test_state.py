"""GraphState keeps text, leaf values and drawing in sync; edits are text edits; steps replay backward."""

import pytest

import engine
from engine import nn
from playground.graph import edits
from playground.graph.language import ProgramError, parse_program
from playground.graph.layout import BOX_HEIGHT, BOX_WIDTH, layout
from playground.graph.presets import PRESETS, README_EXAMPLE, USED_TWICE
from playground.graph.state import GraphState, make_graph, program_from_value


def output_data(state):
    return state.graph.root.data


def test_defaults_show_the_readme_example():
    state = GraphState()
    assert state.error == ""
    assert state.values == {"a": -4.0, "b": 2.0}
    assert f"{output_data(state):.4f}" == "24.7041"


def test_editing_a_value_rewrites_the_program_and_recomputes():
    state = GraphState()
    state.set_value("a", 1.5)
    assert state.program.splitlines()[0] == "a = 1.5"
    assert output_data(state) == pytest.approx(make_graph(README_EXAMPLE.replace("a = -4.0", "a = 1.5")).root.data)
    state.program = state.program.replace("b = 2.0", "b = 3")  # typing a number updates the values
    assert state.values == {"a": 1.5, "b": 3.0}


def test_a_new_leaf_value_parses_the_program_once():
    """An answer to a new value asks for the old text (its leaves, the edit) and the new one (the graph): the
    old text's Program is remembered from the last answer, so the page's answer parses once, not three times."""
    state = GraphState()
    state.set_value("a", 3.0)
    before = parse_program.cache_info()
    state.set_value("a", 4.0)
    after = parse_program.cache_info()
    assert after.misses - before.misses == 1
    assert after.hits - before.hits >= 2
    assert state.graph.leaves["a"] == 4.0 and "a = 4.0" in state.program


def test_a_parsed_program_cannot_be_changed_by_a_caller():
    program = parse_program("a = 2.0\nb = a * 3\n")
    with pytest.raises(TypeError):
        program.leaves["a"] = 5.0
    assert parse_program("a = 2.0\nb = a * 3\n").leaves == {"a": 2.0}


def test_a_bad_program_keeps_the_old_graph_and_says_where():
    state = GraphState()
    before = state.graph
    state.program = README_EXAMPLE + "oops = (a +\n"
    assert state.error.startswith("line 13, column")
    assert state.graph is before
    state.program = README_EXAMPLE
    assert state.error == ""


def test_a_bad_first_program_still_draws_a_graph():
    state = GraphState(program="a = (\n")
    assert "line 1" in state.error
    assert state.graph is not None and state.program == README_EXAMPLE


def test_a_bad_value_is_refused_and_the_values_go_back():
    state = GraphState(program="a = 1.0\nb = 2.0\nc = a / b\n")
    state.set_value("b", 0.0)
    assert "division" in state.error
    assert state.values == {"a": 1.0, "b": 2.0}
    assert "b = 2.0" in state.program and output_data(state) == 0.5


def test_document_style_load_of_program_values_and_step():
    state = GraphState()
    state.param.update(program=USED_TWICE, values={"a": 5.0}, step=2)
    assert state.program == "a = 5.0\nb = a + a\n"
    assert output_data(state) == 10.0 and state.step == 2


def test_point_and_click_edits_keep_text_and_graph_in_sync():
    state = GraphState(program="a = 2.0\nb = a * 3\n")
    state.add_leaf("c", 4)
    state.add_operation("d", "*", ["b", "c"])
    assert state.program == "a = 2.0\nc = 4.0\nb = a * 3\nd = b * c\n"
    assert output_data(state) == 24.0
    state.rename("c", "scale")
    assert "d = b * scale" in state.program and state.values == {"a": 2.0, "scale": 4.0}
    state.delete("a")
    assert "'a' is used by b" in state.error and output_data(state) == 24.0
    state.add_operation("e", "tanh", ["d"])
    assert state.graph.root.label == "e"
    state.delete("e")
    assert state.graph.root.label == "d"


@pytest.mark.parametrize("edit, args, message", [
    (edits.add_leaf, ("a", 1.0), "already"),
    (edits.add_leaf, ("2x", 1.0), "not a valid name"),
    (edits.add_leaf, ("exp", 1.0), "function name"),
    (edits.add_operation, ("y", "%", ["a", "a"]), "unknown operation"),
    (edits.add_operation, ("y", "+", ["a"]), "takes 2 inputs"),
    (edits.add_operation, ("y", "+", ["a", "zz"]), "unknown name 'zz'"),
    (edits.rename, ("nope", "x"), "no node named"),
    (edits.set_leaf, ("b", 1.0), "not a leaf"),
])
def test_edit_errors(edit, args, message):
    with pytest.raises(ProgramError) as caught:
        edit("a = 2.0\nb = a * 3\n", *args)
    assert message in str(caught.value)


def test_rename_and_set_leaf_keep_comments_and_spacing():
    text = "a = 2.0  # the input\nb   =   a*a  # square\n"
    assert edits.rename(text, "a", "x") == "x = 2.0  # the input\nb   =   x*x  # square\n"
    assert edits.set_leaf(text, "a", -0.25) == "a = -0.25  # the input\nb   =   a*a  # square\n"


@pytest.mark.parametrize("name", list(PRESETS))
def test_steps_replay_backward_in_reverse_topological_order(name):
    graph = make_graph(PRESETS[name])
    nodes = graph.trace["nodes"]
    grads, sent = {}, set()
    for step in graph.steps:
        assert step["node"] not in sent  # reverse topological: a node's grad is complete before it passes it on
        grads[step["node"]] = step["grad_after"]
        sent.add(step["from"])
    assert graph.steps[0]["node"] == nodes[-1]["id"] and graph.steps[0]["grad_after"] == 1.0
    for node in nodes:  # after the last step every grad equals a fresh backward's
        assert grads.get(node["id"], 0.0) == pytest.approx(node["grad"])
    senders = [step["from"] for step in graph.steps[1:]]
    assert len(set(senders)) == len([n for n in nodes if n["inputs"]])  # every operation passes its grad on
    running = {}
    for step in graph.steps[1:]:  # each contribution is local x upstream and adds to a running sum
        assert step["contribution"] == pytest.approx(step["local"] * step["upstream"])
        running[step["node"]] = running.get(step["node"], 0.0) + step["contribution"]
        assert step["grad_after"] == pytest.approx(running[step["node"]])


def test_used_twice_gets_two_steps_into_a():
    graph = make_graph(USED_TWICE)
    a = next(n["id"] for n in graph.trace["nodes"] if n["label"] == "a")
    assert [s["grad_after"] for s in graph.steps if s["node"] == a] == [1.0, 2.0]


def test_load_value_shows_an_mlp_sample_graph():
    import random
    random.seed(0)
    model = nn.MLP(2, [4, 4, 1])
    x = [engine.Value(0.3, label="x0"), engine.Value(-1.2, label="x1")]
    loss = (1 - model(x) * -1.0).relu()
    engine.fresh_backward(loss)
    state = GraphState()
    state.load_value(loss, "point 7\n(label +1)")
    assert state.error == ""
    assert state.program.startswith("# point 7 (label +1)\n")
    assert output_data(state) == pytest.approx(loss.data)
    assert len(state.graph.trace["nodes"]) == len(engine.build_topo(loss))
    shown = {n["label"]: n["grad"] for n in state.graph.trace["nodes"]}
    assert shown["x0"] == pytest.approx(x[0].grad) and shown["x1"] == pytest.approx(x[1].grad)


def big_neuron_and_mlp_programs():
    import random
    random.seed(1)
    xs = [engine.Value(random.uniform(-1, 1), label=f"x{i}") for i in range(10)]
    neuron = nn.Neuron(10)(xs)
    model = nn.MLP(2, [4, 4, 1])
    loss = (model([engine.Value(0.5, label="p0"), engine.Value(-0.5, label="p1")]) - 1.0) ** 2
    return [program_from_value(neuron), program_from_value(loss)]


@pytest.mark.parametrize("index", [0, 1])
def test_layout_of_larger_graphs_is_left_to_right_without_overlaps(index):
    graph = make_graph(big_neuron_and_mlp_programs()[index])
    positions = graph.layout
    for edge in graph.trace["edges"]:  # every input sits left of the node it feeds
        assert positions["value"][edge["source"]][0] < positions["op"][edge["target"]][0]
    boxes = sorted(positions["value"].values())
    for (x0, y0), (x1, y1) in zip(boxes, boxes[1:]):
        assert x0 != x1 or abs(y0 - y1) >= BOX_HEIGHT
    for node_id, (x, y) in positions["op"].items():  # op nodes sit left of their own box, not inside another
        assert x < positions["value"][node_id][0] - BOX_WIDTH / 2


def test_layout_bends_a_repeated_input_apart():
    graph = make_graph(USED_TWICE)
    a_edges = [e for e in graph.layout["edges"] if e["slot"] >= 0]
    assert len(a_edges) == 2 and a_edges[0]["ys"] != a_edges[1]["ys"]


def test_program_from_value_round_trips_every_op():
    text = ("x = 0.7\ny = 1.3\nz = x + y - x * y / (x ** 2) + y ** x\n"
            "w = -z + relu(z) + tanh(z) + exp(x) + log(y) + sigmoid(z) + softplus(x)\n")
    graph = make_graph(text)
    again = make_graph(program_from_value(graph.root))
    assert [n["op"] for n in again.trace["nodes"]] == [n["op"] for n in graph.trace["nodes"]]
    assert again.root.data == graph.root.data
    assert parse_program(program_from_value(graph.root)).output == "w"
