"""Break it: the classic bugs on the current graph, side by side with the correct run.

The buggy grads come from engine.lesson.buggy_grads (the engine run the way the buggy program runs); the
gradient check compares them with finite differences and turns red where they are wrong."""
import panel as pn
import param

from engine import lesson as engine_lesson
from playground.graph import GraphState

from . import picture
from .common import GraphFollower, html_pane, table_html

EXPLAIN = {
    "overwrite": "Every _backward writes child.grad = local * out.grad instead of +=. A value used more than "
                 "once keeps only the last contribution it received.",
    "twice": "The training loop runs forward and backward again without model.zero_grad(): the leaves are "
             "the same Values, so the new grads are added to the old ones and every leaf's grad doubles.",
}


class BreakPanel(pn.viewable.Viewer):
    """Two experiments, one at a time: the correct grads left, the buggy ones right."""

    state = param.ClassSelector(class_=GraphState)
    bug = param.Selector(default="none", objects=["none"] + list(engine_lesson.BUGS))

    def __init__(self, **params):
        super().__init__(**params)
        self.choice = pn.widgets.RadioBoxGroup(
            label="Experiment", options={"no bug (the correct engine)": "none",
                                        **{f"experiment: {label}": bug for bug, label in engine_lesson.BUGS.items()}},
            value=self.bug, css_classes=["lesson-bug-choice"])
        self.choice.link(self, value="bug")
        self.param.watch(lambda e: setattr(self.choice, "value", e.new), "bug")
        self.pictures = html_pane("lesson-break-pictures")
        self.check = html_pane("lesson-break-check")
        self.follower = GraphFollower(self.state, self._draw)
        self.param.watch(self._draw, "bug")
        self._draw()

    def kept_leaves(self):
        """The program's named leaves: they outlive a forward pass (numbers inside expressions do not)."""
        leaves = self.state.graph.leaves
        return [n["id"] for n in self.state.graph.trace["nodes"] if not n["op"] and n["label"] in leaves]

    def _draw(self, *_):
        graph = self.state.graph
        root = graph.root
        correct = engine_lesson.correct_grads(root)
        names = picture.node_names(graph.trace["nodes"])
        all_ids = {n["id"]: g for n, g in zip(graph.trace["nodes"], correct)}
        if self.bug == "none":
            self.pictures.object = ("<div class='lesson-pictures'><div><h4>The correct engine (+=)</h4>"
                                    + picture.svg(graph, grads=all_ids) + "</div></div>")
            rows = engine_lesson.grad_check(correct, root)
            self.check.object = self._check_table(rows, names, "backward (+=)")
            return
        buggy = engine_lesson.buggy_grads(root, self.bug, kept=self.kept_leaves())
        wrong = {i: "wrong" for i, (g, b) in enumerate(zip(correct, buggy)) if g != b}
        self.pictures.object = (
            "<div class='lesson-pictures'>"
            f"<div><h4>The correct engine (+=)</h4>{picture.svg(graph, grads=all_ids)}</div>"
            f"<div class='lesson-experiment'><h4>Experiment: {engine_lesson.BUGS[self.bug]}</h4>"
            f"<p class='lesson-caption'>{EXPLAIN[self.bug]}</p>"
            f"{picture.svg(graph, grads=dict(enumerate(buggy)), marks=wrong)}</div></div>")
        rows = engine_lesson.grad_check(buggy, root)
        self.check.object = self._check_table(rows, names, "with the bug", correct)

    @staticmethod
    def _check_table(rows, names, column, correct=None):
        header = ["leaf", column] + (["correct"] if correct else []) + ["finite differences", "check"]
        cells, classes = [], []
        for r in rows:
            numeric = "\u2014" if r["numeric"] is None else picture.fmt(r["numeric"])
            cells.append([names[r["id"]], picture.fmt(r["grad"])] + ([picture.fmt(correct[r["id"]])] if correct else [])
                         + [numeric, "ok" if r["ok"] else "WRONG"])
            classes.append("right" if r["ok"] else "wrong")
        return table_html(header, cells, classes=classes,
                          caption="Gradient check: each leaf's grad against a finite-difference slope")

    def __panel__(self):
        return pn.Column(self.choice, self.pictures, self.check, sizing_mode="stretch_width",
                         css_classes=["lesson-break"])
