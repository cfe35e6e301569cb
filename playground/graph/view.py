"""GraphView: the graph view, composed of small components that each do one job over one GraphState.

    editor.py     ProgramEditor   presets, the program text, Draw, the error line, the leaf inputs
    drawing.py    GraphDrawing    the summary line and the Bokeh plot;  NodeTable  the nodes' data and grads
    steps.py      StepControls    Backward / Play / Step / Step back / Reset, speed, Fit, the step slider and
                                  the explanation; plays the backward pass in the page (animation.js)
    predict_view.py PredictPanel  predict mode: the toggle beside Step, the question of each step, the score
    gradcheck.py  GradientCheck   backward against finite differences
    edit_card.py  EditCard        edit by clicking; a node tapped in the plot is picked in it

On a wide page editor | drawing | node table sit in one row, on narrower ones the table, then the drawing,
move below (a wrapping flex box); the edit card is under it all.
"""

import panel as pn
import param

from .drawing import GraphDrawing, NodeTable
from .edit_card import EditCard
from .editor import ProgramEditor
from .gradcheck import GradientCheck
from .predict_view import PredictPanel
from .state import GraphState
from .steps import StepControls
from ..undo import nothing_kept


# In a narrow frame (a phone, a course page's iframe) the drawing and its controls come first, the program after.
NARROW_CSS = "@media (max-width: 900px) { .graph-editor { order: 2; } .graph-table-box { order: 3; } }"


class GraphView(pn.viewable.Viewer):
    """The graph view of a GraphState (a new one by default): what app.py places on the page."""

    state = param.ClassSelector(class_=GraphState)

    # what an embedding's hide=... hides here: part -> the components it names
    HIDEABLE = {"editor": ("editor",), "controls": ("edit_card", "gradient_check")}

    def __init__(self, state=None, replacing=nothing_kept, **params):
        super().__init__(state=state or GraphState(), **params)
        self.editor = ProgramEditor(self.state, replacing)   # (replacing: playground/undo.py)
        self.drawing = GraphDrawing(self.state)
        self.node_table = NodeTable(self.state)
        self.predict = PredictPanel(self.state)
        self.steps = StepControls(self.state, self.drawing, self.node_table, self.predict)
        self.gradient_check = GradientCheck(self.state)
        self.edit_card = EditCard(self.state)
        self.drawing.on_tap(self.edit_card.pick)
        self._panels = {name: pn.panel(getattr(self, name))
                        for name in ("editor", "drawing", "node_table", "steps", "predict", "gradient_check",
                                     "edit_card")}
        # The step controls above the plot: pressing Step and seeing the step need no scrolling.
        middle = pn.Column(self._panels["steps"], self._panels["predict"], self._panels["drawing"], self.steps.timeline,
                           self._panels["gradient_check"],
                           sizing_mode="stretch_width", styles={"flex": "4 1 440px", "min-width": "0"})
        row = pn.FlexBox(self._panels["editor"], middle, self._panels["node_table"], gap="12px", flex_wrap="wrap",
                         stylesheets=[NARROW_CSS])
        self._layout = pn.Column(row, self._panels["edit_card"], sizing_mode="stretch_width", css_classes=["graph-view"])

    def __panel__(self):
        return self._layout

    def hide(self, parts):
        """Hide the named parts (see HIDEABLE; other names are not this view's), show the others."""
        hidden = {component for part in parts for component in self.HIDEABLE.get(part, ())}
        for part in self.HIDEABLE.values():
            for component in part:
                self._panels[component].visible = component not in hidden
