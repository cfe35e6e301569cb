"""GraphState: everything the graph view shows, held as three small plain values.

    program  str              the program text: the one source of truth for the graph's structure
    values   dict[str, float] the current value of each leaf, by name (always equal to the text's leaf lines)
    step     int              how many backward steps the animation shows (0 = before backward)

Those three are what a share link stores (playground/document.py, section "graph"). Everything else is
derived from them: `graph` (the traced graph on screen, with its layout and animation steps) and `error`
(the last problem, shown inline). A program with an error leaves `graph` as it was.

Editing the values rewrites the leaf lines of the program (and typing new numbers into the program updates
the values), so text and drawing stay one document. The point-and-click edits are `add_leaf`, `add_operation`,
`delete` and `rename`; each reports problems in `error` and changes nothing else.

For the training view: `load_program(text)` shows any program, and `load_value(root)` shows an engine Value's
graph (say one data point's loss) by writing it out as a program first.
"""

import functools
import math
from dataclasses import dataclass

import param

import engine

from . import edits
from .language import MAX_NODES, ProgramError, build_graph, parse_program, program_from_value  # noqa: F401
from .layout import layout
from .presets import README_EXAMPLE


@dataclass
class Graph:
    """One drawn graph: the engine's trace, its layout, the animation steps and the output Value."""

    root: engine.Value
    trace: dict
    layout: dict
    steps: list  # step k (1-based) = steps[k - 1]; see animation_steps()
    leaves: dict  # leaf name -> value used
    shape: tuple  # what the drawing depends on, not the numbers: see shape_of()


def shape_of(trace):
    """Each node's id, label, operation (with its exponent) and inputs: two graphs of the same shape differ only
    in their numbers (a new leaf value), and are drawn in the same places."""
    return tuple((n["id"], n["label"], n["op"], n["exponent"], tuple(n["inputs"])) for n in trace["nodes"])


@functools.lru_cache(maxsize=16)
def layout_of_shape(shape):
    """The layout of a graph of this shape, made once: changing a leaf's value does not move anything.
    Shared between graphs: read it, never change it."""
    return layout([{"id": i, "op": op, "inputs": list(inputs)} for i, _, op, _, inputs in shape])


def animation_steps(trace, events):
    """The backward pass as animation steps: first the seed (output grad = 1), then one step per gradient
    contribution, in the order the engine made them, each naming the edge (by operand slot) it travels."""
    output = trace["nodes"][-1]["id"]
    steps = [{"node": output, "from": -1, "slot": -1, "local": 1.0, "upstream": 1.0,
              "contribution": 1.0, "grad_after": 1.0}]
    for event in events:
        for slot, arrival in enumerate(event["inputs"]):
            steps.append({"node": arrival["node"], "from": event["node"], "slot": slot,
                          "local": arrival["local"], "upstream": event["upstream"],
                          "contribution": arrival["contribution"], "grad_after": arrival["grad_after"]})
    return steps


def make_graph(program_text, values=None):
    """Parse, build, trace and lay out a program; raises ProgramError (never anything else) on bad input."""
    program = parse_program(program_text)
    root, _ = build_graph(program, values)
    if len(engine.build_topo(root)) > MAX_NODES:
        raise ProgramError(f"the graph has more than {MAX_NODES:,} nodes")
    try:
        events = engine.backward_events(root)  # a fresh backward: the Values keep their grads
        trace = engine.trace(root)  # after it, so the trace carries the grads too
    except (ValueError, ArithmeticError) as e:  # e.g. the slope of x ** 0.5 at x = 0 is infinite
        raise ProgramError(f"backward is not defined here: {e}") from None
    steps = animation_steps(trace, events)
    if not all(math.isfinite(s["grad_after"]) for s in steps):
        raise ProgramError("a gradient is not a finite number (try other values)")
    leaves = {name: (values or {}).get(name, value) for name, value in program.leaves.items()}
    shape = shape_of(trace)
    return Graph(root, trace, layout_of_shape(shape), steps, leaves, shape)


class GraphState(param.Parameterized):
    program = param.String(default=README_EXAMPLE, doc="The program text.")
    values = param.Dict(default={}, doc="Current value of each leaf, by name.")
    step = param.Integer(default=0, bounds=(0, 1_000_000), doc="Backward steps shown by the animation.")
    predict = param.Boolean(default=False, doc="Predict mode: the student works out each grad before it shows "
                                               "(predict_view.py).")

    error = param.String(default="", doc="The last problem, for the user; empty when all is well.")
    graph = param.ClassSelector(class_=Graph, default=None, allow_None=True, doc="The graph on screen.")

    def __init__(self, **params):
        super().__init__(**params)
        self._syncing = False
        self.param.watch(self._sync, ["program", "values"])
        self._sync()
        if self.graph is None:  # a bad first program: draw the default one, keep the message
            error = self.error
            self.param.update(program=README_EXAMPLE, values={})
            self.error = error

    def _sync(self, *events):
        """Rebuild the graph; when values changed, write them into the program text first."""
        if self._syncing:
            return
        self._syncing = True
        try:
            text = self.program
            if any(event.name == "values" for event in events) or not events:
                text = self._with_values(text, self.values)
            graph = make_graph(text)
            self.param.update(program=text, values=dict(graph.leaves), graph=graph, error="",
                              step=min(self.step, len(graph.steps)))
        except ProgramError as e:
            self.error = str(e)
            if self.graph is not None:  # a bad leaf value is not kept: values go back to what is drawn
                self.values = dict(self.graph.leaves)
        finally:
            self._syncing = False

    @staticmethod
    def _with_values(text, values):
        """The program text with each leaf line holding values[name] (lines already equal stay untouched)."""
        written = parse_program(text).leaves
        for name, value in values.items():
            if name in written and written[name] != value:
                if not math.isfinite(value):
                    raise ProgramError(f"the value of {name!r} must be a finite number")
                text = edits.set_leaf(text, name, value)
        return text

    # --- what the view and other views call -------------------------------------------------------------

    def load_program(self, text):
        """Show `text` (a program in the graph language); on error keep the old graph and set `error`."""
        self.param.update(program=text, step=0)

    def load_value(self, root, title=""):
        """Show the graph of an engine Value (e.g. one data point's loss from the training view); a title
        becomes a comment on the program's first line."""
        try:
            comment = "# " + " ".join(str(title).split())[:100] + "\n" if title else ""
            self.load_program(comment + program_from_value(root))
        except ProgramError as e:
            self.error = str(e)

    def set_value(self, name, value):
        self.values = dict(self.values, **{name: float(value)})

    def _edit(self, edit, *args):
        try:
            self.program = edit(self.program, *args)
        except ProgramError as e:
            self.error = str(e)

    def add_leaf(self, name, value):
        self._edit(edits.add_leaf, name, value)

    def add_operation(self, name, op, inputs):
        self._edit(edits.add_operation, name, op, inputs)

    def delete(self, name):
        self._edit(edits.delete, name)

    def rename(self, old, new):
        self._edit(edits.rename, old, new)
