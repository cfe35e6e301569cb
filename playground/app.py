"""The playground page: the only place that wires views together.

Runs under `panel serve playground/app.py` and, converted by build.py, in the browser's Pyodide
worker. Two views in tabs: the graph view (playground/graph/) opens first; the training view
(playground/training/) is built the first time it is shown, because building it would delay the
page's start by seconds in the browser. Share links and embedding: playground/share.py; the
shareable document itself: playground/document.py.
"""
import functools

import panel as pn

from playground import a11y, document
from playground.graph import GraphState
from playground.graph.view import GraphView
from playground.share import PAGE_CSS, ShareTools, watch_location
from playground.training.state import TrainingSettings

pn.extension(design="bootstrap")
pn.config.raw_css.append(PAGE_CSS)

VIEWS = ["graph", "training"]      # tab order; a document's "view" names one of them
ONE_VIEW_CSS = ".bk-header { display: none; }"   # an embedding that asks for one view shows no tabs

graph_state = GraphState()
graph_view = GraphView(graph_state)
training_slot = pn.Column(pn.pane.HTML("Building the training view…"), sizing_mode="stretch_width")
tabs = pn.Tabs(("Graph", graph_view), ("Training", training_slot), sizing_mode="stretch_width")
built = {"training": None}         # the training view, once it has been shown


def training_view():
    """The training view, built on first use."""
    if built["training"] is None:
        from playground.training.view import TrainingView

        built["training"] = TrainingView(open_graph=open_graph)
        training_slot.objects = [pn.Column(built["training"], sizing_mode="stretch_width")]
        embed(share_tools.embed_options)     # hide the parts of it an embedding asked to hide
    return built["training"]


def show_view(name):
    tabs.active = VIEWS.index(name)


def open_graph(root):
    """A data point's scalar graph, from the training view, opened in the graph view."""
    graph_state.load_value(root)
    show_view("graph")


def tab_shown(event):
    if VIEWS[event.new] == "training":
        training_view()


tabs.param.watch(tab_shown, "active")


@functools.cache
def default_document():
    return document.default_document(GraphState(), TrainingSettings())


def restore_document(doc):
    needs_training = built["training"] is not None or doc["training"] != default_document()["training"]
    document.restore_views(doc, graph_state, training_view() if needs_training else None)
    show_view(share_tools.embed_options["view"] or doc["view"])


def embed(options):
    """Show what an embedding asked for: each view hides the parts it has (hide=editor, controls, curves)."""
    for view in (graph_view, built["training"]):
        if view is not None:
            view.hide(options["hide"])
    tabs.stylesheets = [ONE_VIEW_CSS] if options["view"] else []
    if options["view"]:
        show_view(options["view"])


share_tools = ShareTools(
    snapshot=lambda weights: document.document_from_views(graph_state, built["training"], VIEWS[tabs.active],
                                                          weights),
    restore=restore_document, defaults=default_document)
share_tools.param.watch(lambda event: embed(event.new), "embed_options")

template = pn.template.BootstrapTemplate(title="micrograd playground")
template.main.append(share_tools.title_display)
template.main.append(tabs)
template.sidebar.append(share_tools)
watch_location(share_tools)
a11y.install()   # keyboard, screen reader and focus fixes in the page (playground/a11y.js)
template.servable()
