"""Independent checks of the gradients: sympy (symbolic), PyTorch (in its own venv), and
hypothesis-generated random graphs against finite differences and the fast path's tape."""
import json
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from engine import Value, fresh_backward, gradcheck
from engine.tape import Tape

ROOT = pathlib.Path(__file__).resolve().parents[2]
TORCH_PYTHON = ROOT / ".venv-torch" / "bin" / "python"


# --- random expression graphs: a program of ops over three leaves -------------------------
# Each op keeps its inputs inside its domain (log of x*x + 1, ...), so every graph is valid.

def sympy_relu(x):
    return sp.Piecewise((x, x > 0), (0, True))  # slope 0 at 0, micrograd's convention


OPS = {
    "add": (2, lambda a, b: a + b, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b, lambda a, b: a * b),
    "div": (2, lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "powv": (2, lambda a, b: (a * a + 0.5) ** b.tanh(), lambda a, b: (a * a + 0.5) ** sp.tanh(b)),
    "pown": (1, lambda a: a ** 3, lambda a: a ** 3),
    "neg": (1, lambda a: -a, lambda a: -a),
    "exp": (1, lambda a: a.tanh().exp(), lambda a: sp.exp(sp.tanh(a))),
    "log": (1, lambda a: (a * a + 1).log(), lambda a: sp.log(a * a + 1)),
    "tanh": (1, lambda a: a.tanh(), sp.tanh),
    "sigmoid": (1, lambda a: a.sigmoid(), lambda a: 1 / (1 + sp.exp(-a))),
    "softplus": (1, lambda a: a.softplus(), lambda a: sp.log(1 + sp.exp(a))),
    "relu": (1, lambda a: a.relu(), sympy_relu),
    "sin": (1, lambda a: a.sin(), sp.sin),
}

programs = st.lists(st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 100), st.integers(0, 100)),
                    min_size=1, max_size=10)
points = st.lists(st.floats(-2, 2, allow_nan=False).map(lambda x: round(x, 3)), min_size=3, max_size=3)


def run(program, leaves, which):
    """Evaluate a program on leaves with the Value ops (which=1) or the sympy ones (which=2)."""
    nodes = list(leaves)
    for name, i, j in program:
        entry = OPS[name]
        args = (nodes[i % len(nodes)], nodes[j % len(nodes)])[:entry[0]]
        nodes.append(entry[which](*args))
    return nodes[-1] + nodes[-2]  # use more than one branch


def near_a_kink(program, leaves):
    """True if some relu input is within 1e-4 of 0 (finite differences straddle the kink there)."""
    values = [v.data for v in leaves]
    for name, i, j in program:
        a = values[i % len(values)]
        if name == "relu" and abs(a) < 1e-4:
            return True
        b = values[j % len(values)]
        values.append(OPS[name][1](*(Value(a), Value(b))[:OPS[name][0]]).data)
    return False


small_programs = st.lists(st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 100), st.integers(0, 100)),
                          min_size=1, max_size=6)  # sympy expands shared nodes into trees: keep them small


@settings(max_examples=30, deadline=None)
@given(program=small_programs, point=points)
def test_random_graphs_against_sympy(program, point):
    leaves = [Value(x) for x in point]
    out = run(program, leaves, 1)
    fresh_backward(out)
    symbols = sp.symbols("a b c")
    expr = run(program, symbols, 2)
    subs = dict(zip(symbols, point))
    assert out.data == pytest.approx(float(expr.evalf(subs=subs)), rel=1e-9, abs=1e-12)
    for s, leaf in zip(symbols, leaves):
        exact = float(sp.diff(expr, s).evalf(subs=subs))
        assert leaf.grad == pytest.approx(exact, rel=1e-9, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(program=programs, point=points)
def test_random_graphs_against_finite_differences_and_the_tape(program, point):
    leaves = [Value(x) for x in point]
    out = run(program, leaves, 1)
    if not near_a_kink(program, leaves):
        # A central difference of an output |f| carries rounding error of about |f| * 2.2e-16 / eps: with
        # outputs near 1e8 (x**3 of x**3) that is 0.03, whatever the gradient (found by hypothesis in CI).
        rounding = 10 * abs(out.data) * sys.float_info.epsilon / 1e-6
        for check in gradcheck(out, eps=1e-6):
            assert check["analytic"] == pytest.approx(check["numeric"], rel=1e-4, abs=1e-5 + rounding)
    fresh_backward(out)
    # the fast path's generic tape, replayed over a batch of this point and two others
    columns = [np.array([x, x + 0.25, x - 0.5]) for x in point]
    tape = Tape(out, leaves, grad_inputs=leaves)
    vals = tape.forward(columns, [])
    grads = tape.backward(vals, np.ones(3))
    assert vals[tape.root][0] == pytest.approx(out.data, rel=1e-12, abs=1e-15)
    for k, leaf in enumerate(leaves):
        g = tape.input_grad(grads, k)
        assert (0.0 if g is None else np.broadcast_to(g, (3,))[0]) == pytest.approx(leaf.grad, rel=1e-9, abs=1e-12)


def test_sympy_on_the_named_ops():
    x, y = sp.symbols("x y")
    cases = [  # Value expression, sympy expression, point
        (lambda a, b: a ** b, x ** y, (1.7, -0.6)),
        (lambda a, b: (a / b).exp(), sp.exp(x / y), (0.3, 1.9)),
        (lambda a, b: (a * b).log(), sp.log(x * y), (2.5, 0.4)),
        (lambda a, b: (a - b).sigmoid() * b.tanh(), sp.tanh(y) / (1 + sp.exp(y - x)), (0.2, -0.9)),
        (lambda a, b: (a * b).softplus(), sp.log(1 + sp.exp(x * y)), (1.5, 2.0)),
        (lambda a, b: 1 / a - 3 ** b, 1 / x - 3 ** y, (-0.8, 0.7)),
    ]
    for f, expr, point in cases:
        leaves = [Value(v) for v in point]
        out = f(*leaves)
        fresh_backward(out)
        subs = dict(zip((x, y), point))
        assert out.data == pytest.approx(float(expr.evalf(subs=subs)), rel=1e-12)
        for s, leaf in zip((x, y), leaves):
            assert leaf.grad == pytest.approx(float(sp.diff(expr, s).evalf(subs=subs)), rel=1e-12)


def test_pytorch_oracle():
    if not TORCH_PYTHON.exists():
        pytest.fail(f"{TORCH_PYTHON} is missing: run `make test` (it builds .venv-torch with PyTorch)")
    done = subprocess.run([str(TORCH_PYTHON), str(ROOT / "tests" / "engine" / "torch_oracle.py")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    names = [c["name"] for c in report["cases"]]
    assert "pow_value" in names and "mlp_relu_bce" in names and "sin" in names and len(names) == 18
    for case in report["cases"]:
        assert case["max_rel_diff"] < 1e-12, case
    assert not math.isnan(sum(c["max_rel_diff"] for c in report["cases"]))
