"""A second, independent micrograd for the lesson's tests: the article's Value (closures and all), written
again here, with one switch for the classic bug "overwrite (=) instead of accumulate (+=)".

It shares nothing with engine/: the lesson's buggy numbers are checked against what this one computes."""
import math

OVERWRITE = False  # True: every _backward writes `=` where micrograd writes `+=`


def _add_to(node, amount):
    node.grad = amount if OVERWRITE else node.grad + amount


class V:
    def __init__(self, data, _children=(), _op=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)  # operand order, like the engine (a + a lists a twice)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, V) else V(other)
        out = V(self.data + other.data, (self, other), '+')

        def _backward():
            _add_to(self, out.grad)
            _add_to(other, out.grad)
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, V) else V(other)
        out = V(self.data * other.data, (self, other), '*')

        def _backward():
            _add_to(self, other.data * out.grad)
            _add_to(other, self.data * out.grad)
        out._backward = _backward
        return out

    def __pow__(self, n):
        out = V(self.data ** n, (self,), f'**{n}')

        def _backward():
            _add_to(self, n * self.data ** (n - 1) * out.grad)
        out._backward = _backward
        return out

    def relu(self):
        out = V(0.0 if self.data < 0 else self.data, (self,), 'ReLU')

        def _backward():
            _add_to(self, (out.data > 0) * out.grad)
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = V(t, (self,), 'tanh')

        def _backward():
            _add_to(self, (1 - t * t) * out.grad)
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
