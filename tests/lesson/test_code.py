"""The code panel's text (playground/lesson/code.py): its lines are the op table's, and with this step's
numbers filled in they compute exactly what the engine computed. The filled-in text is evaluated here (it is
our own generated text, never user input)."""
import math
import random

import pytest

import engine
from engine import OPS, Value
from engine.ops import sigmoid
from playground.graph import GraphState
from playground.graph.presets import DIVISION_AND_POWERS, README_EXAMPLE, TANH_NEURON, USED_TWICE
from playground.lesson import code

NAMESPACE = {"math": math, "sigmoid": sigmoid, "log": math.log, "__builtins__": {}}
# inputs inside each op's domain, negative ones where the op allows them (so parentheses matter)
INPUTS = {"**": [(0.7, 1.3), (2.5, -0.5)], "**n": [(-3.0, 2), (0.6, -0.5), (-1.5, 3)], "log": [(0.4,), (2.2,)]}
EXPONENT = {"**n": True}


def right_hand_side(filled):
    return filled.split(" += ", 1)[1]


def graph_of(op, numbers):
    row = OPS[op]
    if op == "**n":
        x, n = numbers
        leaves = [Value(x, label="x")]
        out = engine.apply(op, *leaves, exponent=n)
    else:
        leaves = [Value(v, label=name) for v, name in zip(numbers, "xy")]
        out = engine.apply(op, *leaves)
    out.label = "out"
    scale = Value(-1.75, label="up")   # so out.grad is not 1: the upstream grad is a real number too
    root = out * scale
    root.label = "root"
    assert row.arity == len(leaves)
    return root


def cases():
    rng = random.Random(17)
    for op, row in OPS.items():
        given = INPUTS.get(op) or [tuple(rng.uniform(-2, 2) for _ in range(row.arity)) for _ in range(3)]
        for numbers in given:
            yield pytest.param(op, numbers, id=f"{op}{numbers}")


@pytest.mark.parametrize("op, numbers", list(cases()))
def test_every_ops_filled_line_is_the_engines_rule(op, numbers):
    root = graph_of(op, numbers)
    graph = engine.trace(root)
    events = engine.backward_events(root)
    steps = code.backward_steps(graph, events)
    out_id = next(n["id"] for n in graph["nodes"] if n["label"] == "out")
    step = next(s for s in steps if s["node"] == out_id)
    assert step["op"] == op
    event = next(e for e in events if e["node"] == step["node"])
    assert [line["code"] for line in step["lines"]] == list(OPS[op].backward)   # the table's own lines
    for line, arrival in zip(step["lines"], event["inputs"]):
        value = eval(right_hand_side(line["exact"]), NAMESPACE)   # noqa: S307  our generated text
        assert value == arrival["contribution"]                    # bit for bit
        assert line["contribution"] == arrival["contribution"] and line["grad_after"] == arrival["grad_after"]
        shown = eval(right_hand_side(line["filled"]), NAMESPACE)  # noqa: S307  the short numbers on screen
        assert shown == pytest.approx(arrival["contribution"], rel=1e-2, abs=1e-3)


@pytest.mark.parametrize("program", [README_EXAMPLE, TANH_NEURON, USED_TWICE, DIVISION_AND_POWERS],
                         ids=["readme", "neuron", "used_twice", "division_and_powers"])
def test_replaying_the_shown_lines_gives_the_engines_grads(program):
    graph = GraphState(program=program).graph
    steps = code.backward_steps(graph.trace, engine.backward_events(graph.root))
    names = code.code_names(graph.trace["nodes"])
    grads = {}
    for step in steps:
        if step is steps[0]:
            grads[step["node"]] = 1.0              # self.grad = 1.0
        for line in step["lines"]:
            assert line["exact"].startswith(f"{names[line['input']]}.grad += ")
            grads[line["input"]] = grads.get(line["input"], 0.0) + eval(right_hand_side(line["exact"]), NAMESPACE)  # noqa: S307
        assert grads == step["grads"]
    engine.fresh_backward(graph.root)
    assert [grads.get(i, 0.0) for i in range(len(graph.trace["nodes"]))] == [v.grad for v in engine.build_topo(graph.root)]
    # one step per _backward call of `for v in reversed(topo)`, after the seed
    assert [s["node"] for s in steps[1:]] == list(reversed(range(len(graph.trace["nodes"]))))


def test_the_issues_example_and_negative_numbers():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    steps = code.backward_steps(engine.trace(e), engine.backward_events(e))
    mul = steps[1]
    assert [line["filled"] for line in mul["lines"]] == ["a.grad += -3.0 * 1.0", "b.grad += 2.0 * 1.0"]
    lines, notes = code.closure_code(mul, code.code_names(engine.trace(e)["nodes"]))
    assert notes[2] == "a.grad += -3.0 * 1.0  ->  a.grad = -3.0"
    assert lines[2] == "    self.grad += other.data * out.grad"
    assert code.fill("self.grad += other * self.data ** (other - 1) * out.grad", ("x", None),
                     {"other": 2.0, "self.data": -3.0, "out.grad": -1.0}) == \
        "x.grad += 2.0 * (-3.0) ** (2.0 - 1) * (-1.0)"


def test_formulas_and_names_of_constants():
    graph = GraphState(program="f = 4.0\ng = 10.0 / f\n").graph
    steps = code.backward_steps(graph.trace, engine.backward_events(graph.root))
    div = steps[1]
    assert div["header"].startswith("g = Value(10.0) / f")
    assert [line["formula"] for line in div["lines"]] == ["1/f", "-10.0/f**2"]   # the issue's -10/f**2
    assert [line["local"] for line in div["lines"]] == [1 / 4.0, -10.0 / 4.0 ** 2]
