"""WeightPredictPanel: "Predict the weight" in One training step, the page's half of weight_predict.py.

A checkbox beside "Follow the weight" turns it on. Then, once backward has run, the followed weight's grad is
hidden (`?` in the table) and asked for; once the update has run, its new value. An answer box (Enter answers)
and Check; right or wrong at once, a wrong answer shows the hint (the step's numbers) and a "Show the answer"
button; a right answer, or the answer shown, reveals the number in the table. The score counts first tries
over every step. The feedback is announced by the page's live region (its class `a11y-announce`), as in the
graph view's predict mode (playground/graph/predict_view.py).
"""
import html

import panel as pn

from playground.graph.predict import Predictions
from playground.graph.predict_view import verdict_html

from .weight_predict import GRAD

CSS = """
/* each pane draws in its own shadow root, its class on the host: :host(.x) y reaches y, `.x y` would not */
:host(.weight-predict-prompt) p { font: 15px/1.5 system-ui, sans-serif; margin: 4px 0; }
:host(.weight-predict-feedback) p { font: 14px/1.5 system-ui, sans-serif; margin: 4px 0; }
:host(.weight-predict-feedback) .right { color: #1b5e20; font-weight: 600; }
:host(.weight-predict-feedback) .wrong { color: #b71c1c; font-weight: 600; }
:host(.weight-predict-feedback) .hint { background: #f7f7f9; border-left: 4px solid #7b3294; padding: 4px 8px; }
:host(.weight-predict-score) { font: 600 13px/1.5 system-ui, sans-serif; color: #4a505c; }
"""


class WeightPredictPanel(pn.viewable.Viewer):
    """Asks for the followed weight's grad and update. The training step panel gives it the questions of the
    phases run so far (ask()) and reads which numbers to hide (hidden()); changed() redraws that panel."""

    def __init__(self, prefix, changed, **params):
        super().__init__(**params)
        self.changed = changed
        self.toggle = pn.widgets.Checkbox(label="Predict the weight's grad and update", value=False,
                                          css_classes=[f"{prefix}-predict-toggle"], align="end", margin=(4, 10))
        self.prompt = self._pane(f"{prefix}-predict-prompt", "weight-predict-prompt")
        self.answer = pn.widgets.TextInput(label="Your answer", placeholder="a number, e.g. -0.05 or 1/3",
                                           css_classes=[f"{prefix}-predict-answer"], width=220)
        self.check_button = pn.widgets.Button(label="Check", color="primary", align="end",
                                              css_classes=[f"{prefix}-predict-check"])
        self.show_button = pn.widgets.Button(label="Show the answer", align="end", visible=False,
                                             css_classes=[f"{prefix}-predict-show"])
        self.feedback = self._pane(f"{prefix}-predict-feedback", "weight-predict-feedback", "a11y-announce")
        self.score = self._pane(f"{prefix}-predict-score", "weight-predict-score")
        self.predictions = Predictions({}, 0)
        self.current = None          # the question on screen (None: nothing to ask now)
        self.answer.param.watch(lambda _: self.check(), "enter_pressed")
        self.check_button.on_click(lambda _: self.check())
        self.show_button.on_click(lambda _: self.show())
        self.toggle.param.watch(lambda _: self.changed(), "value")
        self._layout = pn.Column(self.prompt, pn.Row(self.answer, self.check_button, self.show_button),
                                 self.feedback, self.score, visible=False, sizing_mode="stretch_width",
                                 css_classes=[f"{prefix}-predict"],
                                 styles={"border": "2px solid #7b3294", "border-radius": "6px"})

    @staticmethod
    def _pane(*css_classes):
        return pn.pane.HTML("", css_classes=list(css_classes), sizing_mode="stretch_width", stylesheets=[CSS],
                            margin=(0, 5))

    def __panel__(self):
        return self._layout

    @property
    def on(self):
        return self.toggle.value

    def reset(self):
        """A new network: a new score."""
        self.predictions = Predictions({}, 0)

    # -- what the training step panel asks --------------------------------------------------------------

    def ask(self, asked):
        """The questions of the step's phases run so far (weight_predict.step_questions): the first still
        open is put to the student."""
        for question in asked:
            self.predictions.ask(question.key, question)
        now = next((q for q in asked if q.key not in self.predictions.closed), None) if self.on else None
        if now != self.current:      # a new question: a fresh answer box and no old verdict
            self.current = now
            self.answer.param.update(value="", value_input="")
            self.feedback.object = ""
        self._draw()

    def hidden(self, asked):
        """The kinds (GRAD, UPDATE) whose numbers the table must not show yet."""
        if not self.on:
            return set()
        return {q.kind for q in asked if q.key not in self.predictions.closed}

    # -- the student's actions -------------------------------------------------------------------------

    def check(self):
        question = self.current
        if question is None or not self.answer.value_input.strip():
            return
        verdict, message = self.predictions.answer(question.key, self.answer.value_input)
        self._say(verdict_html(verdict, message, question.hint), revealed=verdict == "right")

    def show(self):
        question = self.current
        if question is not None:
            self.predictions.show(question.key)
            self._say(f"<p>The answer: {html.escape(question.answer_text())}.</p>", revealed=True)

    def _say(self, text, revealed):
        """Say a verdict; a question closed reveals its number (the training step panel redraws, which asks
        the next question, if any, keeping this verdict on screen)."""
        if revealed:
            self.current = None
            self.changed()
            self.answer.param.update(value="", value_input="")
        self.feedback.object = text
        self._draw()

    # -- drawing ----------------------------------------------------------------------------------------

    def _draw(self):
        self._layout.visible = self.on
        question = self.current
        if question is None:
            self.prompt.object = ("<p>Press Next phase. Once backward has run you work out the weight's grad, "
                                  "once the update has run its new value, before the table shows them.</p>")
        else:
            which = "grad" if question.kind == GRAD else "new value"
            self.prompt.object = (f"<p><b>Your turn: the {which}.</b> {html.escape(question.prompt)}</p>")
        self.answer.disabled = self.check_button.disabled = question is None
        self.show_button.visible = question is not None and question.key in self.predictions.tries
        self.score.object = f"<p>Score: {self.predictions.score_text()}.</p>"
