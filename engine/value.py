"""Value: one scalar of a computation graph, and its gradient.

This is micrograd's Value with four changes a student can see:
  - `_prev` is a tuple in operand order, so `a + a` lists `a` twice (and gives it grad 2)
    and drawings never reorder inputs;
  - `_backward` is a method, not a closure stored on the node: no reference cycles, so the
    garbage collector has nothing to chase and the graph is freed as soon as it is dropped;
  - every op's forward formula and local derivatives sit together in one table row (ops.py);
    `x ** 2` is the op '**n' with the exponent kept as data (`_exponent`), not in the op's name;
  - inputs outside an op's domain raise DomainError instead of giving NaN or a complex number.
"""
from .drawing import MAX_INLINE_NODES, draw_svg
from .graph import backward, build_topo
from .ops import OPS


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)


class Value:
    """Stores a single scalar, its gradient, and how it was made."""

    __slots__ = ('data', 'grad', '_prev', '_op', '_exponent', 'label')

    def __init__(self, data, _children=(), _op='', label='', _exponent=None):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)  # inputs, in operand order
        self._op = _op                 # the op that made this node: its name in OPS ('' for a leaf)
        self._exponent = _exponent     # n of `x ** n` when n is a plain number (op '**n')
        self.label = label

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def _repr_svg_(self):
        """In Jupyter a Value shows its graph, like micrograd's draw_dot (engine/drawing.py, no Graphviz). A graph
        bigger than drawing.MAX_INLINE_NODES shows as text (None: Jupyter uses __repr__); draw_svg still draws it."""
        return draw_svg(self) if len(build_topo(self)) <= MAX_INLINE_NODES else None

    # --- building the graph: every op goes through apply(), which uses the op's row in OPS ---------

    def __add__(self, other):
        return apply('+', self, _as_value(other))

    def __radd__(self, other):  # other + self
        return apply('+', _as_value(other), self)

    def __sub__(self, other):
        return apply('-', self, _as_value(other))

    def __rsub__(self, other):  # other - self
        return apply('-', _as_value(other), self)

    def __mul__(self, other):
        return apply('*', self, _as_value(other))

    def __rmul__(self, other):  # other * self
        return apply('*', _as_value(other), self)

    def __truediv__(self, other):
        return apply('/', self, _as_value(other))

    def __rtruediv__(self, other):  # other / self
        return apply('/', _as_value(other), self)

    def __neg__(self):
        return apply('neg', self)

    def __pow__(self, other):
        if isinstance(other, Value):
            return apply('**', self, other)
        if not isinstance(other, (int, float)):
            return NotImplemented
        return apply('**n', self, exponent=other)

    def __rpow__(self, other):  # number ** self
        return apply('**', _as_value(other), self)

    # x.relu(), x.tanh(), x.exp(), ...: one method per function of the table, made below the class

    # --- the backward pass ---------------------------------------------------------------

    def _args(self):
        """The inputs' data as the op's functions take them (x ** n: x and n)."""
        prev = self._prev
        if self._exponent is not None:
            return (prev[0].data, self._exponent)
        if len(prev) == 2:
            return (prev[0].data, prev[1].data)
        return (prev[0].data,)

    def local_grads(self):
        """d self / d input for each input in `_prev` (empty for a leaf): the op's `local` in OPS."""
        prev = self._prev
        if not prev:
            return ()
        local = OPS[self._op].local  # spelled out, not local(*self._args(), ...): backward runs this a lot
        if len(prev) == 2:
            return local(prev[0].data, prev[1].data, self.data)
        if self._exponent is None:
            return local(prev[0].data, self.data)
        return local(prev[0].data, self._exponent, self.data)

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
            self.data = OPS[self._op].forward(*self._args())

    def backward(self, fresh=False):
        """Backpropagate from this node. Grads accumulate as in micrograd; with fresh=True
        every grad in the graph is zeroed first, so running it twice gives the same grads."""
        backward(self, fresh=fresh)


def apply(op, *inputs, exponent=None):
    """The node `op(*inputs)`, its data from the op's forward in OPS; `x ** n` is
    apply('**n', x, exponent=n). Inputs are Values."""
    forward = OPS[op].forward
    if exponent is not None:
        return Value(forward(inputs[0].data, exponent), inputs, op, _exponent=exponent)
    if len(inputs) == 2:
        return Value(forward(inputs[0].data, inputs[1].data), inputs, op)
    return Value(forward(inputs[0].data), inputs, op)


def _method(op):
    def method(self):
        return apply(op.name, self)
    method.__name__ = op.function
    method.__doc__ = f"{op.write(['self'])}: the op {op.name!r} (engine/ops.py)."
    return method


for _op in OPS.values():
    if _op.function:
        setattr(Value, _op.function, _method(_op))
