"""The built-in exercises (`#tour=exercises`): ten that follow the seed article, each a lesson with a task and
a check (checks.py), solvable in a few minutes. A graph exercise starts from a program; a by-hand answer goes
into a leaf named `guess` that the output does not use (its box under the program). A training exercise starts
from settings. docs/teachers-guide.md shows how to write such a tour by hand."""
import functools

from playground import document
from playground.live_document import default_document

from .tour import check_tour

# (title, program or training settings, text, task, check, hint)
GRAPH, TRAINING = "graph", "training"
EXERCISES = [
    ("The gradient of a product", (GRAPH, "a = 2.0\nb = -3.0\nguess = 0.0\nc = a * b\nL = c * 4.0\n"),
     "Backpropagation is the chain rule, one node at a time. Here `c = a * b` and `L = c * 4.0`.",
     "Work out dL/da by hand and type it into the leaf `guess` (its box under the program). Then press Step "
     "to see the engine agree.",
     {"node": "guess", "value": -12, "tol": 1e-3},
     "dL/da = dL/dc \u00d7 dc/da. In a product each input's local derivative is the other input: dc/da = b = -3, "
     "and dL/dc = 4."),
    ("A value used twice", (GRAPH, "a = 3.0\nguess = 0.0\nb = a * a\n"),
     "In `b = a * a` the same Value is both inputs, so `_backward` reaches `a` twice.",
     "Set `guess` to a.grad after backward: both contributions.",
     {"node": "guess", "value": 6, "tol": 1e-3},
     "Each use sends (the other input) \u00d7 b.grad = 3 \u00d7 1. `_backward` adds them (`+=`): 3 + 3. With `=` "
     "the second would overwrite the first and a.grad would be 3, a wrong gradient."),
    ("Make a.grad zero", (GRAPH, "a = 2.0\nb = 3.0\nc = a * b\nd = c + a\n"),
     "`a` reaches the output d along two paths: through `c = a * b` and directly.",
     "Choose a new value for the leaf b (leave a as it is) so that a.grad is 0.",
     {"all": [{"node": "a", "grad": 0, "tol": 1e-9}, {"node": "a", "value": 2}]},
     "a.grad is the sum of its two contributions: b \u00d7 1 through c, and 1 directly. Which b makes b + 1 = 0?"),
    ("A dead ReLU", (GRAPH, "x = 1.0\nw = 2.0\nb = 0.5\nn = x * w + b\no = relu(n)\n"),
     "relu passes a gradient only where its input is positive: its local derivative is 1 if n > 0 else 0.",
     "Change w or b (not x) so that the neuron is dead: n is 0 or less, and w.grad becomes 0.",
     {"all": [{"node": "n", "value": {"max": 0}}, {"node": "w", "grad": 0}, {"node": "x", "value": 1}]},
     "n = x*w + b = 1 \u00d7 w + b. Make it negative, for example w = -1. Then step through backward: the relu "
     "passes 0 \u00d7 o.grad = 0, and every node below it gets nothing."),
    ("Follow the gradient", (GRAPH, "x1 = 2.0\nx2 = 1.0\nw1 = -3.0\nw2 = 1.0\nb = 1.0\nn = x1*w1 + x2*w2 + b\n"
                                    "o = tanh(n)\n"),
     "A gradient says which way a leaf must move to raise the output: w2.grad > 0 means a bigger w2 gives a "
     "bigger o.",
     "Make the neuron's output o positive by changing only w2.",
     {"all": [{"output": {"sign": "+"}}, {"node": "w1", "value": -3}, {"node": "b", "value": 1},
              {"node": "x1", "value": 2}, {"node": "x2", "value": 1}]},
     "n = 2 \u00d7 (-3) + 1 \u00d7 w2 + 1 = w2 - 5. o = tanh(n) is positive when n is: w2 must be above 5."),
    ("backward twice without zero_grad", (GRAPH, "w = 3.0\nx = 2.0\nguess = 0.0\ny = w * x\n"),
     "After one backward, w.grad = x = 2. Training calls backward once per step, and `_backward` adds (`+=`) to "
     "what a grad already holds: that is why each step starts with `zero_grad` (p.grad = 0 for every "
     "parameter).",
     "Forget zero_grad and run backward a second time: set `guess` to w.grad after the two backward passes.",
     {"node": "guess", "value": 4, "tol": 1e-3},
     "Each backward adds x \u00d7 y.grad = 2 \u00d7 1 to w.grad, and nothing set it back to 0 in between: 2 + 2. "
     "(The Lesson tab's \"One training step\" shows the experiment on a real network.)"),
    ("A learning rate that diverges", (TRAINING, {"dataset": "moons", "hidden_layers": [8], "learning_rate": 0.5}),
     "The update is `p.data -= lr * p.grad`. Too big a step overshoots the minimum, and the loss explodes.",
     "Raise the learning rate and train until the page says the training diverged.",
     {"diverged": True},
     "Try 10, then 100 (type it into the Learning rate box, then press Play)."),
    ("A learning rate that converges", (TRAINING, {"dataset": "moons", "hidden_layers": [8], "learning_rate": 100}),
     "This run diverges at once: its learning rate is 100.",
     "Find a learning rate with which the training loss goes under 0.1 within 300 steps (Reset, then Play).",
     {"loss": {"max": 0.1}, "within_steps": 300},
     "Come down by factors of 10: 10, 1, 0.5... A rate a little under the one that diverges is often fastest."),
    ("The smallest network for the circles", (TRAINING, {"dataset": "circles", "hidden_layers": [1],
                                                        "learning_rate": 0.5}),
     "One hidden neuron draws one straight line: no straight line separates a ring from its centre.",
     "Separate the circles (test accuracy at least 90 % within 1,000 steps) with 4 hidden neurons or fewer.",
     {"all": [{"dataset": "circles"}, {"hidden_neurons": {"max": 4}},
              {"test_accuracy": {"min": 0.9}, "within_steps": 1000}]},
     "Each ReLU neuron adds one straight fold. Three or four folds can close around the centre: try one layer of "
     "4 neurons (or 3 with tanh)."),
    ("The spiral", (TRAINING, {"dataset": "spiral", "hidden_layers": [2], "learning_rate": 0.5}),
     "The spiral needs many folds, and folds of folds: a second hidden layer builds on the first.",
     "Reach a test accuracy of 80 % within 1,500 steps, with 16 hidden neurons or fewer in all.",
     {"all": [{"dataset": "spiral"}, {"hidden_neurons": {"max": 16}},
              {"test_accuracy": {"min": 0.8}, "within_steps": 1500}]},
     "Two hidden layers of 8 neurons each, learning rate 0.5, then Play."),
]


def _link(title, start):
    kind, what = start
    doc = default_document()
    doc.update(title=title, view=kind)
    if kind == GRAPH:
        doc["graph"] = {"program": what, "values": {}, "step": 0}
    else:
        doc["training"].update(what)
    return document.make_fragment(document.check_document(doc))


@functools.cache
def exercises_tour():
    """The built-in exercises as tour data (made once)."""
    lessons = [{"title": title, "text": text, "link": _link(title, start), "show": start[0], "task": task,
                "check": check, "hint": hint}
               for title, start, text, task, check, hint in EXERCISES]
    return check_tour({"title": "Exercises: backpropagation by hand", "lessons": lessons})
