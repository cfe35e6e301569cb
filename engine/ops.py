"""The op table: every op the engine knows, in one row each. The place to add an op.

A row holds all there is to know about one op:
  forward(x, y)        the output's data from the inputs' data (floats)
  local(x, y, out)     the local derivatives d out/d x, d out/d y: one per input
  backward             the same rule as micrograd writes it in `_backward` (self, other: the inputs;
                       out: the node); tests/engine/test_engine_op_table.py runs these lines and checks
                       that they give the engine's grads to the last bit
  formula              each local derivative as math text: {x} {y} the inputs, {n} the exponent
  written              how the playground's language writes it: {0} {1} the inputs, {n} the exponent;
                       `name({0})` makes it a function (the language's relu(x) and the Value's x.relu())
  symbol               what the drawing puts in the op's small circle (default: the name)
  np_forward, np_local the same over a batch of numpy arrays (default: forward and local, whose
                       arithmetic works on arrays as it is)
  activation           its name as an MLP activation (engine/nn.py), if it is one
Unary ops take (x) and (x, out). `x ** n` with a plain number n is the op '**n': n is data kept on the
node (Value._exponent), passed where y would be, and a constant, so there is one local derivative.
The engine's `_backward` multiplies each local derivative by the node's grad (the chain rule).

Everything else reads this table: Value's ops and methods (value.py), the fast path (tape.py), the
activations (nn.py), the playground's language, drawing and program text (playground/graph/).
"""
import math
import re
from dataclasses import dataclass
from typing import Callable, Optional

try:
    import numpy as np
except ImportError:  # the Value path needs no numpy; only the np_ functions (the fast path) use it
    np = None


class DomainError(ValueError):
    """An op got an input outside its domain, e.g. log(0). `op` names the op."""

    def __init__(self, op, message):
        super().__init__(f"{op}: {message}")
        self.op = op


@dataclass(frozen=True)
class Op:
    name: str                   # the node's _op
    forward: Callable
    local: Callable
    backward: tuple             # one micrograd line per input
    formula: tuple              # one math text per input
    written: str
    symbol: str = ""
    np_forward: Optional[Callable] = None
    np_local: Optional[Callable] = None
    activation: Optional[str] = None

    def __post_init__(self):
        for field, default in (("symbol", self.name), ("np_forward", self.forward), ("np_local", self.local)):
            if not getattr(self, field):
                object.__setattr__(self, field, default)

    @property
    def arity(self):
        """How many Values go in (x ** n: one; n is data)."""
        return len(self.formula)

    @property
    def takes_exponent(self):
        return "{n" in self.written

    @property
    def function(self):
        """The name of the function the language calls and the Value method: 'relu' for relu({0})."""
        match = re.fullmatch(r"(\w+)\(\{0\}\)", self.written)
        return match[1] if match else None

    def label(self, exponent=None):
        """The op as micrograd names it: '**2' for x ** 2, else the name."""
        return f"**{_number(exponent)}" if self.takes_exponent else self.name

    def write(self, inputs, exponent=None):
        """The op applied to input names (or numbers) as the language writes it: 'a * b', 'x ** 2.0'."""
        return self.written.format(*inputs, n=None if exponent is None else float(exponent))

    def draw(self, exponent=None):
        """The text in the op's circle: '^2' for x ** 2, '^-.5' for x ** -0.5."""
        return self.symbol.format(n=re.sub(r"^(-?)0\.", r"\1.", _number(exponent)) if self.takes_exponent else "")

    def formula_for(self, slot, inputs, exponent=None):
        """The local derivative d out/d input[slot] as text: '-10.0/f**2' for 10.0 / f at slot 1. Inputs other
        than names and plain numbers (-0.4, a + b) are put in parentheses."""
        names = {key: text if re.fullmatch(r"[\w.]+", text) else f"({text})" for key, text in zip("xy", inputs)}
        if self.takes_exponent:
            names.update(n=_number(exponent), n1=_number(exponent - 1))
        return self.formula[slot].format(**names)


def _number(n):
    return f"{n:g}"


