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
    x = float(x)  # the browser sends 2.0 as the integer 2
    y, grad = tanh_and_grad(x)
    return f"tanh({x!r}) = {y!r}; d/dx = {grad!r}"


x_input = pn.widgets.FloatInput(label="x", value=0.5, step=0.1, css_classes=["x-input"])
result = pn.pane.Str(pn.bind(describe, x_input), css_classes=["tanh-result"])

template = pn.template.BootstrapTemplate(title="micrograd playground")
demo_panel = pn.Column("Move x and watch the engine compute tanh and its gradient.", x_input, result)
template.main.append(demo_panel)

# The graph view (playground/graph/): build an expression graph, replay backward edge by edge.
from playground.graph import GraphState  # noqa: E402
from playground.graph.view import GraphView  # noqa: E402

graph_state = GraphState()
graph_view = GraphView(graph_state)
graph_panel = graph_view.panel()
template.main.append(graph_panel)

# The training view (playground/training/): train a small MLP on 2-D points, live.
from playground.training.view import TrainingView  # noqa: E402

training_view = TrainingView(open_graph=graph_state.load_value)
training_panel = pn.Column(training_view, sizing_mode="stretch_width")
template.main.append(training_panel)

# Share links, embedding and JSON files (playground/share.py; the document itself: playground/document.py).
from playground import document  # noqa: E402
from playground.share import PAGE_CSS, ShareTools, show_parts, watch_location  # noqa: E402
from playground.training.state import TrainingSettings  # noqa: E402

pn.config.raw_css.append(PAGE_CSS)
DEFAULT_DOCUMENT = document.default_document(GraphState(), TrainingSettings())
VIEW_PANELS = {"graph": graph_panel, "training": training_panel, "demo": demo_panel}
HIDEABLE_PARTS = {  # what each embedding option `hide=...` hides (the header is hidden by CSS)
    "controls": [graph_view.edit_card, graph_view.gradcheck_button,
                 training_view.data_controls, training_view.model_controls],
    "editor": [graph_panel[0][0]],  # GraphView.panel() is Column(Row(editor column, drawing), ...)
    "curves": [training_view.curves.loss_figure, training_view.curves.accuracy_figure],
}
shown_view = {"name": "graph"}


def restore_document(doc):
    document.restore_views(doc, graph_state, training_view)
    shown_view["name"] = share_tools.embed_options["view"] or doc["view"]


def embed(options):
    show_parts(HIDEABLE_PARTS, options["hide"])
    for name, panel in VIEW_PANELS.items():  # an embedded page shows the one view it asks for
        panel.visible = options["view"] in (None, name)


share_tools = ShareTools(
    snapshot=lambda weights: document.document_from_views(graph_state, training_view, shown_view["name"], weights),
    restore=restore_document, defaults=lambda: DEFAULT_DOCUMENT)
share_tools.param.watch(lambda event: embed(event.new), "embed_options")
template.sidebar.append(share_tools)
template.main.insert(0, share_tools.title_display)
watch_location(share_tools)
template.servable()
