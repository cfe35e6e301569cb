"""ExercisePanel: the task of a tour's exercise under the tour bar, checked as the student works.

After each change of the live document (its `revision`) the lesson's check (checks.py) is evaluated on it
(facts.py) a moment later, once the change is complete (a lesson opening its document changes several parts);
the panel says "Solved" with what was checked, or what is not there yet. A solution is recorded in the
document's `progress` (progress.py): the address and the device keep it. "Show a hint" shows the lesson's hint;
"My progress" the text a student hands in. The status is said by the page's live region (a11y-announce).
"""
import asyncio
import html

import panel as pn
import param

from ..shown_later import fill_when_shown
from .checks import evaluate
from .common import CSS as LESSON_CSS
from .facts import DocumentFacts
from . import progress as P

CSS = """
/* each pane draws in its own shadow root, its class on the host: :host(.x) y reaches y, `.x y` would not */
:host(.exercise-status) p, :host(.exercise-task) p, :host(.exercise-hint) p {
  font: 15px/1.5 system-ui, sans-serif; margin: 4px 0; }
:host(.exercise-status) .solved { color: #1b5e20; background: #e8f5e9; border: 2px solid #2e7d32; border-radius: 6px;
  padding: 4px 10px; font-weight: 700; font-size: 17px; display: inline-block; }  /* seen at a glance */
:host(.exercise-status) .open { color: #4a505c; font-weight: 600; }
:host(.exercise-status) ul { margin: 2px 0; padding-left: 1.4em; font: 13px/1.5 ui-monospace, monospace; }
:host(.exercise-hint) p { background: #f7f7f9; border-left: 4px solid #7b3294; padding: 4px 8px; }
"""


def _pane(*css_classes):
    return pn.pane.HTML("", css_classes=list(css_classes), sizing_mode="stretch_width", stylesheets=[LESSON_CSS, CSS])


class ExercisePanel(pn.viewable.Viewer):
    """Shows and checks the exercise of the tour's current lesson (nothing for a lesson without a task)."""

    lesson = param.Dict(default=None, allow_None=True)

    def __init__(self, document, predict_score=lambda: "", **params):
        super().__init__(**params)
        self.document, self.predict_score = document, predict_score
        self.facts = DocumentFacts(document)
        self.tour_title = ""
        self.hint_seen = False
        self._pending = None
        self.task = _pane("exercise-task")
        self.status = _pane("exercise-status", "a11y-announce")
        self.hint = _pane("exercise-hint")
        self.hint_button = pn.widgets.Button(label="Show a hint", css_classes=["exercise-hint-button"])
        self.progress_button = pn.widgets.Button(label="My progress", css_classes=["exercise-progress-button"])
        self.progress_text = pn.widgets.TextAreaInput(label="My progress (select it all and copy it)", rows=8,
                                                      visible=False, css_classes=["exercise-progress"],
                                                      sizing_mode="stretch_width")
        self.clear_button = pn.widgets.Button(label="Clear my progress", visible=False,
                                              css_classes=["exercise-clear"])
        self.hint_button.on_click(lambda _: self.show_hint())
        self.progress_button.on_click(lambda _: self.toggle_progress())
        self.clear_button.on_click(lambda _: setattr(self.document, "progress", []))
        document.param.watch(lambda _: self.check_soon(), "revision")
        document.param.watch(lambda _: self._draw_progress(), "progress")
        self._layout = fill_when_shown(
            pn.Column(visible=False, sizing_mode="stretch_width", css_classes=["exercise-panel"],
                      styles={"border-left": "4px solid #1b9e77", "padding-left": "8px"}),
            lambda: [self.task, self.status, pn.Row(self.hint_button, self.progress_button, self.clear_button),
                     self.hint, self.progress_text])

    def __panel__(self):
        return self._layout

    def show(self, tour, index):
        """The lesson `index` of `tour` (None: the tour was closed)."""
        lesson = tour["lessons"][index] if tour is not None else None
        self.lesson = lesson if lesson is not None and lesson.get("task") else None
        self.tour_title = tour["title"] if tour is not None else ""
        self.hint_seen = False
        self.hint.object = ""
        self._layout.visible = self.lesson is not None
        if self.lesson is not None:
            self.task.object = f"<p><b>Exercise:</b> {html.escape(self.lesson['task']).replace('`', '')}</p>"
            self.hint_button.visible = bool(self.lesson["hint"])
            self.check_soon()

    def show_hint(self):
        if self.lesson is not None:
            self.hint_seen = True
            self.hint.object = f"<p><b>Hint:</b> {html.escape(self.lesson['hint']).replace('`', '')}</p>"

    def toggle_progress(self):
        shown = not self.progress_text.visible
        self.progress_text.visible = self.clear_button.visible = shown
        self._draw_progress()

    def check_soon(self):
        """Check once the change under way is complete (in the page: the next turn of the event loop)."""
        if self.lesson is None or self._pending is not None:
            return
        try:
            self._pending = asyncio.get_running_loop().call_soon(self.check)
        except RuntimeError:      # no event loop (a test, a script): at once
            self.check()

    def check(self):
        self._pending = None
        lesson = self.lesson
        if lesson is None:
            return False
        ok, lines = evaluate(lesson["check"], self.facts)
        before = P.solved(self.document.progress, self.tour_title, lesson["title"])
        if ok and before is None:
            self.document.progress = P.record(self.document.progress, self.tour_title, lesson["title"],
                                              first_try=not self.hint_seen)
        items = " ".join(f"<li>{html.escape(line)}</li>" for line in lines)
        if ok:
            head = "<p class='solved'>\u2713 Solved. Checked:</p>"
        elif before is not None:
            head = f"<p class='solved'>\u2713 Solved earlier ({html.escape(before['at'])}). Checking now:</p>"
        else:
            head = "<p class='open'>Not solved yet. Checking:</p>"
        self.status.object = f"{head} <ul>{items}</ul>"
        return ok

    def _draw_progress(self):
        if self.progress_text.visible:
            self.progress_text.value = P.progress_text(self.document.progress, self.predict_score())
