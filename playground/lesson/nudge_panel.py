"""Nudge: move one leaf by h and compare the chain rule's prediction (grad * h) with a new forward pass."""
import html
import math

import panel as pn
import param

from engine import lesson as engine_lesson
from playground.graph import GraphState

from . import picture
from .common import GraphFollower, html_pane, picture_pane, table_html


class NudgePanel(pn.viewable.Viewer):
    state = param.ClassSelector(class_=GraphState)

    def __init__(self, **params):
        super().__init__(**params)
        self.leaf = pn.widgets.Select(label="Leaf", options=[], width=140, css_classes=["lesson-nudge-leaf"])
        self.h = pn.widgets.FloatInput(label="h", value=0.01, step=0.01, width=110, css_classes=["lesson-nudge-h"])
        self.button = pn.widgets.Button(label="Nudge", color="primary", css_classes=["lesson-nudge-go"])
        self.button.on_click(lambda _: self.nudge())
        self.result = html_pane("lesson-nudge-result")
        self.picture = picture_pane("lesson-nudge-picture")
        self.follower = GraphFollower(self.state, self._new_graph)
        self._new_graph()

    def _leaves(self):
        nodes = self.state.graph.trace["nodes"]
        names = picture.node_names(nodes)
        return {names[n["id"]]: n["id"] for n in nodes if not n["op"]}

    def _new_graph(self, *_):
        leaves = self._leaves()
        self.leaf.options = list(leaves)
        if self.leaf.value not in leaves:
            self.leaf.value = next(iter(leaves))
        self.nudge()

    def nudge(self):
        graph = self.state.graph
        h = self.h.value
        leaf_id = self._leaves().get(self.leaf.value)
        grads = dict(enumerate(engine_lesson.correct_grads(graph.root)))
        self.picture.object = picture.svg(graph, grads=grads, marks={leaf_id: "current"} if leaf_id is not None else {})
        if h is None or not math.isfinite(h) or h == 0 or abs(h) > 1e6:
            self.result.object = ("<p class='lesson-caption' role='alert'>h must be a number other than 0, at most "
                                  "1e6 in size.</p>")
            return
        if leaf_id is None:
            return
        r = engine_lesson.nudge(graph.root, leaf_id, h)
        names = picture.node_names(graph.trace["nodes"])
        out, leaf = names[graph.trace["nodes"][-1]["id"]], names[leaf_id]
        rows = [["predicted: grad \u00d7 h", f"{r['grad']:.6g} \u00d7 {h:g}", f"{r['predicted']:.6g}"]]
        if r["actual"] is None:
            rows.append(["actual: new forward pass", "not defined", r["error"]])
        else:
            rows.append(["actual: new forward pass", f"{r['after']:.6g} \u2212 {r['before']:.6g}", f"{r['actual']:.6g}"])
            rows.append(["difference", "", f"{r['actual'] - r['predicted']:.3g}"])
        self.result.object = (
            f"<p class='lesson-caption'>Move {html.escape(leaf)} from "
            f"{picture.fmt(graph.trace['nodes'][leaf_id]['data'])} to "
            f"{picture.fmt(graph.trace['nodes'][leaf_id]['data'] + h)}: how much does {html.escape(out)} move?</p>"
            + table_html(["change of " + out, "", "value"], rows))

    def __panel__(self):
        return pn.Column(pn.FlexBox(self.leaf, self.h, self.button), self.result, self.picture,
                         sizing_mode="stretch_width", css_classes=["lesson-nudge"])
