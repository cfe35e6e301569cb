"""The playground page: the only place that wires views together.

Runs under `panel serve playground/app.py` and, converted by build.py, in the browser's Pyodide
worker. The live document (playground/live_document.py) owns the state a link keeps; the views
and the share tools bind to it. Two views in tabs: the graph view (playground/graph/) opens first;
the training view (playground/training/) is not in the first render (it would delay the page's start): it is built
in idle time after the first answer, piece by piece (playground/idle.py), or when first shown or restored
if that comes first. Share links and embedding:
playground/share.py; the address bar and the device: playground/address.py.
"""

import contextlib
import importlib

import panel as pn

from playground import a11y, idle, page
from playground.address import AddressKeeper
from playground import document as D
from playground.graph.view import GraphView
from playground.inline_styles import inline_panel_stylesheets
from playground.lesson.exercise_view import ExercisePanel
from playground.lesson.lessons import builtin_tour
from playground.lesson.step_code import StepCode
from playground.lesson.tour import link_fragment
from playground.lesson.tour_view import TourBar
from playground.lesson.view import LessonView
from playground.live_document import PlaygroundDocument
from playground.share import PAGE_CSS, ShareTools, watch_location
from playground.undo import SavedWorkBar

pn.extension(design="bootstrap")

VIEWS = ["graph", "training"]      # tab order; a document's "view" names one of them
ONE_VIEW_CSS = ".bk-header { display: none; }"   # an embedding that asks for one view shows no tabs

document = PlaygroundDocument()
graph_state = document.graph   # the build's warm-up finds the app's one GraphState here (snapshot_maker.js)
graph_view = GraphView(graph_state, replacing=document.replacing)
# What to press first, above the graph view (the training view has its own line).
GRAPH_START_HERE = (
    "<b>Start here:</b> press <b>Step</b>: each press runs one node's <code>_backward</code> and explains its "
    "chain rule above the plot (<b>Run all steps</b> runs them at once). Light-blue boxes are the leaves you can "
    "change, grey ones constants, the orange one the output; the legend under the plot gives the colours.")
graph_panel = pn.Column(page.start_here(GRAPH_START_HERE), graph_view, sizing_mode="stretch_width")
training_slot = pn.Column(pn.pane.HTML("Building the training view…"), sizing_mode="stretch_width")
lesson_view = LessonView(state=graph_state)  # the lesson's tools on the graph view's graph (playground/lesson/)
step_code = StepCode(state=graph_state)      # micrograd's code in step with the graph view's animation
TABS = VIEWS + ["lesson"]          # the lesson tab is not a document view: the document keeps the view before it
tabs = pn.Tabs(("Graph", pn.Column(graph_panel, step_code, sizing_mode="stretch_width")),
               ("Training", training_slot), ("Lesson", lesson_view), sizing_mode="stretch_width")


# The training view's modules, imported one per idle piece (each pulls in what it needs).
TRAINING_MODULES = ["playground.training." + name for name in (
    "colors", "state", "history", "engine_bridge", "controller", "heatmap", "curves", "network", "layers",
    "clicks", "csv_points", "model_file", "data_tools", "phase_step", "view")]
made_ahead = []   # a training view built in idle time and put into its tab, not yet known to the document


def make_training_view():
    from playground.training.view import TrainingView

    return TrainingView(settings=document.training, open_graph=open_graph, replacing=document.replacing)


def place(view):
    """The view into its tab (its models go to the page); in a hidden tab it draws nothing."""
    training_slot.objects = [pn.Column(view, sizing_mode="stretch_width")]
    view.hide(document.embed["hide"])     # the parts of it an embedding asked to hide
    view.set_on_screen(TABS[tabs.active] == "training")


def training_view():
    """The training view, given to the document when first shown or restored (built then, unless idle
    time built it)."""
    if document.training_view is None:
        view = made_ahead.pop() if made_ahead else None
        if view is None:
            view = make_training_view()
            place(view)
        view.run_changed = document.run_changed   # from now on the document keeps its run
        document.attach(view)
        embed(document.embed)
        view.set_on_screen(TABS[tabs.active] == "training")
        document.run_changed(view.run.step_count)
    return document.training_view


def prepare_training_view():
    """The training view, in idle pieces: its modules, the view, then into its hidden tab, so that the page
    has its models before the tab is clicked; each piece only if the view is not there yet."""
    for name in TRAINING_MODULES:
        if document.training_view is not None:
            return
        importlib.import_module(name)
        yield
    if document.training_view is None:
        view = make_training_view()
        yield
        if document.training_view is None:
            place(view)
            made_ahead.append(view)


document.open_training = training_view
idle.add(prepare_training_view)


def open_graph(root, title=""):
    """A data point's scalar graph, from the training view, opened in the graph view (the title becomes the
    program's first line, a comment)."""
    with document.replacing("A data point's graph replaced your program."):
        document.graph.load_value(root, title)
    document.view = "graph"


def tab_shown(event):
    if document.training_view is not None:   # hidden, it trains on without sending its drawings
        document.training_view.set_on_screen(TABS[event.new] == "training")
    if TABS[event.new] == "lesson":
        lesson_view.build()
        return
    lesson_view.set_on_screen(False)
    document.view = TABS[event.new]


