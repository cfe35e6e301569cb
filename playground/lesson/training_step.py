"""One training step, whole: micrograd's loop run one phase at a time.

The loop's code is shown with the line of the phase that just ran marked; one chosen weight's value and grad
are followed through the phases; the decision boundary is drawn before the step and after its update. With
"Predict the weight's grad and update" on, the student works out that weight's grad and new value before the
table shows them (weight_predict_view.py).
The engine does the work (engine.lesson.TrainingStep: engine.nn, engine.losses, engine.optim).

The panel runs on a network object: the Lesson's own small one (LessonNetwork, below), or the training view's
run (playground/training/phase_step.py). A network gives: `loss` and `optimizer` (the engine's names), `alpha`
(the L2 strength), `parameters()`, `begin_step()` (an engine.lesson.TrainingStep, or None if it cannot step; a
step dropped before its end changes nothing), `finish_step(step, failed)`, `boundary(title)` (an SVG),
`reset()`, and `steps_done`.
"""
import html
import math
import random

import panel as pn
import param

from engine import Value, datasets, nn
from engine import lesson as engine_lesson

from .common import code_html, control_bar, html_pane, table_html
from .weight_predict import GRAD, step_questions
from .weight_predict_view import WeightPredictPanel

# The loss and update lines, as the engine writes them (tests/lesson/test_panels.py reads the engine's source
# and checks each one is there): engine/losses.py's per-sample losses, engine/optim.py's update() methods.
LOSS_LINES = {"svm": "(1 + -y * score).relu()", "bce": "(-y * score).softplus()", "mse": "(score - y) ** 2"}
UPDATE_LINES = {
    "sgd": ["for p in model.parameters():                  # the update (SGD)",
            "    p.data -= lr * p.grad"],
    "momentum": ["for i, p in enumerate(model.parameters()):    # the update (momentum)",
                 "    self.velocity[i] = self.momentum * self.velocity[i] + p.grad",
                 "    p.data -= lr * self.velocity[i]"],
    "adam": ["for i, p in enumerate(model.parameters()):    # the update (Adam)",
             "    g = p.grad",
             "    self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g",
             "    self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g",
             "    m_hat = self.m[i] / (1 - self.beta1 ** t)",
             "    v_hat = self.v[i] / (1 - self.beta2 ** t)",
             "    p.data -= lr * m_hat / (math.sqrt(v_hat) + self.eps)"],
}


def loop_lines(loss="svm", optimizer="sgd", alpha=True):
    """micrograd's training loop for this loss and optimiser: [(phase or None, line)]."""
    lines = [(None, "for k in range(steps):"),
             ("forward", "    scores = [model(x) for x in X]                # forward"),
             ("loss", f"    losses = [{LOSS_LINES[loss]} for y, score in zip(ys, scores)]"),
             ("loss", "    loss = sum(losses) * (1.0 / len(losses))")]
    if alpha:
        lines.append(("loss", "    loss = loss + alpha * sum(p * p for p in model.parameters())"))
    lines += [("zero_grad", "    model.zero_grad()                             # every p.grad = 0"),
              ("backward", "    loss.backward()                               # every p.grad = d loss / d p")]
    lines += [("update", "    " + line) for line in UPDATE_LINES[optimizer]]
    return lines


PHASE_TEXT = {
    "forward": "Forward: every point goes through the network; each score is a Value with its whole graph.",
    "loss": "Loss: every point's loss, averaged (plus the L2 penalty, if any): one Value on top of it all.",
    "zero_grad": "zero_grad: every parameter's grad is set to 0, so the grads of the last step do not add up.",
    "backward": "Backward: loss.backward() fills every parameter's grad: how the loss changes per unit of it.",
    "update": "Update: every parameter moves a little against its grad (the optimiser's rule, marked).",
}
GRID = 16           # the boundary is drawn as GRID x GRID cells


