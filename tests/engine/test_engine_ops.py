"""Every op against finite differences, including the edge points, and the domain errors."""
import math

import pytest

from engine import Value, DomainError, fresh_backward, gradcheck


def slope(f, x, h=1e-6):
    """Central finite difference of a float function."""
    return (f(x + h) - f(x - h)) / (2 * h)


def grads_of(f, *xs):
    """Value-path grads of f at xs (fresh backward), and the output's data."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    fresh_backward(out)
    return out.data, [v.grad for v in leaves]


UNARY = [  # name, Value op, float reference, points (away from kinks)
    ("neg", lambda v: -v, lambda x: -x, [-2.0, 0.0, 3.5]),
    ("exp", lambda v: v.exp(), math.exp, [-3.0, 0.0, 2.0]),
    ("log", lambda v: v.log(), math.log, [0.1, 1.0, 7.0]),
    ("tanh", lambda v: v.tanh(), math.tanh, [-2.0, 0.0, 0.7]),
    ("sigmoid", lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), [-30.0, -1.0, 0.0, 2.0]),
    ("softplus", lambda v: v.softplus(), lambda x: math.log1p(math.exp(x)), [-5.0, 0.0, 3.0]),
    ("relu", lambda v: v.relu(), lambda x: max(x, 0.0), [-1.5, 0.5, 2.0]),
    ("sin", lambda v: v.sin(), math.sin, [-2.0, 0.0, 1.0, 3.0]),
    ("square", lambda v: v ** 2, lambda x: x ** 2, [-3.0, 0.0, 1.5]),
    ("cube", lambda v: v ** 3, lambda x: x ** 3, [-2.0, 0.0, 1.1]),
    ("inverse", lambda v: v ** -1, lambda x: x ** -1, [-2.0, 0.5, 3.0]),
    ("sqrt", lambda v: v ** 0.5, math.sqrt, [0.25, 4.0]),
    ("pow 0", lambda v: v ** 0, lambda x: 1.0, [-2.0, 0.0, 3.0]),
    ("rsub", lambda v: 3 - v, lambda x: 3 - x, [1.0]),
    ("rdiv", lambda v: 3 / v, lambda x: 3 / x, [-1.5, 2.0]),
    ("radd", lambda v: 3 + v, lambda x: 3 + x, [1.0]),
    ("rmul", lambda v: 3 * v, lambda x: 3 * x, [1.0]),
    ("rpow", lambda v: 2 ** v, lambda x: 2 ** x, [-1.0, 0.0, 3.0]),
]


@pytest.mark.parametrize("name,op,ref,points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_ops_match_finite_differences(name, op, ref, points):
    for x in points:
        data, (grad,) = grads_of(op, x)
        assert data == pytest.approx(ref(x), rel=1e-12, abs=1e-300)
        assert grad == pytest.approx(slope(ref, x), rel=1e-6, abs=1e-8), (name, x)


BINARY = [
    ("add", lambda a, b: a + b, lambda a, b: a + b),
    ("sub", lambda a, b: a - b, lambda a, b: a - b),
    ("mul", lambda a, b: a * b, lambda a, b: a * b),
    ("div", lambda a, b: a / b, lambda a, b: a / b),
    ("pow", lambda a, b: a ** b, lambda a, b: a ** b),
]


@pytest.mark.parametrize("name,op,ref", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("a,b", [(1.5, 2.0), (0.3, -1.7), (4.0, 0.5), (2.0, 3.0)])
def test_binary_ops_match_finite_differences(name, op, ref, a, b):
    data, (ga, gb) = grads_of(op, a, b)
    assert data == pytest.approx(ref(a, b), rel=1e-12)
    assert ga == pytest.approx(slope(lambda x: ref(x, b), a), rel=1e-6, abs=1e-8)
    assert gb == pytest.approx(slope(lambda y: ref(a, y), b), rel=1e-6, abs=1e-8)


def test_relu_at_zero_takes_micrograds_convention():
    # micrograd passes a grad only where the output is > 0: at 0 the slope is the left one, 0
    _, (g,) = grads_of(lambda v: v.relu(), 0.0)
    assert g == 0.0
    assert (max(0.0, 0.0) - max(-1e-6, 0.0)) / 1e-6 == g


def test_pow_at_zero():
    assert grads_of(lambda v: v ** 2, 0.0) == (0.0, [0.0])
    assert grads_of(lambda v: v ** 1, 0.0) == (0.0, [1.0])
    assert grads_of(lambda v: v ** 0, 0.0) == (1.0, [0.0])
    # 0 ** y for y > 0 is flat in y; its slope in x is y * 0 ** (y - 1)
    assert grads_of(lambda a, b: a ** b, 0.0, 2.0) == (0.0, [0.0, 0.0])
    # the slope of sqrt at 0 is infinite: a clear error, not inf or NaN
    with pytest.raises(DomainError, match=r"\*\*0.5"):
        grads_of(lambda v: v ** 0.5, 0.0)


def test_tanh_saturates_without_nan():
    for x in (20.0, -20.0, 400.0, -800.0):
        data, (g,) = grads_of(lambda v: v.tanh(), x)
        assert abs(data) == 1.0 and g == 0.0
        assert slope(math.tanh, x) == 0.0
    data, (g,) = grads_of(lambda v: v.tanh(), 5.0)
    assert g == pytest.approx(slope(math.tanh, 5.0), rel=1e-6)


def test_sigmoid_and_softplus_are_stable_far_out():
    assert grads_of(lambda v: v.sigmoid(), -1000.0) == (0.0, [0.0])
    assert grads_of(lambda v: v.sigmoid(), 1000.0) == (1.0, [0.0])
    assert grads_of(lambda v: v.softplus(), 1000.0) == (1000.0, [1.0])
    assert grads_of(lambda v: v.softplus(), -1000.0) == (0.0, [0.0])


@pytest.mark.parametrize("make,op", [
    (lambda: Value(0.0).log(), "log"),
    (lambda: Value(-2.0).log(), "log"),
    (lambda: Value(0.0) ** -1, "**-1"),
    (lambda: Value(0.0) ** -2.5, "**-2.5"),
    (lambda: Value(-8.0) ** (1 / 3), "**0.333"),
    (lambda: Value(-8.0) ** Value(2.0), "**"),
    (lambda: Value(0.0) ** Value(-1.0), "**"),
    (lambda: Value(710.0).exp(), "exp"),
    (lambda: Value(1e200) ** 2, "**2"),
    (lambda: Value(1.0) / 0, "/"),
    (lambda: 1 / Value(0.0), "/"),
])
def test_domain_errors_name_the_op(make, op):
    with pytest.raises(DomainError) as info:
        make()
    assert isinstance(info.value, ValueError)
    assert info.value.op.startswith(op) and str(info.value).startswith(info.value.op + ":")


def test_negative_base_with_integer_exponent_is_fine():
    data, (g,) = grads_of(lambda v: v ** 3, -2.0)
    assert (data, g) == (-8.0, 12.0)


def test_operand_order_and_repeated_inputs():
    a, b = Value(3.0, label="a"), Value(5.0, label="b")
    assert (b - a)._prev == (b, a) and (2 - a)._prev[1] is a
    c = a + a
    assert c._prev == (a, a)
    c.backward()
    assert a.grad == 2.0
    a.grad = 0.0
    (a * a).backward()
    assert a.grad == 6.0


def test_value_api_looks_like_micrograds():
    a = Value(2.0, label="a")
    e = a * 3
    assert (e.data, e._op, e.label) == (6.0, "*", "")
    assert repr(a) == "Value(data=2.0, grad=0.0, label='a')"
    assert ((a ** 2)._op, (a ** 2)._exponent) == ("**n", 2)  # the exponent is data, not part of the name
    e.grad = 1.0
    e._backward()  # callable as in micrograd
    assert a.grad == 3.0


def test_gradcheck_on_a_mixed_graph():
    x, y, z = Value(0.7, label="x"), Value(-1.3, label="y"), Value(2.2, label="z")
    out = ((x * y).tanh() * 0.5 + z ** x / (1 + (-y).exp()) + (z.log() * x).sigmoid()).relu() ** 2
    checks = gradcheck(out)
    assert [c["label"] for c in checks if c["label"]] == ["x", "y", "z"]
    for c in checks:
        assert c["analytic"] == pytest.approx(c["numeric"], rel=1e-5, abs=1e-8)
    inner = (math.tanh(0.7 * -1.3) * 0.5 + 2.2 ** 0.7 / (1 + math.exp(1.3))
             + 1 / (1 + math.exp(-math.log(2.2) * 0.7)))
    assert inner > 0 and out.data == pytest.approx(inner ** 2, rel=1e-12)
    assert all(c["analytic"] != 0 for c in checks if c["label"])