# --- the domain of the ops: refuse what has no real answer (floats, then numpy arrays) ---------------------

def _power(x, n, op):
    """x ** n for floats."""
    if x == 0 and n < 0:
        raise DomainError(op, f"0 ** {n} divides by zero")
    if x < 0 and n != int(n):
        raise DomainError(op, f"a negative base ({x}) with a fractional exponent ({n}) is not a real number")
    try:
        return float(x ** n)
    except OverflowError:
        raise DomainError(op, f"{x} ** {n} overflows a float") from None


def _d_power(x, n, op):
    """d/dx x ** n = n * x ** (n - 1)."""
    if n == 0:
        return 0.0  # x ** 0 is the constant 1
    if x == 0 and n < 1:
        raise DomainError(op, f"the slope of x ** {n} is infinite at x = 0")
    return n * _power(x, n - 1, op)


def _pow_value(x, y):
    if x < 0:
        raise DomainError('**', f"a Value exponent needs a base >= 0 (got {x}): "
                                "d/dy x**y = x**y * log(x) is not real for x < 0")
    return _power(x, y, '**')


def _pow_value_local(x, y, out):
    if x > 0:
        return (_d_power(x, y, '**'), out * math.log(x))
    # x == 0 (the forward pass refused x < 0): 0 ** y is 0 for all y > 0, flat in y
    if y > 0:
        return (_d_power(x, y, '**'), 0.0)
    raise DomainError('**', "0 ** y has no slope in y at y = 0")


def _div(x, y):
    if y == 0:
        raise DomainError('/', f"division of {x} by zero")
    return x / y


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        raise DomainError('exp', f"exp({x}) overflows a float (inputs above ~709.78)") from None


def _log(x):
    if x <= 0:
        raise DomainError('log', f"log is defined for inputs > 0, got {x}")
    return math.log(x)


def sigmoid(x):
    # two forms so that exp never overflows
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x):
    # log(1 + e**x) without overflow: max(x, 0) + log(1 + e**-|x|)
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _require(ok, op, message):
    if not np.all(ok):
        raise DomainError(op, message)


def _np_power(x, n, op):
    _require(~((x == 0) & (n < 0)), op, "0 ** negative divides by zero")
    _require(~((x < 0) & (n != np.floor(n))), op, "a negative base with a fractional exponent is not real")
    with np.errstate(over="ignore"):
        out = np.power(x, n)
    _require(np.isfinite(out) | ~np.isfinite(x), op, "overflows a float")
    return out


def _np_d_power(x, n, op):
    if np.all(n == 0):
        return np.zeros_like(x * 1.0)
    _require(~((x == 0) & (n < 1)), op, "the slope of x ** n for n < 1 is infinite at x = 0")
    return n * _np_power(x, n - 1, op)


def _np_pow_value(x, y):
    _require(x >= 0, '**', "a Value exponent needs a base >= 0")
    return _np_power(x, y, '**')


def _np_pow_value_local(x, y, out):
    _require((x > 0) | (y > 0), '**', "0 ** y has no slope in y at y = 0")
    with np.errstate(divide="ignore"):
        log_x = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), 0.0)
    return (_np_d_power(x, y, '**'), out * log_x)


def _np_div(x, y):
    _require(y != 0, '/', "division by zero")
    return x / y


def _np_exp(x):
    _require(x <= 709.78, 'exp', "exp overflows a float (inputs above ~709.78)")
    return np.exp(x)


def _np_log(x):
    _require(x > 0, 'log', "log is defined for inputs > 0")
    return np.log(x)


def _np_sigmoid(x):
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# --- the table ---------------------------------------------------------------------------------------------

