"""The playground page: the only place that wires views together.

Runs under `panel serve playground/app.py` and, converted by build.py, in the
browser's Pyodide worker. For now it holds one small view: a number goes
through the autograd engine and the page shows tanh(x) and its gradient.
"""
import panel as pn

from engine import Value, fresh_backward

pn.extension(design="bootstrap")


def tanh_and_grad(x: float) -> tuple[float, float]:
    """tanh(x) and its gradient d tanh/dx, both computed by the engine."""
    leaf = Value(x, label="x")
    out = leaf.tanh()
    fresh_backward(out)
    return out.data, leaf.grad


def describe(x: float) -> str:
    y, grad = tanh_and_grad(x)
    return f"tanh({x!r}) = {y!r}; d/dx = {grad!r}"


x_input = pn.widgets.FloatInput(name="x", value=0.5, step=0.1, css_classes=["x-input"])
result = pn.pane.Str(pn.bind(describe, x_input), css_classes=["tanh-result"])

template = pn.template.BootstrapTemplate(title="micrograd playground")
template.main.append(pn.Column("Move x and watch the engine compute tanh and its gradient.", x_input, result))

# The graph view (playground/graph/): build an expression graph, replay backward edge by edge.
from playground.graph import GraphState  # noqa: E402
from playground.graph.view import GraphView  # noqa: E402

graph_state = GraphState()
template.main.append(GraphView(graph_state).panel())

# The training view (playground/training/): train a small MLP on 2-D points, live.
from playground.training.view import TrainingView  # noqa: E402

training_view = TrainingView(open_graph=graph_state.load_value)
template.main.append(training_view)
template.servable()
