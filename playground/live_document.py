"""The live document: the one owner of everything a share link, a file or the device keeps.

    PlaygroundDocument      version, view, title (DocumentFields in document.py, with their bounds),
                            graph (the GraphState), training (the TrainingSettings), training_step
                            (how far the run went), embed (what the link asked of an embedding)

The views and the share tools bind to it: the graph view edits `graph`, the training view edits
`training` and reports its run with `run_changed(step)`, the tabs follow `view`, the title field
is `title`. `snapshot()` turns it into a checked document (playground/document.py); `restore(doc)`
puts a checked document into it and asks the training view to `restore(step, weights)`. Every
change bumps `revision`, which the address bar and the device follow (playground/address.py).
"""
import copy
import functools

import param

from . import document as D
from .graph.state import GraphState
from .training.state import TrainingSettings
from .version import VERSION

NO_OPTIONS = {"view": None, "hide": set(), "minimal": False}

# A link without weights replays its steps when opened (same seed, same trajectory, as long as
# the settings did not change during the run). Replaying blocks the page, so it is capped, and a
# longer run always travels with its weights.
REPLAY_LIMIT = 500


class PlaygroundDocument(D.DocumentFields):
    graph = param.ClassSelector(class_=GraphState, constant=True, doc="The graph view's state.")
    training = param.ClassSelector(class_=TrainingSettings, constant=True, doc="The training settings.")
    embed = param.Dict(default=NO_OPTIONS, doc="What the link asked of an embedding: view, parts to hide, chrome.")
    revision = param.Integer(default=0, doc="Counts the changes of the document (the address follows it).")
    place = param.String(default="", doc="Where a guided tour stands ('tour=micrograd&lesson=3', from the tour "
                                         "bar): the address keeps it after the document, so a reload resumes there.")

    def __init__(self, graph=None, training=None, **params):
        super().__init__(graph=graph or GraphState(), training=training or TrainingSettings(), **params)
        self.training_view = None      # set by attach(); None until the training view is built
        self.open_training = None      # a function that builds the training view and returns it
        self.graph.param.watch(self._changed, list(D.GRAPH_KEYS))
        self.training.param.watch(self._changed, list(D.SETTINGS_KEYS))
        self.param.watch(self._changed, ["view", "title", "training_step", "place"])

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
            "graph": {"program": self.graph.program, "values": dict(self.graph.values), "step": self.graph.step},
            "training": dict({name: _plain(getattr(self.training, name)) for name in D.SETTINGS_KEYS},
                             step=step, weights=weights),
            "written_by": VERSION,
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
        options = self.embed
        doc = self.snapshot(include_weights)
        fragment = D.make_fragment(doc, options["view"], options["hide"], options["minimal"])
        if len(fragment) <= D.MAX_LINK_CHARS or doc["training"]["weights"] is None:
            return fragment, ""
        doc["training"]["weights"] = None
        if doc["training"]["step"] > REPLAY_LIMIT:
            doc["training"]["step"] = 0
            note = "The trained weights do not fit in a link: it opens the network untrained."
        else:
            note = "The trained weights do not fit in a link: it replays the training steps instead."
        return D.make_fragment(doc, options["view"], options["hide"], options["minimal"]), note

    # -- entering: a checked document into the page --------------------------------------------------

    def restore(self, doc):
        """Put a checked document into the page; raises DocumentError when a part is refused
        (the caller then opens the defaults)."""
        graph, training = doc["graph"], doc["training"]
        self.graph.error = ""
        self.graph.param.update(program=graph["program"], values=dict(graph["values"]), step=graph["step"])
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
        self.param.update(title=doc["title"], view=self.embed["view"] or doc["view"])

    def defaults(self):
        """The document a fresh page holds."""
        return default_document()


@functools.cache
def _defaults():
    return PlaygroundDocument().snapshot()


def default_document():
    """The document a fresh page holds (a copy: callers may change it)."""
    return copy.deepcopy(_defaults())


def _plain(value):
    """A deep copy made of lists, so a document never shares a list with a view."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
