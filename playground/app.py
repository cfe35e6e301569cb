"""The playground page: the only place that wires views together.

Runs under `panel serve playground/app.py` and, converted by build.py, in the
browser's Pyodide worker. For now it holds one small view: a number goes
through the autograd engine and the page shows tanh(x) and its gradient.
"""
import math

import panel as pn

pn.extension(design="bootstrap")


def tanh_and_grad(x: float) -> tuple[float, float]:
    """tanh(x) and d tanh/dx = 1 - tanh(x)**2."""
    y = math.tanh(x)
    return y, 1 - y**2


def describe(x: float) -> str:
    y, grad = tanh_and_grad(x)
    return f"tanh({x!r}) = {y!r}; d/dx = {grad!r}"


x_input = pn.widgets.FloatInput(name="x", value=0.5, step=0.1, css_classes=["x-input"])
result = pn.pane.Str(pn.bind(describe, x_input), css_classes=["tanh-result"])

template = pn.template.BootstrapTemplate(title="micrograd playground")
template.main.append(pn.Column("Move x and watch the engine compute tanh and its gradient.", x_input, result))
template.servable()