OPS = {op.name: op for op in (
    Op('+', lambda x, y: x + y, lambda x, y, out: (1.0, 1.0),
       backward=("self.grad += out.grad", "other.grad += out.grad"),
       formula=("1", "1"), written="{0} + {1}"),
    Op('-', lambda x, y: x - y, lambda x, y, out: (1.0, -1.0),
       backward=("self.grad += out.grad", "other.grad += -out.grad"),
       formula=("1", "-1"), written="{0} - {1}"),
    Op('*', lambda x, y: x * y, lambda x, y, out: (y, x),
       backward=("self.grad += other.data * out.grad", "other.grad += self.data * out.grad"),
       formula=("{y}", "{x}"), written="{0} * {1}"),
    Op('/', _div, lambda x, y, out: (1.0 / y, -out / y),  # -out / y = -x / y**2
       backward=("self.grad += (1 / other.data) * out.grad", "other.grad += (-out.data / other.data) * out.grad"),
       formula=("1/{y}", "-{x}/{y}**2"), written="{0} / {1}", np_forward=lambda x, y: _np_div(x, y)),
    Op('**', _pow_value, _pow_value_local,  # a Value exponent
       backward=("self.grad += other.data * self.data ** (other.data - 1) * out.grad",
                 "other.grad += out.data * math.log(self.data) * out.grad"),
       formula=("{y} * {x}**({y} - 1)", "{x}**{y} * log({x})"), written="{0} ** {1}",
       np_forward=lambda x, y: _np_pow_value(x, y), np_local=lambda x, y, out: _np_pow_value_local(x, y, out)),
    Op('**n', lambda x, n: _power(x, n, f'**{n}'), lambda x, n, out: (_d_power(x, n, f'**{n}'),),
       backward=("self.grad += other * self.data ** (other - 1) * out.grad",),  # other: the number n
       formula=("{n} * {x}**{n1}",), written="{0} ** {n!r}", symbol="^{n}",
       np_forward=lambda x, n: _np_power(x, n, f'**{n}'),
       np_local=lambda x, n, out: (_np_d_power(x, n, f'**{n}'),)),
    Op('neg', lambda x: -x, lambda x, out: (-1.0,),
       backward=("self.grad += -out.grad",),
       formula=("-1",), written="-{0}"),
    Op('ReLU', lambda x: 0.0 if x < 0 else x, lambda x, out: (1.0 if out > 0 else 0.0,),
       backward=("self.grad += (out.data > 0) * out.grad",),
       formula=("1 if {x} > 0 else 0",), written="relu({0})", symbol="relu", activation="relu",
       np_forward=lambda x: np.maximum(x, 0.0), np_local=lambda x, out: (out > 0,)),  # True/False act as 1/0
    Op('tanh', math.tanh, lambda x, out: (1.0 - out * out,),
       backward=("self.grad += (1 - out.data * out.data) * out.grad",),
       formula=("1 - tanh({x})**2",), written="tanh({0})", activation="tanh",
       np_forward=lambda x: np.tanh(x)),
    Op('exp', _exp, lambda x, out: (out,),
       backward=("self.grad += out.data * out.grad",),
       formula=("exp({x})",), written="exp({0})", np_forward=lambda x: _np_exp(x)),
    Op('log', _log, lambda x, out: (1.0 / x,),
       backward=("self.grad += (1 / self.data) * out.grad",),
       formula=("1/{x}",), written="log({0})", np_forward=lambda x: _np_log(x)),
    Op('sigmoid', sigmoid, lambda x, out: (out * (1.0 - out),),
       backward=("self.grad += out.data * (1 - out.data) * out.grad",),
       formula=("sigmoid({x}) * (1 - sigmoid({x}))",), written="sigmoid({0})", symbol="\u03c3",
       activation="sigmoid", np_forward=lambda x: _np_sigmoid(x)),
    Op('softplus', _softplus, lambda x, out: (sigmoid(x),),
       backward=("self.grad += sigmoid(self.data) * out.grad",),
       formula=("sigmoid({x})",), written="softplus({0})", symbol="sp",
       np_forward=lambda x: np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x))),
       np_local=lambda x, out: (_np_sigmoid(x),)),
    Op('sin', math.sin, lambda x, out: (math.cos(x),),
       backward=("self.grad += math.cos(self.data) * out.grad",),
       formula=("cos({x})",), written="sin({0})",
       np_forward=lambda x: np.sin(x), np_local=lambda x, out: (np.cos(x),)),
)}
