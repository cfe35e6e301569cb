"""One training step, whole: micrograd's loop run one phase at a time on a small network and data set.

The loop's code is shown with the line of the phase that just ran marked; one chosen weight's value and grad
are followed through the phases; the decision boundary is drawn before the step and after its update.
The engine does the work (engine.lesson.TrainingStep: engine.nn, engine.losses, engine.optim.SGD)."""
import html
import math
import random

import panel as pn
import param

from engine import Value, datasets, nn
from engine import lesson as engine_lesson

from .common import code_html, html_pane, table_html

LOOP = [
    "for k in range(steps):",
    "    scores = [model(x) for x in X]                # forward",
    "    losses = [(1 + -y * s).relu() for y, s in zip(ys, scores)]",
    "    data_loss = sum(losses) * (1.0 / len(losses))",
    "    loss = data_loss + alpha * sum(p * p for p in model.parameters())",
    "    model.zero_grad()                             # every p.grad = 0",
    "    loss.backward()                               # every p.grad = d loss / d p",
    "    for p in model.parameters():                  # the update (SGD)",
    "        p.data -= learning_rate * p.grad",
]
PHASE_LINES = {"forward": (1,), "loss": (2, 3, 4), "zero_grad": (5,), "backward": (6,), "update": (7, 8)}
PHASE_TEXT = {
    "forward": "Forward: every point goes through the network; each score is a Value with its whole graph.",
    "loss": "Loss: the max-margin loss of every point, averaged, plus the L2 penalty: one Value on top of it all.",
    "zero_grad": "zero_grad: every parameter's grad is set to 0, so the grads of the last step do not add up.",
    "backward": "Backward: loss.backward() fills every parameter's grad: how the loss changes per unit of it.",
    "update": "Update: every parameter moves a little against its grad: p.data -= learning_rate * p.grad.",
}
GRID = 16           # the boundary is drawn as GRID x GRID cells
EXTENT = (-1.6, 2.6, -1.4, 1.9)


def boundary_svg(model, X, ys, title):
    """The model's decision boundary (sign and size of its score on a grid) and the points, as SVG."""
    x0, x1, y0, y1 = EXTENT
    size = 180
    cw, ch = size / GRID, size / GRID
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 16}" role="img" '
             f'aria-label="{html.escape(title)}" style="width:100%;max-width:240px">'
             f'<text x="0" y="12" font-size="11">{html.escape(title)}</text>']
    for i in range(GRID):
        for j in range(GRID):
            px, py = x0 + (i + 0.5) * (x1 - x0) / GRID, y1 - (j + 0.5) * (y1 - y0) / GRID
            s = math.tanh(model([Value(px), Value(py)]).data)
            color = f"rgba(33,102,172,{abs(s) * 0.6:.2f})" if s > 0 else f"rgba(230,97,1,{abs(s) * 0.6:.2f})"
            parts.append(f'<rect x="{i * cw:.1f}" y="{16 + j * ch:.1f}" width="{cw + 0.2:.1f}" '
                         f'height="{ch + 0.2:.1f}" fill="{color}"/>')
    for (px, py), y in zip(X, ys):
        cx, cy = (px - x0) / (x1 - x0) * size, 16 + (y1 - py) / (y1 - y0) * size
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{"#2166ac" if y > 0 else "#e66101"}" '
                     f'stroke="#fff" stroke-width="0.8"/>')
    parts.append("</svg>")
    return "".join(parts)


