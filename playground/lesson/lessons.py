"""The built-in tour: six lessons that follow the seed article (docs/teachers-guide.md shows how to write
another). Each lesson's link is a share link made from a program, like any a teacher would copy."""
import functools

from playground import document
from playground.graph.presets import TANH_NEURON, USED_TWICE
from playground.live_document import default_document

from .tour import BUILTIN, check_tour

ONE_MULTIPLY = """\
a = 2.0
b = -3.0
c = 10.0
e = a * b
d = e + c
"""

LESSONS = [
    ("A Value", ONE_MULTIPLY, "graph",
     "Every box is one `Value`: its `data` (the number the forward pass computed) and its `grad` (how much "
     "the output changes when this number changes). A box made by an operation also remembers its inputs "
     "(`_prev`) and the operation (`_op`): that is the whole graph.\n\n"
     "Press Backward, then Step: the output's grad starts at 1.0, and each step passes it back one edge."),
    ("An op's closure", ONE_MULTIPLY, "code",
     "Each operation leaves a small function on its output, `_backward`. For `e = a * b` it is "
     "`self.grad += other.data * out.grad`: the chain rule, in one line per input.\n\n"
     "Step through backward: the code panel shows the `_backward` that runs now, with this step's numbers "
     "filled in, and the loop `for v in reversed(topo): v._backward()` with the current v marked."),
    ("A value used twice", USED_TWICE, "break",
     "Here `a` is used twice: `b = a + a`, so db/da = 2. Its grad arrives in two contributions, and "
     "`_backward` must add them (`+=`).\n\n"
     "Tick the experiment \"overwrite (=) instead of accumulate (+=)\": the second contribution replaces the "
     "first, a gets 1.0, and the gradient check turns red."),
    ("Topological order", TANH_NEURON, "topo",
     "Backward must run a node's `_backward` only after every node that uses it has passed its grad down. "
     "`build_topo` sorts the graph depth first: visit a node, recurse into its inputs, then append it. "
     "Each node gets its number in that order.\n\n"
     "Step through the sort; backward then runs the numbers in reverse, from the output down."),
    ("A neuron", TANH_NEURON, "nudge",
     "A neuron: o = tanh(x1*w1 + x2*w2 + b). After backward, w1's grad says how much o moves per unit "
     "of w1.\n\n"
     "Nudge w1 by h = 0.01: the chain rule predicts o moves by grad \u00d7 h; a new forward pass shows how "
     "much it really moves. Small h, close numbers: that is what a gradient is."),
    ("A training step", None, "training-step",
     "Training repeats one step: forward (the scores), the loss, `zero_grad`, backward, and the update "
     "`p.data -= lr * p.grad` for every parameter.\n\n"
     "Run the step one phase at a time and watch one weight: its grad is zeroed, filled by backward, then "
     "the weight moves against it. Skip `zero_grad` and the grads of two steps add up: see the experiment "
     "\"backward twice without zero_grad\"."),
]


def builtin_tour(name=BUILTIN):
    """A built-in tour by its name in links: this tour ("micrograd") or the exercises (exercises.py)."""
    if name == "exercises":
        from .exercises import exercises_tour
        return exercises_tour()
    return micrograd_tour()


@functools.cache
def micrograd_tour():
    """The built-in tour as tour data (made once: each link is a document made from a program)."""
    lessons = []
    for title, program, show, text in LESSONS:
        link = ""
        if program is not None:
            doc = default_document()
            doc.update(title=title, view="graph", graph={"program": program, "values": {}, "step": 0})
            link = document.make_fragment(document.check_document(doc))
        lessons.append({"title": title, "text": text, "link": link, "show": show})
    return check_tour({"title": "micrograd, step by step", "lessons": lessons})
