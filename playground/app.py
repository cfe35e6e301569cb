"""The playground page: the only place that wires views together.

Runs under `panel serve playground/app.py` and, converted by build.py, in the browser's Pyodide
worker. Two views in tabs: the graph view (playground/graph/) opens first; the training view
(playground/training/) is built the first time it is shown, because building it would delay the
page's start by seconds in the browser. Share links and embedding: playground/share.py; the
shareable document itself: playground/document.py.
"""
import functools
import os

import panel as pn

from playground import document
from playground.graph import GraphState
from playground.graph.view import GraphView
from playground.lesson.lessons import builtin_tour
from playground.lesson.step_code import StepCode
from playground.lesson.tour import link_fragment
from playground.lesson.tour_view import TourBar
from playground.lesson.view import LessonView
from playground.share import PAGE_CSS, ShareTools, watch_location
from playground.training.state import TrainingSettings

pn.extension(design="bootstrap")
pn.config.raw_css.append(PAGE_CSS)

VIEWS = ["graph", "training"]      # tab order; a document's "view" names one of them
ONE_VIEW_CSS = ".bk-header { display: none; }"   # an embedding that asks for one view shows no tabs

graph_state = GraphState()
graph_view = GraphView(graph_state)
training_slot = pn.Column(pn.pane.HTML("Building the training view…"), sizing_mode="stretch_width")
lesson_view = LessonView(state=graph_state)  # the lesson's tools on the graph view's graph (playground/lesson/)
TABS = VIEWS + ["lesson"]          # the lesson tab is not a document view: a share link made there opens the graph
step_code = StepCode(state=graph_state)      # micrograd's code in step with the graph view's animation
tabs = pn.Tabs(("Graph", pn.Column(graph_view, step_code, sizing_mode="stretch_width")),
               ("Training", training_slot), ("Lesson", lesson_view),
               sizing_mode="stretch_width")
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
    tabs.active = TABS.index(name)


def current_view():
    return TABS[tabs.active] if TABS[tabs.active] in VIEWS else "graph"


def open_graph(root):
    """A data point's scalar graph, from the training view, opened in the graph view."""
    graph_state.load_value(root)
    show_view("graph")


def tab_shown(event):
    if TABS[event.new] == "training":
        training_view()
    if TABS[event.new] == "lesson":
        lesson_view.build()
    else:
        lesson_view.set_on_screen(False)


def open_lesson(lesson):
    """A tour's lesson: open its saved document, then the lesson tool it names (or the graph view)."""
    if lesson["link"]:
        doc, _, _ = document.read_fragment(link_fragment(lesson["link"]))  # checked when the tour was read
        if doc is not None:
            share_tools.open_document(doc, "lesson")
    if lesson["show"] == "graph":
        show_view("graph")
    else:
        lesson_view.mode = lesson["show"]
        show_view("lesson")


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
    snapshot=lambda weights: document.document_from_views(graph_state, built["training"], current_view(),
                                                          weights),
    restore=restore_document, defaults=default_document)
share_tools.param.watch(lambda event: embed(event.new), "embed_options")

template = pn.template.BootstrapTemplate(title="micrograd playground")
tour_bar = TourBar(open_lesson=open_lesson, builtin=builtin_tour)
template.main.append(share_tools.title_display)
template.main.append(tour_bar)
template.main.append(tabs)
template.sidebar.append(share_tools)
watch_location(share_tools)
if pn.state.location is not None:  # a tour link (#tour=...&lesson=N): after the share link's own reading
    pn.state.location.param.watch(lambda event: tour_bar.open_fragment(event.new), "hash")
    if pn.state.location.hash:
        tour_bar.open_fragment(pn.state.location.hash)
template.servable()

# The build runs this file once in the browser and keeps the result as every visitor's start
# (sitebuild/snapshot.py). One change answered there halves the first real answer (0.5 s, not 0.7-1.1 s).
if os.environ.pop("PLAYGROUND_SNAPSHOT", None):
    graph_view.rehearse()