class TrainingStepPanel(pn.viewable.Viewer):
    """Step phase by phase: Next phase, Whole step, New network."""

    learning_rate = param.Number(default=0.5, bounds=(0.001, 5.0))
    phase = param.Integer(default=0, doc="phases run in the current step (0 .. 5)")

    def __init__(self, seed=3, **params):
        super().__init__(**params)
        self.X, self.ys = datasets.moons(n=30, noise=0.1, seed=seed)
        self.seed = seed
        self.model = nn.MLP(2, [8, 1], activation="tanh", rng=random.Random(seed))
        self.weight = pn.widgets.Select(label="Follow the weight", options=[p.label for p in self.model.parameters()],
                                        value="L1N1w1", width=160, css_classes=["lesson-train-weight"])
        self.next_button = pn.widgets.Button(label="Next phase \u25b6", color="primary",
                                             css_classes=["lesson-train-next"])
        self.whole_button = pn.widgets.Button(label="Whole step", css_classes=["lesson-train-whole"])
        self.reset_button = pn.widgets.Button(label="New network", css_classes=["lesson-train-reset"])
        self.next_button.on_click(lambda _: self.next_phase())
        self.whole_button.on_click(lambda _: self.whole_step())
        self.reset_button.on_click(lambda _: self.reset())
        self.code = html_pane("lesson-train-code")
        self.caption = html_pane("lesson-train-caption")
        self.watch_table = html_pane("lesson-train-weight-table")
        self.before = html_pane("lesson-train-before")
        self.after = html_pane("lesson-train-after")
        self.weight.param.watch(lambda _: self._draw(), "value")
        self.steps_done = 0
        self._start_step()

    def _start_step(self):
        self.step = engine_lesson.TrainingStep(self.model, self.X, self.ys, loss="svm", alpha=1e-4,
                                               lr=self.learning_rate)
        self.records = []
        self.start_data = [p.data for p in self.model.parameters()]
        self.before.object = boundary_svg(self.model, self.X, self.ys, f"before step {self.steps_done + 1}")
        self.after.object = ""
        self.phase = 0
        self._draw()

    def reset(self):
        self.model = nn.MLP(2, [8, 1], activation="tanh", rng=random.Random(self.seed))
        self.steps_done = 0
        self._start_step()

    def next_phase(self):
        if self.step.done:
            self._start_step()
            return
        self.records.append(self.step.run_phase())
        self.phase = self.step.phase
        if self.step.done:
            self.steps_done += 1
            self.after.object = boundary_svg(self.model, self.X, self.ys, f"after step {self.steps_done}")
        self._draw()

    def whole_step(self):
        if self.step.done:
            self._start_step()
        while not self.step.done:
            self.next_phase()

    def _draw(self):
        names = [p.label for p in self.model.parameters()]
        w = names.index(self.weight.value) if self.weight.value in names else 0
        last = self.records[-1]["phase"] if self.records else None
        self.code.object = code_html(LOOP, now=PHASE_LINES.get(last, ()))
        if last is None:
            text = "Press Next phase to run the forward pass."
        else:
            text = PHASE_TEXT[last] + (" The step is done: Next phase starts the next one." if self.step.done else "")
        if self.records and self.records[-1]["loss"] is not None:
            text += f" Loss {self.records[-1]['loss']:.4f}, accuracy {self.records[-1]['accuracy']:.0%}."
        done = self.steps_done - (1 if self.step.done else 0)
        self.caption.object = (f"<p class='lesson-caption'><b>Step {done + 1}, phase {self.phase} of "
                               f"{len(engine_lesson.PHASES)}</b>: {html.escape(text)}</p>")
        rows = [["start", f"{self.start_data[w]:.6f}", "", ""]]
        for r in self.records:
            change = ""
            if r["phase"] == "update":
                change = f"-{self.learning_rate:g} \u00d7 {r['grad'][w]:.6f} = {-self.learning_rate * r['grad'][w]:+.6f}"
            rows.append([r["phase"], f"{r['data'][w]:.6f}", f"{r['grad'][w]:.6f}", change])
        classes = [""] * (len(rows) - 1) + ["now"] if self.records else [""]
        self.watch_table.object = table_html(["phase", f"{names[w]}.data", f"{names[w]}.grad", "update"], rows,
                                             caption=f"The weight {names[w]} through this step", classes=classes)

    def __panel__(self):
        return pn.Column(
            pn.FlexBox(self.next_button, self.whole_button, self.reset_button, self.weight), self.caption,
            pn.FlexBox(pn.Column(self.code, self.watch_table, styles={"flex": "2 1 420px", "min-width": "0"}),
                       pn.FlexBox(self.before, self.after, styles={"flex": "1 1 360px"}), gap="12px"),
            sizing_mode="stretch_width", css_classes=["lesson-train"])