def view_chosen(event):
    if event.new == "training":
        training_view()
    tabs.active = VIEWS.index(event.new)


lesson_shown = {"tour": None, "index": None}   # the tour's lesson on screen (its document is kept when left)


def open_lesson(lesson):
    """A tour's lesson: open its saved document, then the lesson tool it names (or the graph view). The
    student's work from before the tour, and each lesson as the student left it, stay kept (undo.py)."""
    if lesson["link"]:
        doc, _, _ = D.read_fragment(link_fragment(lesson["link"]))  # checked when the tour was read
        if doc is not None:
            same_tour = lesson_shown["tour"] is tour_bar.tour
            doc = document.open_lesson(doc, leaving=lesson_shown["index"] if same_tour else None,
                                       arriving=tour_bar.index)
            share_tools.open_document(doc, "lesson")
    lesson_shown.update(tour=tour_bar.tour, index=tour_bar.index)
    if lesson["show"] in VIEWS:
        tabs.active = TABS.index(lesson["show"])
    else:
        lesson_view.mode = lesson["show"]
        tabs.active = TABS.index("lesson")


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
tour_bar = TourBar(open_lesson=open_lesson, builtin=builtin_tour)
tour_bar.param.watch(lambda event: setattr(document, "place", event.new), "place")


def tour_changed(event):
    """Another tour, or none: the lessons kept as left were the old tour's; closed, the work comes back."""
    lesson_shown.update(tour=None, index=None)
    if event.new is None:
        work_back()


def work_back():
    try:
        document.tour_closed()
    except D.DocumentError as error:   # not expected: the kept work is a document this page made
        share_tools.say(f"Your work could not be brought back: {error}.")


def close_tour():
    """"Back to my work": close the tour, which brings the work back (tour_changed); with no tour open (a
    page that found the work from before a tour on the device), bring it back at once."""
    if tour_bar.tour is None:
        work_back()
    else:
        tour_bar.param.update(tour=None, single=False)


tour_bar.param.watch(tour_changed, "tour")
saved_work = SavedWorkBar(document, close_tour=close_tour)


def predict_score():
    """Predict mode's score for "My progress" ('' before any answer)."""
    predictions = graph_view.predict.predictions
    return predictions.score_text() if predictions.score()[1] else ""


# A lesson with a task is an exercise: its panel under the tour bar checks it as the student works.
exercise_panel = ExercisePanel(document, predict_score=predict_score)
tour_bar.param.watch(lambda *events: exercise_panel.show(tour_bar.tour, tour_bar.index), ["tour", "index"])
document.param.watch(lambda event: embed(event.new), "embed")
address = AddressKeeper(document, include_weights=lambda: share_tools.include_weights.value)
share_tools.include_weights.param.watch(address.changed, "value")


def open_address(fragment):
    """The one reader of the address (a link, or the document kept on the device): open its document,
    then the tour it names, then write the address back (a kept document that failed is replaced by the
    defaults there too), and let the page take input. A tour beside a document is resumed (the page's own
    address after a reload: the student's work wins); a tour alone opens its lesson's saved document, also when
    the page put the device's document beside it (`tour-from=link`, templates/early_worker.html)."""
    try:
        # The first address is the page's own (or its document on the device); a later one is a link opened
        # over the student's work, which stays one Undo away.
        message = "A link replaced your work." if address.opened.value else ""
        with document.replacing(message) if message else contextlib.nullcontext():
            share_tools.open_fragment(fragment)
        tour_bar.open_fragment(fragment, resume="d=" in fragment and "tour-from=link" not in fragment)
        if tour_bar.tour is not None and lesson_shown["tour"] is None:    # resumed: the lesson on screen
            lesson_shown.update(tour=tour_bar.tour, index=tour_bar.index)
        if "d=" in fragment:
            address.write()
    finally:   # whatever happened, the page must take input again
        address.mark_opened()


# The share, embed and file tools are for teachers: a drawer (the template's sidebar), closed when the page
# opens, that the header's button (or its menu icon) opens.
# No busy indicator: the page's own loader says when Python starts; counting busy events cost each answer a lot.
template = pn.template.BootstrapTemplate(title="micrograd playground", collapsed_sidebar=True, busy_indicator=None)
page.without_busy_tracking()
# The page's own CSS styles the template's elements (header, drawer) and goes once into the page's head:
# in pn.config.raw_css it went into the shadow root of each of the ~120 components as well, which was half
# of the first render's JSON and two style elements per component for the page to draw.
template.config.raw_css.extend([PAGE_CSS, page.LAYOUT_CSS])
template.header.append(page.drawer_button())
template.header.append(tour_bar.start_button)
template.main.append(share_tools.message)   # what a link or file could not do: on the page, not in the drawer
template.main.append(share_tools.title_display)
template.main.append(saved_work)     # Undo / Back to my work, while something replaced the student's work
template.main.append(tour_bar)
template.main.append(exercise_panel)
template.main.append(tabs)
template.sidebar.append(share_tools)
template.sidebar.append(address)
watch_location(open_address)
a11y.install()   # keyboard, screen reader and focus fixes in the page (playground/a11y/)
template.servable()
if pn.state.curdoc is not None:   # served: the first render's stylesheets as text (playground/inline_styles.py)
    inline_panel_stylesheets(pn.state.curdoc)
