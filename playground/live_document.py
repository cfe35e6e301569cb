"""The live document: the one owner of everything a share link, a file or the device keeps.

    PlaygroundDocument      version, view, title, progress (DocumentFields in document.py, with their bounds),
                            graph (the GraphState), training (the TrainingSettings), training_step
                            (how far the run went), embed (what the link asked of an embedding)

The views and the share tools bind to it: the graph view edits `graph`, the training view edits
`training` and reports its run with `run_changed(step)`, the tabs follow `view`, the title field
is `title`. `snapshot()` turns it into a checked document (playground/document.py); `restore(doc)`
puts a checked document into it and asks the training view to `restore(step, weights)`. Every
change bumps `revision`, which the address bar and the device follow (playground/address.py).
Whatever replaces the document does it inside `replacing(message)`: the document replaced goes into
`saved` (playground/undo.py), one Undo or "Back to my work" away.
"""
import contextlib
import copy
import functools

import param

from . import document as D
from .document import NO_OPTIONS, REPLAY_LIMIT, fitting_fragment  # noqa: F401  (REPLAY_LIMIT: part of this API)
from .graph.state import GraphState
from .training.state import TrainingSettings
from .version import VERSION
from .undo import REPLACED, TOUR, TOUR_CLOSED, TOUR_EXAMPLE, UNDONE, SavedWork




