"""The playground page: the only place that wires views together.

Runs under `panel serve playground/app.py` and, converted by build.py, in the browser's Pyodide
worker. The live document (playground/live_document.py) owns the state a link keeps; the views
and the share tools bind to it. Two views in tabs: the graph view (playground/graph/) opens first;
the training view (playground/training/) is built the first time it is shown or restored, because
building it would delay the page's start by seconds in the browser. Share links and embedding:
playground/share.py; the address bar and the device: playground/address.py.
"""

import panel as pn

from playground.address import AddressKeeper
from playground.graph.view import GraphView
from playground.live_document import PlaygroundDocument
from playground.share import PAGE_CSS, ShareTools, watch_location

pn.extension(design="bootstrap")
pn.config.raw_css.append(PAGE_CSS)

VIEWS = ["graph", "training"]      # tab order; a document's "view" names one of them
ONE_VIEW_CSS = ".bk-header { display: none; }"   # an embedding that asks for one view shows no tabs

document = PlaygroundDocument()
graph_state = document.graph   # the build's warm-up finds the app's one GraphState here (snapshot_maker.js)
graph_view = GraphView(graph_state)
training_slot = pn.Column(pn.pane.HTML("Building the training view…"), sizing_mode="stretch_width")
tabs = pn.Tabs(("Graph", graph_view), ("Training", training_slot), sizing_mode="stretch_width")


def training_view():
    """The training view, built on first use."""
    if document.training_view is None:
        from playground.training.view import TrainingView

        view = TrainingView(settings=document.training, open_graph=open_graph, run_changed=document.run_changed)
        document.attach(view)
        training_slot.objects = [pn.Column(view, sizing_mode="stretch_width")]
        embed(document.embed)     # hide the parts of it an embedding asked to hide
    return document.training_view


document.open_training = training_view


def open_graph(root):
    """A data point's scalar graph, from the training view, opened in the graph view."""
    document.graph.load_value(root)
    document.view = "graph"


def tab_shown(event):
    document.view = VIEWS[event.new]


def view_chosen(event):
    if event.new == "training":
        training_view()
    tabs.active = VIEWS.index(event.new)


tabs.param.watch(tab_shown, "active")
document.param.watch(view_chosen, "view")


def embed(options):
    """Show what an embedding asked for: each view hides the parts it has (hide=editor, controls, curves)."""
    for view in (graph_view, document.training_view):
        if view is not None:
            view.hide(options["hide"])
    tabs.stylesheets = [ONE_VIEW_CSS] if options["view"] else []
    if options["view"]:
        document.view = options["view"]


share_tools = ShareTools(document)
document.param.watch(lambda event: embed(event.new), "embed")
address = AddressKeeper(document, include_weights=lambda: share_tools.include_weights.value)
share_tools.include_weights.param.watch(address.changed, "value")


def open_address(fragment):
    """A link (or the document kept on the device) in the address: open it, then write the address back
    (a kept document that failed is replaced by the defaults there too), and let the page take input."""
    try:
        share_tools.open_fragment(fragment)
        if "d=" in fragment:
            address.write()
    finally:   # whatever happened, the page must take input again
        address.mark_opened()


template = pn.template.BootstrapTemplate(title="micrograd playground")
template.main.append(share_tools.title_display)
template.main.append(tabs)
template.sidebar.append(share_tools)
template.sidebar.append(address)
watch_location(open_address)
template.servable()
