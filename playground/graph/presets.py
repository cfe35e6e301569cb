"""Ready-made programs for the graph view's preset menu.

The first four are written by hand. The bigger ones are built with the engine's own nn and losses (fixed
seeds, so always the same numbers) and written out as programs: a 10-input neuron (42 nodes), one sample
through a 2-4-4-1 MLP with its loss (~110 nodes), and the same through a 2-8-8-1 MLP (~300 nodes), the size
the drawing must stay legible at.
"""

import random

import engine
from engine import losses, nn

from .language import program_from_value

# micrograd's README example; names cannot be reassigned here, so `c += ...` becomes c2, c3, ...
README_EXAMPLE = """\
a = -4.0
b = 2.0
c = a + b
d = a * b + b**3
c2 = c + (c + 1)
c3 = c2 + (1 + c2 + (-a))
d2 = d + (d * 2 + relu(b + a))
d3 = d2 + (3 * d2 + relu(b - a))
e = c3 - d3
f = e**2
h = f / 2.0
g = h + 10.0 / f
"""

# The neuron of the micrograd lecture: o = tanh(x1*w1 + x2*w2 + b), chosen so that n = 0.8814 and o = 0.7071.
TANH_NEURON = """\
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
x1w1 = x1 * w1
x2w2 = x2 * w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = tanh(n)
"""

# The bug micrograd's lecture fixes: a node used twice must receive two gradient contributions (db/da = 2).
USED_TWICE = """\
a = 3.0
b = a + a
"""

DIVISION_AND_POWERS = """\
x = 3.0
y = 2.0
p = x**2 + y**3
q = x * y
z = p / q
w = y**-0.5
out = log(z) + exp(-w) - z**0.5 / x
"""



def ten_input_neuron():
    """out = tanh(w1*x1 + ... + w10*x10 + b): a Neuron of engine.nn with 10 inputs."""
    rng = random.Random(10)
    xs = [engine.Value(round(rng.uniform(-1, 1), 2), label=f"x{i}") for i in range(1, 11)]
    neuron = nn.Neuron(10, activation="tanh", rng=rng)
    for i, w in enumerate(neuron.w, 1):
        w.label = f"w{i}"
    neuron.b.label = "b"
    out = neuron(xs)
    out.label = "out"
    return out


def mlp_sample_loss(hidden=(4, 4), seed=2441):
    """One sample (x1, x2) with label y = +1 through an engine.nn MLP 2-hidden-1, and its max-margin loss."""
    model = nn.MLP(2, list(hidden) + [1], activation="tanh", rng=random.Random(seed))
    x = [engine.Value(0.5, label="x1"), engine.Value(-1.25, label="x2")]
    for i, layer in enumerate(model.layers, 1):  # layer by layer, to name each neuron's output
        x = layer(x)
        x = x if isinstance(x, list) else [x]
        for j, v in enumerate(x, 1):
            v.label = f"L{i}N{j}"
    score = x[0]
    score.label = "score"
    loss = losses.svm(score, engine.Value(1.0, label="y"))
    loss.label = "loss"
    return loss


PRESETS = {
    "micrograd README example": README_EXAMPLE,
    "tanh neuron": TANH_NEURON,
    "a value used twice": USED_TWICE,
    "division and powers": DIVISION_AND_POWERS,
    "a 10-input neuron": program_from_value(ten_input_neuron()),
    "2-4-4-1 MLP: one sample and its loss": program_from_value(mlp_sample_loss((4, 4))),
    "2-8-8-1 MLP: one sample and its loss (~300 nodes)": program_from_value(mlp_sample_loss((8, 8), seed=2882)),
}
