"""Predict mode's logic: the student works out each gradient before the page shows it.

Pure (no Panel): predict_view.py is the page's half. At backward step k the node receiving a gradient asks
for its grad after the step. A node used twice asks for the sum (`+=`): its grad after this contribution
is what it already held plus the new one. The answer is checked against the engine's own numbers (the
graph's animation steps, engine.backward_events) within TOLERANCE; a wrong answer earns a hint made from
the step's chain rule (the local derivative's formula, with the numbers that go in, times the upstream
grad), and then, if asked, the answer itself.

    questions(graph)               {step: Question}: every backward step whose receiver has a grad
    Predictions(questions, steps)  the answers so far: answer(step, text), show(step), score(); ask(key, question)
                                   adds one (playground/lesson/weight_predict.py asks about a training step)
    parse_answer(text)             a number typed by a student ('-3', '1.5e2', '2/3'); never eval'ed
"""
import math
import re
from dataclasses import dataclass

from engine import OPS

from .drawing import display_names, is_constant

TOLERANCE = 1e-3      # relative; absolute for answers under 1 in size (a right 0 is 0 +- 1e-3)
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
ANSWER = re.compile(rf"\s*({NUMBER})\s*(?:/\s*({NUMBER})\s*)?")


def parse_answer(text):
    """The number a student typed: a decimal, an exponent, or a fraction like 2/3. Raises ValueError with a
    message for the student."""
    match = ANSWER.fullmatch(text.replace("\u2212", "-")) if len(text) <= 60 else None
    if not match:
        raise ValueError("type a number, like -3, 0.5, 1e-2 or 2/3")
    value = float(match[1])
    if match[2] is not None:
        if float(match[2]) == 0:
            raise ValueError("a fraction cannot divide by 0")
        value /= float(match[2])
    if not math.isfinite(value):
        raise ValueError("type a finite number")
    return value


def is_right(answer, expected):
    return abs(answer - expected) <= TOLERANCE * max(1.0, abs(expected))


def number(x):
    """A number as the hint writes it: 4 decimals at most, no trailing zeros."""
    if x == 0:
        return "0"
    if abs(x) >= 1e6 or abs(x) < 1e-4:
        return f"{x:.4g}"
    return f"{x:.4f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Question:
    step: int           # 1-based backward step
    node: int           # the receiving node's id
    name: str           # its display name
    expected: float     # its grad after this step (the sum so far, for a node used twice)
    before: float       # its grad before this step (0 unless an earlier step reached it)
    contribution: float
    summed: bool        # an earlier step already reached this node (a value used twice): the answer is a sum
    prompt: str
    hint: str

    def answer_text(self):
        if self.summed:
            return (f"{self.name}.grad = {number(self.before)} + {number(self.contribution)} "
                    f"= {number(self.expected)}")
        return f"{_wrap(self.name)}.grad = {number(self.expected)}"


def questions(graph):
    """{step: Question} for a graph (playground/graph/state.Graph): one per backward step whose receiving
    node has a grad of its own (numbers written inside an expression are constants: never asked)."""
    nodes = {n["id"]: n for n in graph.trace["nodes"]}
    names = display_names(graph.trace["nodes"])
    out = names[graph.steps[0]["node"]]
    asked, received = {}, set()
    for k, s in enumerate(graph.steps, 1):
        node = nodes[s["node"]]
        before = s["grad_after"] - s["contribution"] if k > 1 else 0.0
        earlier = s["node"] in received
        received.add(s["node"])
        if is_constant(node):
            continue
        name = names[s["node"]]
        if k == 1:
            prompt = f"Backward starts at the output {name}: what is d{name}/d{name}, the grad it starts with?"
            hint = f"How much does {name} change when {name} changes by a small h? By h itself."
        else:
            giver = names[s["from"]]
            prompt = f"Gradient flows from {giver} back to {name}. What is {_wrap(name)}.grad now?"
            if earlier:
                prompt += (f" {name} is used more than once: it already holds {number(before)} from an earlier "
                           f"step, and `_backward` adds (+=), so give the sum.")
            hint = _hint(nodes, s, names, out, before if earlier else None)
        asked[k] = Question(k, s["node"], name, s["grad_after"], before if earlier else 0.0, s["contribution"],
                            earlier, prompt, hint)
    return asked


def _wrap(name):
    """A name inside d.../d...: an expression in parentheses, d(10.0/f)/df."""
    return name if name.replace("\u2032", "").isidentifier() else f"({name})"


def _hint(nodes, step, names, out, before):
    """The step's chain rule: the local derivative's formula with the numbers that go in, then the product."""
    op_node = nodes[step["from"]]
    op, inputs, exponent = OPS[op_node["op"]], op_node["inputs"], op_node["exponent"]
    giver, receiver = _wrap(names[op_node["id"]]), _wrap(names[step["node"]])
    written = op.write([names[i] for i in inputs], exponent)
    formula = op.formula_for(step["slot"], [names[i] for i in inputs], exponent)
    numbers = op.formula_for(step["slot"], [number(nodes[i]["data"]) for i in inputs], exponent)
    local = number(step["local"])
    text = f"{names[op_node['id']]} = {written}, so the local derivative d{giver}/d{receiver} = {formula}"
    shown = [formula] + [t for t in (numbers, local) if t not in (formula, f"({local})")]
    text += "".join(f" = {t}" for t in dict.fromkeys(shown[1:])) + ". "
    text += (f"Chain rule: multiply it by the upstream grad d{out}/d{giver} = {number(step['upstream'])}: "
             f"{local} \u00d7 {number(step['upstream'])}.")
    if before is not None:
        text += f" Then add what {receiver} already held: {number(before)} + that product."
    return text


class Predictions:
    """The answers given for one graph's questions.

    A question is first open; a right answer or show() closes it (its grad appears in the drawing). The score
    counts, of the questions answered or shown, those answered right at the first try."""

    def __init__(self, asked, steps):
        self.questions, self.steps = asked, steps
        self.tries = {}          # step -> wrong answers so far
        self.closed = {}         # step -> "right first", "right", "shown"

    def ask(self, key, question):
        """Add a question made as the student goes (the Lesson's training step asks about each step's weight):
        any key, any question with `expected` and answer_text(); a key asked before keeps its record."""
        self.questions.setdefault(key, question)

    def answer(self, step, text):
        """(verdict, message): verdict is "right", "wrong" or "invalid" (not a number: no try counted)."""
        question = self.questions[step]
        try:
            value = parse_answer(text)
        except ValueError as error:
            return "invalid", f"Not a number: {error}."
        if step in self.closed:
            return ("right" if is_right(value, question.expected) else "wrong"), "Already answered."
        if is_right(value, question.expected):
            self.closed[step] = "right" if self.tries.get(step) else "right first"
            return "right", f"Right: {question.answer_text()}."
        self.tries[step] = self.tries.get(step, 0) + 1
        return "wrong", f"Not right ({number(value)}; try {self.tries[step]})."

    def show(self, step):
        self.closed.setdefault(step, "shown")

    def revealed(self):
        """The steps whose grad the drawing shows: closed questions, and steps that ask nothing."""
        return sorted(set(self.closed) | {k for k in range(1, self.steps + 1) if k not in self.questions})

    def score(self):
        """(right at the first try, questions closed)."""
        return sum(v == "right first" for v in self.closed.values()), len(self.closed)

    def score_text(self):
        first, closed = self.score()
        return f"{first} of {closed} right first time" if closed else "No answers yet"
