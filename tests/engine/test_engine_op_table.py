"""The op table (engine/ops.py) against itself: the micrograd lines it shows are the rule the engine runs,
its formulas are the local derivatives, its numpy twins compute the same numbers."""
import math
from types import SimpleNamespace

import numpy as np
import pytest

from engine import OPS, DomainError, Value, apply
from engine.ops import sigmoid

POINTS = [(0.7, 1.3), (2.5, 0.6), (-1.2, 1.9), (1.6, -0.4)]  # (x, y); points outside an op's domain are skipped
EXPONENT = 3


def engine_step(op, x, y, upstream, start):
    """The engine's own _backward at a node op(x[, y]): the inputs' grads after it, from `start`."""
    inputs = [Value(x), Value(y)][:op.arity]
    for v in inputs:
        v.grad = start
    out = apply(op.name, *inputs, exponent=EXPONENT if op.takes_exponent else None)
    out.grad = upstream
    out._backward()
    return out.data, [v.grad for v in inputs]


def micrograd_step(op, x, y, out_data, upstream, start):
    """The op's `backward` lines run as micrograd would: self, other, out with .data and .grad."""
    node = SimpleNamespace
    me, you, out = node(data=x, grad=start), node(data=y, grad=start), node(data=out_data, grad=upstream)
    other = EXPONENT if op.takes_exponent else you
    for line in op.backward:
        exec(line, {"math": math, "sigmoid": sigmoid}, {"self": me, "other": other, "out": out})
    return [me.grad, you.grad][:op.arity]


@pytest.mark.parametrize("name", list(OPS))
def test_the_backward_lines_are_the_engines_rule(name):
    op = OPS[name]
    assert len(op.backward) == len(op.formula) == op.arity
    checked = 0
    for x, y in POINTS:
        for upstream, start in ((1.0, 0.0), (-0.37, 0.25)):
            try:
                out, grads = engine_step(op, x, y, upstream, start)
            except DomainError:
                continue
            assert micrograd_step(op, x, y, out, upstream, start) == grads  # to the last bit
            checked += 1
    assert checked >= 4


@pytest.mark.parametrize("name", list(OPS))
def test_the_formulas_are_the_local_derivatives(name):
    op = OPS[name]
    functions = {"tanh": math.tanh, "exp": math.exp, "log": math.log, "sigmoid": sigmoid,
                 "cos": math.cos, "sin": math.sin}
    exponent = EXPONENT if op.takes_exponent else None
    for x, y in POINTS:
        inputs = [Value(x), Value(y)][:op.arity]
        try:
            out = apply(name, *inputs, exponent=exponent)
            local = out.local_grads()
        except DomainError:
            continue
        for slot in range(op.arity):
            text = op.formula_for(slot, [repr(x), repr(y)], exponent)
            assert eval(text, {"__builtins__": {}}, functions) == pytest.approx(local[slot], rel=1e-12), text


def test_formula_text_reads_like_math():
    assert OPS["/"].formula_for(1, ["10", "f"]) == "-10/f**2"
    assert OPS["**n"].formula_for(0, ["x"], exponent=3) == "3 * x**2"
    assert OPS["*"].formula_for(0, ["a", "b"]) == "b"


@pytest.mark.parametrize("name", list(OPS))
def test_numpy_twins_compute_the_same_numbers(name):
    op = OPS[name]
    exponent = EXPONENT if op.takes_exponent else None
    rows = []
    for x, y in POINTS:
        try:
            inputs = [Value(x), Value(y)][:op.arity]
            out = apply(name, *inputs, exponent=exponent)
            rows.append(((x, y)[:op.arity], out.data, out.local_grads()))
        except DomainError:
            continue
    columns = [np.array([r[0][k] for r in rows]) for k in range(op.arity)]
    args = columns + ([exponent] if op.takes_exponent else [])
    out = op.np_forward(*args)
    np.testing.assert_allclose(out, [r[1] for r in rows], rtol=1e-13)
    for slot, local in enumerate(op.np_local(*args, out)):
        np.testing.assert_allclose(np.broadcast_to(local * 1.0, out.shape), [r[2][slot] for r in rows], rtol=1e-13)


def test_every_function_of_the_table_is_a_value_method():
    functions = [op for op in OPS.values() if op.function]
    assert {op.function for op in functions} >= {"relu", "tanh", "exp", "log", "sigmoid", "softplus"}
    for op in functions:
        out = getattr(Value(0.5), op.function)()
        assert out._op == op.name and out.data == op.forward(0.5)


def test_exponents_are_data():
    x = Value(2.0)
    y = x ** 3
    assert (y._op, y._exponent, y.data) == ("**n", 3, 8.0)
    assert OPS[y._op].label(y._exponent) == "**3" and OPS[y._op].write(["x"], y._exponent) == "x ** 3.0"
    assert all("**" not in name or name in ("**", "**n") for name in OPS)
