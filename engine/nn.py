"""Module, Neuron, Layer, MLP: micrograd's nn with a choice of activation.

Weights are drawn with random.uniform(-1, 1) in micrograd's order (layer by layer, neuron by
neuron, weight by weight) and biases start at 0, so the same seed gives micrograd's network."""
import random

from .ops import OPS
from .value import Value, apply

# activation name -> the op it applies (the table's rows that say they are an activation); linear: none
ACTIVATION_OPS = {**{op.activation: op.name for op in OPS.values() if op.activation}, "linear": None}
ACTIVATIONS = tuple(ACTIVATION_OPS)


def activate(v, activation):
    """Apply a named activation to a Value."""
    if activation not in ACTIVATION_OPS:
        raise ValueError(f"unknown activation {activation!r}, expected one of {ACTIVATIONS}")
    op = ACTIVATION_OPS[activation]
    return v if op is None else apply(op, v)


class Module:

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        return []


class Neuron(Module):

    def __init__(self, nin, activation="relu", rng=None, nonlin=None):
        if nonlin is not None:  # micrograd's spelling: Neuron(nin, nonlin=False)
            activation = "relu" if nonlin else "linear"
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}, expected one of {ACTIVATIONS}")
        rng = rng or random
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.activation = activation

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return activate(act, self.activation)

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{self.activation.capitalize()}Neuron({len(self.w)})"


class Layer(Module):

    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: `activation` in the hidden layers, a linear output layer.

    rng: a random.Random for the initial weights; by default the global `random` module,
    as in micrograd (so random.seed(1337) reproduces micrograd's network)."""

    def __init__(self, nin, nouts, activation="relu", rng=None):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}, expected one of {ACTIVATIONS}")
        sizes = [nin] + list(nouts)
        self.activation = activation
        self.layers = [Layer(sizes[i], sizes[i + 1], rng=rng,
                             activation=activation if i != len(nouts) - 1 else "linear")
                       for i in range(len(nouts))]
        for i, layer in enumerate(self.layers):  # names for drawings: L1N3w2 = layer 1, neuron 3, weight 2
            for j, neuron in enumerate(layer.neurons):
                for k, w in enumerate(neuron.w):
                    w.label = f"L{i + 1}N{j + 1}w{k + 1}"
                neuron.b.label = f"L{i + 1}N{j + 1}b"

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
