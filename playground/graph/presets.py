"""Ready-made programs for the graph view's preset menu."""

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

PRESETS = {
    "micrograd README example": README_EXAMPLE,
    "tanh neuron": TANH_NEURON,
    "a value used twice": USED_TWICE,
    "division and powers": DIVISION_AND_POWERS,
}