def boundary_svg(scores, extent, X, ys, title):
    """The decision boundary (sign and size of the score on a grid) and the points, as SVG.
    scores(points) gives the model's score of each (x, y) point; extent = (x0, x1, y0, y1)."""
    x0, x1, y0, y1 = extent
    size = 180
    cw, ch = size / GRID, size / GRID
    centres = [(x0 + (i + 0.5) * (x1 - x0) / GRID, y1 - (j + 0.5) * (y1 - y0) / GRID)
               for i in range(GRID) for j in range(GRID)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 16}" role="img" '
             f'aria-label="{html.escape(title)}" style="width:100%;max-width:240px">'
             f'<text x="0" y="12" font-size="11">{html.escape(title)}</text>']
    for k, score in enumerate(scores(centres)):
        i, j = divmod(k, GRID)
        s = math.tanh(score)
        color = f"rgba(33,102,172,{abs(s) * 0.6:.2f})" if s > 0 else f"rgba(230,97,1,{abs(s) * 0.6:.2f})"
        parts.append(f'<rect x="{i * cw:.1f}" y="{16 + j * ch:.1f}" width="{cw + 0.2:.1f}" '
                     f'height="{ch + 0.2:.1f}" fill="{color}"/>')
    for (px, py), y in zip(X, ys):
        cx, cy = (px - x0) / (x1 - x0) * size, 16 + (y1 - py) / (y1 - y0) * size
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{"#2166ac" if y > 0 else "#e66101"}" '
                     f'stroke="#fff" stroke-width="0.8"/>')
    parts.append("</svg>")
    return "".join(parts)


class LessonNetwork:
    """The Lesson's own small network: an MLP(2, [8, 1]) of tanh neurons on 30 moons points, max-margin loss,
    plain SGD at the learning rate given."""

    loss, optimizer, alpha, extent = "svm", "sgd", 1e-4, (-1.6, 2.6, -1.4, 1.9)

    def __init__(self, seed=3, learning_rate=0.5):
        self.X, self.ys = datasets.moons(n=30, noise=0.1, seed=seed)
        self.seed, self.learning_rate = seed, learning_rate
        self.reset()

    def reset(self):
        self.model = nn.MLP(2, [8, 1], activation="tanh", rng=random.Random(self.seed))
        self.steps_done = 0

    def parameters(self):
        return self.model.parameters()

    def begin_step(self):
        return engine_lesson.TrainingStep(self.model, self.X, self.ys, loss=self.loss, alpha=self.alpha,
                                          lr=self.learning_rate)

    def finish_step(self, step, failed=False):
        self.steps_done += 1

    def boundary(self, title):
        def scores(points):
            return [self.model([Value(x), Value(y)]).data for x, y in points]
        return boundary_svg(scores, self.extent, self.X, self.ys, title)