class PlaygroundDocument(D.DocumentFields):
    graph = param.ClassSelector(class_=GraphState, constant=True, doc="The graph view's state.")
    training = param.ClassSelector(class_=TrainingSettings, constant=True, doc="The training settings.")
    embed = param.Dict(default=NO_OPTIONS, doc="What the link asked of an embedding: view, parts to hide, chrome.")
    revision = param.Integer(default=0, doc="Counts the changes of the document (the address follows it).")
    place = param.String(default="", doc="Where a guided tour stands ('tour=micrograd&lesson=3', from the tour "
                                         "bar): the address keeps it after the document, so a reload resumes there.")
    saved = param.ClassSelector(class_=SavedWork, constant=True, doc="The document the last replacement put aside.")

    def __init__(self, graph=None, training=None, **params):
        super().__init__(graph=graph or GraphState(), training=training or TrainingSettings(), saved=SavedWork(),
                         **params)
        self.training_view = None      # set by attach(); None until the training view is built
        self._inside = 0               # replacements and restores under way (only the outermost keeps)
        self.open_training = None      # a function that builds the training view and returns it
        self.graph.param.watch(self._changed, list(D.GRAPH_KEYS))
        self.training.param.watch(self._changed, list(D.SETTINGS_KEYS))
        self.param.watch(self._changed, ["view", "title", "training_step", "place", "progress"])

    def _changed(self, *events):
        self.revision += 1

    # -- the training view ---------------------------------------------------------------------------

    def attach(self, training_view):
        """The training view, once built: it reports its run through run_changed()."""
        self.training_view = training_view

    def run_changed(self, step):
        """The training run moved (a step, a reset, an edited weight): a new state to keep."""
        if step == self.training_step:
            self.revision += 1          # same step, other weights
        else:
            self.training_step = step

    def weights(self):
        view = self.training_view
        return None if view is None else view.weights()

    # -- leaving: the document as data ---------------------------------------------------------------

    def snapshot(self, include_weights=False):
        """The checked document of what the page holds now. A run longer than REPLAY_LIMIT steps
        always carries its weights (without, it could not be opened)."""
        step = self.training_step if self.training_view is not None else 0
        weights = None
        if include_weights or step > REPLAY_LIMIT:
            weights = self.weights()
        return D.check_document({
            "version": D.SCHEMA_VERSION, "view": self.view, "title": self.title,
            "graph": {"program": self.graph.program, "values": dict(self.graph.values), "step": self.graph.step,
                      "predict": self.graph.predict},
            "training": dict({name: _plain(getattr(self.training, name)) for name in D.SETTINGS_KEYS},
                             step=step, weights=weights),
            "written_by": VERSION,
            "progress": [dict(item) for item in self.progress],
        })

    def link(self, include_weights=True):
        """(fragment, note): the fragment of the current state with the embedding options it was
        opened with. Weights that would make the link longer than a link may be are left out, and
        the note says so (empty when nothing was left out)."""
        fragment, note = self._document_link(include_weights)
        if self.place and len(fragment) + 1 + len(self.place) <= D.MAX_LINK_CHARS:
            fragment += "&" + self.place     # a long custom tour is left out rather than the document
        return fragment, note

    def _document_link(self, include_weights):
        return fitting_fragment(self.snapshot(include_weights), self.embed)

    # -- entering: a checked document into the page --------------------------------------------------

    def restore(self, doc):
        """Put a checked document into the page; raises DocumentError when a part is refused
        (the caller then opens the defaults)."""
        with self._one_replacement():   # what the restore sets off keeps nothing: its caller decides
            self._restore(doc)

    def _restore(self, doc):
        graph, training = doc["graph"], doc["training"]
        self.graph.error = ""
        self.graph.param.update(program=graph["program"], values=dict(graph["values"]), step=graph["step"],
                                predict=graph.get("predict", False))
        if self.graph.error:
            raise D.DocumentError(f"the graph program was refused: {self.graph.error}")
        if training["weights"] is None and training["step"] > REPLAY_LIMIT:
            raise D.DocumentError(f"the link asks to replay {training['step']} training steps without weights "
                                  f"(at most {REPLAY_LIMIT})")
        settings = {name: _plain(training.get(name, D.OPTIONAL_TRAINING.get(name))) for name in D.SETTINGS_KEYS}
        differs = any(getattr(self.training, name) != value for name, value in settings.items())
        if self.training_view is not None or differs or training["step"] or training["weights"] is not None:
            self.training.param.update(**settings)
            view = self.training_view or self.open_training()
            try:
                view.restore(training["step"], training["weights"])
            except ValueError as error:   # e.g. weights that do not fit the network of the settings
                raise D.DocumentError(str(error)) from None
        self.param.update(title=doc["title"], view=self.embed["view"] or doc["view"],
                          progress=merge_progress(self.progress, doc.get("progress", [])))

    def defaults(self):
        """The document a fresh page holds."""
        return default_document()

    # -- replacing: the old document kept one Undo away (playground/undo.py) -------------------------

    def keepable(self):
        """The whole document now, trained weights included (None if the page holds one it cannot write)."""
        try:
            return self.snapshot(include_weights=True)
        except D.DocumentError:
            return None

    @contextlib.contextmanager
    def replacing(self, message):
        """Around whatever puts another document in the page: if the work changed, the document it was is
        kept in `saved` with `message` ("The preset ... replaced your program."). While a tour keeps the
        student's work from before it, that stays kept (the tour's own examples are not the student's).
        A replacement inside another (Regenerate's new seed restarting the run) or inside a restore keeps
        nothing of its own: the outermost keeps the document from before them all."""
        if self._inside:
            with self._one_replacement():
                yield
            return
        before = self.keepable()
        try:
            with self._one_replacement():
                yield
        finally:
            if self.saved.kind != "tour" and before is not None and _work(before) != _work(self.keepable()):
                self.saved.keep(before, message)

    @contextlib.contextmanager
    def _one_replacement(self):
        self._inside += 1
        try:
            yield
        finally:
            self._inside -= 1

    def swap_kept(self):
        """Undo or Redo: the kept document into the page, the page's into the slot."""
        saved = self.saved
        kept, now = saved.kept, self.keepable()
        if kept is None:
            return
        message, kind, cause = saved.message, saved.kind, saved.cause
        self.restore(kept)
        if now is None:
            saved.forget()
        elif kind == "redo":
            saved.keep(now, cause or REPLACED, "undo")
        else:
            saved.keep(now, UNDONE, "redo", cause=message)

    def open_lesson(self, doc, leaving=None, arriving=None):
        """A tour's lesson brings its own document: the first one keeps the student's work (kind "tour"),
        each one the tour leaves is kept as the student left it and reopened so (`leaving`/`arriving`: the
        lessons' indexes). Returns the document to open (the caller opens it, a failure in the defaults)."""
        saved, now = self.saved, self.keepable()
        if saved.kind != "tour":
            saved.keep(now or self.defaults(), TOUR, "tour")
            saved.lessons = {}
        elif leaving is not None and now is not None:
            saved.lessons = dict(saved.lessons, **{str(leaving): now})
        return saved.lessons.get(str(arriving), doc)

    def tour_closed(self):
        """The tour closed: the work from before it comes back; the lesson's document is kept for Redo."""
        saved = self.saved
        if saved.kind != "tour":
            return
        kept, now = saved.kept, self.keepable()
        self.restore(kept)
        saved.lessons = {}
        if now is not None and _work(now) != _work(kept):
            saved.keep(now, TOUR_CLOSED, "redo", cause=TOUR_EXAMPLE)
        else:
            saved.forget()


def merge_progress(kept, opened):
    """The exercises solved here and in an opened document: a lesson's link or a teacher's (which hold none)
    never takes a student's progress away; the first solution of an exercise is kept."""
    merged = {(item["tour"], item["exercise"]): item for item in reversed(list(kept) + list(opened))}
    return sorted(merged.values(), key=lambda item: item["at"])[-D.DocumentFields.RULES["progress"][0]:]


@functools.cache
def _defaults():
    return PlaygroundDocument().snapshot()


def default_document():
    """The document a fresh page holds (a copy: callers may change it)."""
    return copy.deepcopy(_defaults())


def _work(doc):
    """What of a document is the student's work (the view it opens on is not)."""
    return None if doc is None else {key: value for key, value in doc.items() if key != "view"}


def _plain(value):
    """A deep copy made of lists, so a document never shares a list with a view."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
