"""Value: one scalar of a computation graph, and its gradient.

This is micrograd's Value with four changes a student can see:
  - `_prev` is a tuple in operand order, so `a + a` lists `a` twice (and gives it grad 2)
    and drawings never reorder inputs;
  - `_backward` is a method, not a closure stored on the node: no reference cycles, so the
    garbage collector has nothing to chase and the graph is freed as soon as it is dropped;
  - every op's forward formula and local derivatives sit together in one table, RULES;
  - inputs outside an op's domain raise DomainError instead of giving NaN or a complex number.
"""
import math


class DomainError(ValueError):
    """An op got an input outside its domain, e.g. log(0). `op` names the op."""

    def __init__(self, op, message):
        super().__init__(f"{op}: {message}")
        self.op = op


# ---------------------------------------------------------------------------------------
# The calculus of the engine. For each op:
#   forward(x, y)          the output's data from the inputs' data
#   local(x, y, out)       the local derivatives (d out/d x, d out/d y), one per input
# Unary ops take (x) and (x, out). For `x ** n` with a plain number n, n is passed as y
# but is a constant, not an input, so there is one local derivative.
# `_backward` multiplies each local derivative by the node's grad (the chain rule).
# ---------------------------------------------------------------------------------------

def _power(x, n, op):
    """x ** n for floats, refusing what has no real answer."""
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


def _pow_value_local(x, y, out):
    # d/dx x**y = y * x**(y-1);  d/dy x**y = x**y * log(x)
    if x > 0:
        return (_d_power(x, y, '**'), out * math.log(x))
    # x == 0 (the forward pass refused x < 0): 0 ** y is 0 for all y > 0, flat in y
    if y > 0:
        return (_d_power(x, y, '**'), 0.0)
    raise DomainError('**', "0 ** y has no slope in y at y = 0")


def _pow_value(x, y):
    if x < 0:
        raise DomainError('**', f"a Value exponent needs a base >= 0 (got {x}): "
                                "d/dy x**y = x**y * log(x) is not real for x < 0")
    return _power(x, y, '**')


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


def _sigmoid(x):
    # two forms so that exp never overflows
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x):
    # log(1 + e**x) without overflow: max(x, 0) + log(1 + e**-|x|)
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


RULES = {
    #  op         forward                              local derivatives
    '+':       (lambda x, y: x + y,                  lambda x, y, out: (1.0, 1.0)),
    '-':       (lambda x, y: x - y,                  lambda x, y, out: (1.0, -1.0)),
    '*':       (lambda x, y: x * y,                  lambda x, y, out: (y, x)),
    '/':       (_div,                                lambda x, y, out: (1.0 / y, -out / y)),  # -x/y**2
    '**':      (_pow_value,                          _pow_value_local),
    '**n':     (lambda x, n: _power(x, n, f'**{n}'), lambda x, n, out: (_d_power(x, n, f'**{n}'),)),
    'neg':     (lambda x: -x,                        lambda x, out: (-1.0,)),
    'exp':     (_exp,                                lambda x, out: (out,)),
    'log':     (_log,                                lambda x, out: (1.0 / x,)),
    'tanh':    (math.tanh,                           lambda x, out: (1.0 - out * out,)),
    'sigmoid': (_sigmoid,                            lambda x, out: (out * (1.0 - out),)),
    'softplus': (_softplus,                          lambda x, out: (_sigmoid(x),)),
    'ReLU':    (lambda x: 0.0 if x < 0 else x,       lambda x, out: (1.0 if out > 0 else 0.0,)),
}


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)


class Value:
    """Stores a single scalar, its gradient, and how it was made."""

    __slots__ = ('data', 'grad', '_prev', '_op', '_exponent', 'label')

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)  # inputs, in operand order
        self._op = _op                 # the op that made this node ('' for a leaf)
        self._exponent = None          # n of `x ** n` when n is a plain number
        self.label = label

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # --- building the graph: every op goes through _apply, which uses RULES -------------

    def _rule(self):
        op = '**n' if self._exponent is not None else self._op
        if op not in RULES:
            raise ValueError(f"no derivative rule for op {self._op!r}")
        return RULES[op]

    def _args(self):
        """The inputs' data as the rule's functions take them."""
        prev = self._prev
        if len(prev) == 2:
            return (prev[0].data, prev[1].data)
        if self._exponent is not None:
            return (prev[0].data, self._exponent)
        return (prev[0].data,)

    def __add__(self, other):
        return _apply('+', self, _as_value(other))

    def __radd__(self, other):  # other + self
        return _apply('+', _as_value(other), self)

    def __sub__(self, other):
        return _apply('-', self, _as_value(other))

    def __rsub__(self, other):  # other - self
        return _apply('-', _as_value(other), self)

    def __mul__(self, other):
        return _apply('*', self, _as_value(other))

    def __rmul__(self, other):  # other * self
        return _apply('*', _as_value(other), self)

    def __truediv__(self, other):
        return _apply('/', self, _as_value(other))

    def __rtruediv__(self, other):  # other / self
        return _apply('/', _as_value(other), self)

    def __neg__(self):
        return _apply('neg', self)

    def __pow__(self, other):
        if isinstance(other, Value):
            return _apply('**', self, other)
        if not isinstance(other, (int, float)):
            return NotImplemented
        out = Value(_power(self.data, other, f'**{other}'), (self,), f'**{other}')
        out._exponent = other
        return out

    def __rpow__(self, other):  # number ** self
        return _apply('**', _as_value(other), self)

    def exp(self):
        return _apply('exp', self)

    def log(self):
        return _apply('log', self)

    def tanh(self):
        return _apply('tanh', self)

    def sigmoid(self):
        return _apply('sigmoid', self)

    def softplus(self):
        return _apply('softplus', self)

    def relu(self):
        return _apply('ReLU', self)

    # --- the backward pass ---------------------------------------------------------------

    def local_grads(self):
        """d self / d input for each input in `_prev` (empty for a leaf)."""
        prev = self._prev
        if len(prev) == 2:
            return RULES[self._op][1](prev[0].data, prev[1].data, self.data)
        if not prev:
            return ()
        if self._exponent is None:
            return RULES[self._op][1](prev[0].data, self.data)
        return RULES['**n'][1](prev[0].data, self._exponent, self.data)

    def _backward(self, record=None):
        """The chain rule at this node: input.grad += d self/d input * self.grad.

        `record`, if given, is a list that receives (input, local, contribution, grad after)
        for each input, in the order the grads are updated (used by backward_events)."""
        if not self._prev:
            return  # a leaf passes nothing on
        upstream = self.grad
        for child, local in zip(self._prev, self.local_grads()):
            contribution = local * upstream
            child.grad += contribution
            if record is not None:
                record.append((child, local, contribution, child.grad))

    def _recompute(self):
        """Redo this node's forward step from its inputs' current data."""
        if self._prev:
            self.data = self._rule()[0](*self._args())

    def backward(self, fresh=False):
        """Backpropagate from this node. Grads accumulate as in micrograd; with fresh=True
        every grad in the graph is zeroed first, so running it twice gives the same grads."""
        from .graph import backward  # graph.py imports this module
        backward(self, fresh=fresh)


def _apply(op, *inputs):
    """Make the node `op(*inputs)`: its data comes from RULES, like everything else."""
    forward = RULES[op][0]
    if len(inputs) == 2:
        return Value(forward(inputs[0].data, inputs[1].data), inputs, op)
    return Value(forward(inputs[0].data), inputs, op)
