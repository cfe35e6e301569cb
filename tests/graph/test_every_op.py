"""Every op of the engine's table (engine/ops.py), walked through the whole house: the language reads it, the engine
builds and differentiates it, the fast path's tape replays it, the drawing shows it, the program text writes it
back, and reading that text again gives the same graph. A new row in the table is covered here at once."""
import numpy as np
import pytest

from engine import OPS, gradcheck
from engine.tape import Tape
from playground.graph import edits
from playground.graph.language import FUNCTIONS, OPERATORS, build_graph, parse_program, program_from_value
from playground.graph.state import make_graph
from playground.graph.drawing import source_data

EXPONENT = 3.0
LEAVES = "a = 0.7\nb = 1.3\n"


def program_for(op):
    return LEAVES + "c = " + op.write(["a", "b"][:op.arity], EXPONENT if op.takes_exponent else None) + "\n"


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_goes_through_language_engine_tape_drawing_and_back(name):
    op = OPS[name]
    exponent = EXPONENT if op.takes_exponent else None
    text = program_for(op)

    # language -> engine
    root, env = build_graph(parse_program(text))
    assert (root._op, root._exponent) == (name, exponent)
    leaves = [env["a"], env["b"]][:op.arity]
    assert list(root._prev) == leaves
    assert root.data == op.forward(*[v.data for v in leaves], *([exponent] if exponent is not None else []))

    # engine: backward against finite differences
    for check in gradcheck(root):
        assert check["analytic"] == pytest.approx(check["numeric"], rel=1e-6, abs=1e-9)
    grads = [v.grad for v in leaves]
    assert all(g != 0 for g in grads)

    # tape: the same graph replayed over a batch whose first row is this point
    tape = Tape(root, leaves, grad_inputs=leaves)
    vals = tape.forward([np.array([v.data, v.data + 0.1]) for v in leaves], [])
    tape_grads = tape.backward(vals, np.ones(2))
    assert vals[tape.root][0] == pytest.approx(root.data, rel=1e-13)
    for k, g in enumerate(grads):
        assert np.broadcast_to(tape.input_grad(tape_grads, k), (2,))[0] == pytest.approx(g, rel=1e-13)

    # drawing: the op's circle and its name in the table and the hover
    graph = make_graph(text)
    values, ops, _, _ = source_data(graph)
    # the circle shows the op as the program writes it: the written form without its operands
    assert ops["op"][0].replace(" ", "") in text.replace(" ", "").replace(".0", "")
    assert ops["engine_op"] == [op.label(exponent)]
    assert values["op"][-1] == op.label(exponent)

    # program text and back
    written = program_from_value(root)
    assert written.splitlines()[-1] == text.splitlines()[-1]
    again = make_graph(written)
    assert again.shape == graph.shape and again.root.data == root.data


def click_choice(op):
    """What the edit card's Operation menu and inputs need to make this op, or None."""
    if op.function:
        return op.function, ["a"]
    if op.takes_exponent:
        return "**", ["a", "3"]  # the edit card's `**` with a number is x ** n
    if op.arity == 2:
        return op.write(["", ""]).strip(), ["a", "b"]
    return None


def test_every_op_but_unary_minus_can_be_added_by_clicking():
    unclickable = [name for name, op in OPS.items() if click_choice(op) is None]
    assert unclickable == ["neg"]  # -x: written with the minus sign, a program edit
    for name, op in OPS.items():
        if name in unclickable:
            continue
        choice, inputs = click_choice(op)
        assert choice in edits.OPERATIONS
        graph = make_graph(edits.add_operation(LEAVES, "c", choice, inputs))
        assert graph.trace["nodes"][-1]["op"] == name
