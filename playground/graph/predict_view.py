"""PredictPanel: predict mode in the graph view, the page's half of predict.py.

The toggle sits beside Step (steps.py places it) and is GraphState.predict, so the document and a link keep it.
While it is on, the page hides every grad not yet answered (`?` in the plot and the node table: animation.js
reads `source`), and the panel under the explanation asks for the grad of the node receiving at the current
step: an answer box (Enter answers) and Check. A wrong answer shows the hint (the step's chain rule) and a
"Show the answer" button; a right one, or the answer shown, reveals that grad in the drawing. The score line
counts first tries. The feedback is announced by the page's live region (its class `a11y-announce`).
"""
import html

import panel as pn
import param
from bokeh.models import ColumnDataSource

from ..shown_later import fill_when_shown
from .predict import Predictions, questions
from .state import GraphState

# The steps whose grad the page shows, or NOT_PREDICTING: all of them (predict mode off).
NOT_PREDICTING = {"step": [-1]}
CSS = """
/* each pane draws in its own shadow root, its class on the host: :host(.x) y reaches y, `.x y` would not */
:host(.predict-prompt) p { font: 15px/1.5 system-ui, sans-serif; margin: 4px 0; }
:host(.predict-feedback) p { font: 14px/1.5 system-ui, sans-serif; margin: 4px 0; }
:host(.predict-feedback) .right { color: #1b5e20; font-weight: 600; }
:host(.predict-feedback) .wrong { color: #b71c1c; font-weight: 600; }
:host(.predict-feedback) .hint { background: #f7f7f9; border-left: 4px solid #7b3294; padding: 4px 8px; }
:host(.predict-score) { font: 600 13px/1.5 system-ui, sans-serif; color: #4a505c; }
"""


def verdict_html(verdict, message, hint):
    """An answer's verdict ("right"/"wrong" + what was said), and on a wrong one the step's hint, as the feedback
    pane shows them (weight_predict_view.py shows them alike)."""
    text = f"<p class='{verdict}'>{html.escape(message)}</p>"
    if verdict == "wrong":
        text += f" <p class='hint'><b>Hint:</b> {html.escape(hint)}</p>"
    return text


def _pane(*css_classes):
    return pn.pane.HTML("", css_classes=list(css_classes), sizing_mode="stretch_width", stylesheets=[CSS],
                        margin=(0, 5))


class PredictPanel(pn.viewable.Viewer):
    """Asks, at each backward step of state.graph, for the grad the receiving node gets."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state, **params):
        super().__init__(state=state, **params)
        self.toggle = pn.widgets.Checkbox(label="Predict the gradients", value=state.predict,
                                          css_classes=["graph-predict-toggle"], align="center", margin=(4, 10))
        self.source = ColumnDataSource(dict(NOT_PREDICTING), name="graph_predict")
        self.prompt = _pane("predict-prompt")
        self.answer = pn.widgets.TextInput(label="Your answer", placeholder="a number, e.g. -3 or 2/3",
                                           css_classes=["predict-answer"], width=220)
        self.check_button = pn.widgets.Button(label="Check", color="primary", css_classes=["predict-check"],
                                              align="end")
        self.show_button = pn.widgets.Button(label="Show the answer", css_classes=["predict-show"], align="end",
                                             visible=False)
        self.feedback = _pane("predict-feedback", "a11y-announce")
        self.score = _pane("predict-score")
        self.predictions = None
        self.toggle.link(state, value="predict")
        state.param.watch(lambda event: setattr(self.toggle, "value", event.new), "predict")
        state.param.watch(self._new_graph, "graph")
        state.param.watch(self._draw, ["step", "predict"])
        self.answer.param.watch(lambda _: self.check(), "enter_pressed")
        self.check_button.on_click(lambda _: self.check())
        self.show_button.on_click(lambda _: self.show())
        self._new_graph()
        self._layout = fill_when_shown(
            pn.Column(css_classes=["graph-predict"], sizing_mode="stretch_width", visible=state.predict,
                      styles={"border": "2px solid #7b3294", "border-radius": "6px"}),
            lambda: [self.prompt, pn.Row(self.answer, self.check_button, self.show_button), self.feedback,
                     self.score])

    def __panel__(self):
        return self._layout

    # -- the student's actions -------------------------------------------------------------------------

    def question(self):
        """The question of the step on screen (None at step 0, at a constant's step, or when not predicting)."""
        if not self.state.predict:
            return None
        return self.predictions.questions.get(self.state.step)

    def check(self):
        question = self.question()
        if question is None or not self.answer.value_input.strip():
            return
        verdict, message = self.predictions.answer(question.step, self.answer.value_input)
        self._draw(feedback=verdict_html(verdict, message, question.hint))

    def show(self):
        question = self.question()
        if question is not None:
            self.predictions.show(question.step)
            self._draw(feedback=f"<p>The answer: {html.escape(question.answer_text())}.</p>")

    # -- drawing ----------------------------------------------------------------------------------------

    def _new_graph(self, *_):
        graph = self.state.graph
        self.predictions = Predictions(questions(graph), len(graph.steps))
        self._draw()

    def _draw(self, *events, feedback=""):
        on = self.state.predict
        shown = {"step": self.predictions.revealed()} if on else dict(NOT_PREDICTING)
        if shown != dict(self.source.data):     # unchanged: the page need not draw the step again
            self.source.data = shown
        if hasattr(self, "_layout"):
            self._layout.visible = on
        question = self.question()
        closed = question is not None and question.step in self.predictions.closed
        if question is None:
            where = "Press Step" if self.state.step == 0 else "This step reaches a constant (no grad): press Step"
            self.prompt.object = f"<p>{where}: at each backward step you work out the grad before it shows.</p>"
        else:
            self.prompt.object = (f"<p><b>Step {question.step}: your turn.</b> "
                                  f"{html.escape(question.prompt).replace('`', '')}</p>")
        if events and not feedback and closed:    # a step answered before: say what it was
            feedback = f"<p>Answered: {html.escape(question.answer_text())}.</p>"
        if events or feedback:
            self.feedback.object = feedback
        if events and not feedback:     # a new step: a fresh answer box
            self.answer.param.update(value="", value_input="")
        self.answer.disabled = self.check_button.disabled = question is None or closed
        self.show_button.visible = question is not None and not closed and question.step in self.predictions.tries
        self.score.object = f"<p>Score: {self.predictions.score_text()}.</p>"
