"""The way back: nothing that replaces the student's document throws it away.

Every place that puts another document in the page (a preset, a link opened over the page, a point's graph
from the training view, Start over, a JSON file, a CSV import, the guided tour's lessons) does it inside
`PlaygroundDocument.replacing(message)` (playground/live_document.py). The document it replaced goes into
the one slot below, `SavedWork`, and the bar above the views offers it back:

    kind "undo"   "The preset “A tanh neuron” replaced your program."     [Undo]  [Dismiss]
    kind "redo"   "Undone: your work is back."                             [Redo]  [Dismiss]
    kind "tour"   "The guided tour shows its own examples; your work ..."  [Back to my work]

Undo and Redo swap the slot and the page, so pressing one never loses anything either. While a tour is open
the slot keeps the student's work from before the tour: the lessons' documents come and go around it (each
lesson is reopened as the student left it, `SavedWork.lessons`), and closing the tour brings the work back.
The slot is kept on the device beside the document (its own localStorage key), so a reload keeps the way back.
"""
import contextlib
import html
import json

import panel as pn
import param
from bokeh.models import CustomJS

from . import document as D
from .shown_later import fill_when_shown

KINDS = ("", "undo", "redo", "tour")
BUTTON = {"undo": "Undo", "redo": "Redo", "tour": "Back to my work"}
REPLACED = "Something replaced your work."
UNDONE = "Undone: your work is back. Redo brings back what replaced it."
TOUR_EXAMPLE = "The guided tour's example replaced your work."
TOUR = "The guided tour shows its own examples. Your work is kept: Back to my work brings it back."
TOUR_CLOSED = "The tour is closed and your work is back. Redo shows the tour's last example again."
MAX_MESSAGE = 300
MAX_DEVICE_CHARS = D.MAX_LINK_CHARS + 1000


def nothing_kept(message):
    """The `replacing` of a view used alone (a test, a notebook): nothing to keep the old document in."""
    return contextlib.nullcontext()


class SavedWork(param.Parameterized):
    """The one slot: the document the last replacement put aside, why, and how to get it back."""

    kept = param.Dict(default=None, allow_None=True, doc="The checked document put aside (None: nothing kept).")
    kind = param.Selector(default="", objects=list(KINDS), doc="undo, redo, or tour (the work from before it).")
    message = param.String(default="", doc="What happened, in words, for the bar above the views.")
    cause = param.String(default="", doc="For Redo: what the undone replacement was, in words.")
    lessons = param.Dict(default={}, doc="A tour's lessons as the student left them: lesson index -> document.")

    def keep(self, doc, message, kind="undo", cause=""):
        self.param.update(kept=doc, message=message[:MAX_MESSAGE], kind=kind, cause=cause[:MAX_MESSAGE])

    def forget(self):
        self.param.update(kept=None, message="", kind="", cause="", lessons={})

    # -- on the device: one JSON text, the document as a link fragment (compressed, checked again on reading)

    def to_text(self):
        """The slot as the device keeps it ('' when empty); a document too long for a link loses its weights
        as a link would (it then replays its steps, or opens untrained past REPLAY_LIMIT)."""
        if self.kept is None:
            return ""
        fragment, _ = D.fitting_fragment(self.kept)
        if len(fragment) > D.MAX_LINK_CHARS:
            return ""
        return json.dumps({"kind": self.kind, "message": self.message, "cause": self.cause, "kept": fragment})

    def read_text(self, text):
        """Take the slot the device kept, if this page holds none; anything malformed is ignored."""
        if self.kept is not None or not text or len(text) > MAX_DEVICE_CHARS:
            return False
        try:
            saved = json.loads(text)
            kind, message, cause, fragment = saved["kind"], saved["message"], saved["cause"], saved["kept"]
        except (ValueError, TypeError, KeyError, RecursionError):
            return False
        if kind not in BUTTON or not all(isinstance(text, str) for text in (message, cause, fragment)):
            return False
        doc, _, error = D.read_fragment(fragment)
        if doc is None or error:
            return False
        self.keep(doc, " ".join(message.split()), kind, " ".join(cause.split()))
        return True