class TrainingStepPanel(pn.viewable.Viewer):
    """Step phase by phase: Next phase, Whole step, New network. `prefix` names the CSS classes of its parts
    (two panels can be on one page); finished(), if given, hears of every step completed."""

    phase = param.Integer(default=0, doc="phases run in the current step (0 .. 5)")

    def __init__(self, network=None, prefix="lesson-train", finished=None, **params):
        super().__init__(**params)
        self.network = network or LessonNetwork()
        self.prefix, self.finished = prefix, finished
        self.weight = pn.widgets.Select(label="Follow the weight", options=[], width=160,
                                        css_classes=[f"{prefix}-weight"])
        self.next_button = pn.widgets.Button(label="Next phase \u25b6", color="primary",
                                             css_classes=[f"{prefix}-next"])
        self.whole_button = pn.widgets.Button(label="Whole step", css_classes=[f"{prefix}-whole"])
        self.reset_button = pn.widgets.Button(label="New network", css_classes=[f"{prefix}-reset"])
        self.next_button.on_click(lambda _: self.next_phase())
        self.whole_button.on_click(lambda _: self.whole_step())
        self.reset_button.on_click(lambda _: self.reset())
        self.code = html_pane(f"{prefix}-code")
        self.caption = html_pane(f"{prefix}-caption")
        self.watch_table = html_pane(f"{prefix}-weight-table")
        self.before = html_pane(f"{prefix}-before")
        self.after = html_pane(f"{prefix}-after")
        self.weight.param.watch(lambda _: self._draw(), "value")
        self.predict = WeightPredictPanel(prefix, changed=lambda: self._draw())
        self.step = None
        self.refresh()

    @property
    def steps_done(self):
        return self.network.steps_done

    def refresh(self):
        """Show the next step of the network as it is now (also after it changed under the panel: a step half
        run is abandoned). The step itself begins at the first Next phase."""
        self.step, self.records = None, []   # a step half run is dropped: it changes weights only at its update
        self.lines = loop_lines(self.network.loss, self.network.optimizer, alpha=bool(self.network.alpha))
        self.start_data = [p.data for p in self.network.parameters()]
        names = [p.label for p in self.network.parameters()]
        if list(self.weight.options) != names:
            keep = self.weight.value if self.weight.value in names else ("L1N1w1" if "L1N1w1" in names else None)
            self.weight.param.update(options=names, value=keep or (names[0] if names else None))
        self.before.object = self.network.boundary(f"before step {self.network.steps_done + 1}")
        self.after.object = ""
        self.phase = 0
        self._draw()

    def reset(self):
        self.network.reset()
        self.predict.reset()
        self.refresh()

    def next_phase(self):
        if self.step is not None and self.step.done:
            self.refresh()
            return
        if self.step is None:
            self.step = self.network.begin_step()
            if self.step is None:
                self._draw(problem="This network cannot take a step now: it has no training points, or its "
                                   "training diverged (Reset starts it again).")
                return
        try:
            self.records.append(self.step.run_phase())
        except (ArithmeticError, ValueError) as error:   # an op overflowed (the engine's DomainError)
            self.network.finish_step(self.step, failed=True)
            self.step.phase = len(engine_lesson.PHASES)
            self._draw(problem=f"The engine refused an op ({error}): the step is undone.")
            return
        self.phase = self.step.phase
        if self.step.done:
            self.network.finish_step(self.step)
            self.after.object = self.network.boundary(f"after step {self.network.steps_done}")
            if self.finished is not None:
                self.finished()
        self._draw()

    def whole_step(self):
        if self.step is not None and self.step.done:
            self.refresh()
        self.next_phase()
        while self.step is not None and not self.step.done:
            self.next_phase()

    def _draw(self, problem=""):
        names = [p.label for p in self.network.parameters()]
        w = names.index(self.weight.value) if self.weight.value in names else 0
        last = self.records[-1]["phase"] if self.records else None
        now = [i for i, (phase, _) in enumerate(self.lines) if phase == last]
        self.code.object = code_html([line for _, line in self.lines], now=now)
        done = self.step is not None and self.step.done
        if problem:
            text = problem
        elif last is None:
            text = "Press Next phase to run the forward pass."
        else:
            text = PHASE_TEXT[last] + (" The step is done: Next phase starts the next one." if done else "")
        if self.records and self.records[-1]["loss"] is not None and not problem:
            text += f" Loss {self.records[-1]['loss']:.4f}, accuracy {self.records[-1]['accuracy']:.0%}."
        number = self.network.steps_done + (0 if done else 1)
        self.caption.object = (f"<p class='lesson-caption'><b>Step {number}, phase {self.phase} of "
                               f"{len(engine_lesson.PHASES)}</b>: {html.escape(text)}</p>")
        if not names:
            self.predict.ask([])
            self.watch_table.object = ""
            return
        asked = step_questions(number, names[w], w, self.start_data[w], self.records, self.step,
                               self.network.optimizer) if self.records else []
        self.predict.ask(asked)
        hidden = self.predict.hidden(asked)
        rows = [["start", f"{self.start_data[w]:.6f}", "", ""]]
        for r in self.records:
            change = ""
            data, grad = f"{r['data'][w]:.6f}", f"{r['grad'][w]:.6f}"
            if r["phase"] in ("backward", "update") and GRAD in hidden:
                grad = "?"      # predicting: the grad is the student's to work out first
            if r["phase"] == "update":
                moved = r["data"][w] - self.start_data[w]
                change = (f"-{self.step.lr:g} \u00d7 {r['grad'][w]:.6f} = {moved:+.6f}"
                          if self.network.optimizer == "sgd" else f"{moved:+.6f}")
                if hidden:      # the new value, and the move, would give away the grad or the answer
                    data, change = "?", "?"
            rows.append([r["phase"], data, grad, change])
        classes = [""] * (len(rows) - 1) + ["now"] if self.records else [""]
        self.watch_table.object = table_html(["phase", f"{names[w]}.data", f"{names[w]}.grad", "update"], rows,
                                             caption=f"The weight {names[w]} through this step", classes=classes)

    def set_enabled(self, enabled):
        """Off while the network trains by itself (the training view's Play)."""
        for button in (self.next_button, self.whole_button, self.reset_button):
            button.disabled = not enabled

    def __panel__(self):
        return pn.Column(
            control_bar(self.next_button, self.whole_button, self.reset_button, self.weight, self.predict.toggle),
            self.caption, self.predict,
            pn.FlexBox(pn.Column(self.code, self.watch_table, styles={"flex": "2 1 420px", "min-width": "0"}),
                       pn.FlexBox(self.before, self.after, styles={"flex": "1 1 360px"}), gap="12px"),
            sizing_mode="stretch_width", css_classes=[self.prefix])