# Runs in the page: Python's slot onto the device, under a key of its own beside the document's
# (playground/address.py; sitebuild/templates/early_worker.html sets window.playgroundStorageKey).
SAVED_KEY_JS = """
const savedKey = () => window.playgroundStorageKey &&
  window.playgroundStorageKey.replace(/^micrograd-playground:/, 'micrograd-playground-saved:')
"""
TO_DEVICE_JS = SAVED_KEY_JS + """
const key = savedKey()
if (!key) { return }
try {
  if (cb_obj.value) { localStorage.setItem(key, cb_obj.value) } else { localStorage.removeItem(key) }
} catch (error) { /* storage blocked or full: address.py's notice already says so */ }
"""
# Runs in the page once it is shown: the device's slot to Python (it keeps it if it holds none), through
# the hidden field's model (a document event's callback gets no model: it is looked up by its class).
FROM_DEVICE_JS = SAVED_KEY_JS + """
const key = savedKey()
let text = null
try { text = key && localStorage.getItem(key) } catch (error) { /* storage blocked */ }
if (!text) { return }
for (const doc of (window.Bokeh && window.Bokeh.documents) || []) {
  for (const model of doc.all_models) {
    const classes = model.css_classes
    if (classes && classes.includes && classes.includes(FIELD) && model.value !== text) { model.value = text }
  }
}
"""
FROM_DEVICE = "saved-work-from-device"


class SavedWorkBar(pn.viewable.Viewer):
    """The bar that offers the kept document back (hidden while nothing is kept). `close_tour()` closes the
    guided tour: while one is open, "Back to my work" closes it and the app brings the work back."""

    def __init__(self, document, close_tour):
        super().__init__()
        self.document, self.saved, self.close_tour = document, document.saved, close_tour
        self.text = pn.pane.HTML("", css_classes=["saved-work-message"], margin=(5, 10),
                                 styles={"flex": "1 1 300px"})
        self.back = pn.widgets.Button(label="Undo", color="primary", css_classes=["saved-work-back"])
        self.dismiss = pn.widgets.Button(label="Dismiss", color="light", css_classes=["saved-work-dismiss"],
                                         description="Forget the kept work and hide this bar")
        self.back.on_click(lambda _: self.go_back())
        self.dismiss.on_click(lambda _: self.saved.forget())
        self.bar = fill_when_shown(
            pn.FlexBox(align_items="center", css_classes=["saved-work"], sizing_mode="stretch_width", visible=False,
                       styles={"background": "#eef5fc", "border": "1px solid #b6d4f0", "border-radius": "6px"}),
            lambda: [self.text, self.back, self.dismiss])
        # Hidden fields, stretched: a hidden widget's default 300 px still sets the column's minimum width, and
        # with the page's margins that scrolls a 320 px phone sideways.
        self.to_device = pn.widgets.TextInput(value="", visible=False, css_classes=["saved-work-to-device"],
                                              sizing_mode="stretch_width")
        self.from_device = pn.widgets.TextInput(value="", visible=False, css_classes=[FROM_DEVICE],
                                                sizing_mode="stretch_width")
        self.to_device.jscallback(value=TO_DEVICE_JS)
        self.from_device.param.watch(lambda event: self.saved.read_text(event.new), "value")
        if pn.state.curdoc is not None:
            pn.state.curdoc.js_on_event("document_ready", CustomJS(args={"FIELD": FROM_DEVICE},
                                                                   code=FROM_DEVICE_JS))
        self.saved.param.watch(self._show, ["kept", "kind", "message", "cause"])
        self._show()

    def __panel__(self):
        return pn.Column(self.bar, self.to_device, self.from_device, sizing_mode="stretch_width", margin=0)

    def go_back(self):
        """Undo, Redo, or Back to my work: the kept document in the page (and the page's kept in its place)."""
        if self.saved.kind == "tour":
            self.close_tour()          # the app brings the work back as the tour closes
            return
        try:
            self.document.swap_kept()
        except D.DocumentError as error:     # not expected: the slot holds a document this page made
            self.text.object = f"<p role='alert'>It could not be brought back: {html.escape(str(error))}.</p>"

    def _show(self, *_):
        saved = self.saved
        self.bar.visible = saved.kept is not None
        self.back.label = BUTTON.get(saved.kind, "Undo")
        self.dismiss.visible = saved.kind != "tour"    # the work from before a tour is never dropped by a click
        self.text.object = f"<p style='margin:0'>{html.escape(saved.message, quote=False)}</p>" if saved.kept else ""
        self.to_device.value = saved.to_text()
