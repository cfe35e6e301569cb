"""The code panel: backward run one `_backward` call at a time, with micrograd's code and this step's numbers.

Left, the graph: every box keeps its number in topological order; the node whose `_backward` runs is marked,
its inputs and the edges its grad travels too. Right, the loop `for v in reversed(topo): v._backward()` with
the current v, the closure of v's op (lines from the engine's op table, numbers filled in), each input's local
derivative as a formula and a value, and (expanded) each addition to an input's grad."""
import html

import panel as pn
import param

import engine
from playground.graph import GraphState
from playground.graph.drawing import is_constant

from . import code, picture
from .common import GraphFollower, code_html, control_bar, html_pane, picture_pane, stepper, table_html


def _signed(x):
    """A number after a plus sign: (-3.0), not + -3.0."""
    text = code.number_text(x)
    return f"({text})" if text.startswith("-") else text


class CodePanel(pn.viewable.Viewer):
    state = param.ClassSelector(class_=GraphState)
    step = param.Integer(default=0, bounds=(0, 0), doc="0: before backward; 1: the seed; then one per _backward")
    expanded = param.Boolean(default=False, doc="show each addition to an input's grad")

    def __init__(self, **params):
        super().__init__(**params)
        self.picture = picture_pane("lesson-code-picture")
        self.loop = html_pane("lesson-code-loop")
        self.closure = html_pane("lesson-code-closure")
        self.details = html_pane("lesson-code-details")
        self.order = html_pane("lesson-code-order")
        self.counter = html_pane("lesson-code-counter")
        self.expand = pn.widgets.Checkbox(label="Show each addition", value=self.expanded,
                                          css_classes=["lesson-code-expand"])
        self.expand.link(self, value="expanded")
        self.controls = stepper(self, "step", "lesson-code")
        self.follower = GraphFollower(self.state, self._new_graph)
        self.param.watch(self._draw, ["step", "expanded"])
        self._new_graph()

    def _new_graph(self, *_):
        graph = self.state.graph
        self.trace = graph.trace
        self.steps = code.backward_steps(self.trace, engine.backward_events(graph.root))
        self.names = code.code_names(self.trace["nodes"])
        self.param["step"].bounds = (0, len(self.steps))
        if self.step == 0:
            self._draw()
        self.step = 0

    def _draw(self, *_):
        graph, names, k = self.state.graph, self.names, self.step
        numbers = {n["id"]: n["id"] for n in self.trace["nodes"]}
        self.counter.object = f"<b>Step {k} of {len(self.steps)}</b>"
        if k == 0:
            self.picture.object = picture.svg(graph, numbers=numbers)
            self.loop.object = code_html(code.LOOP, now=(1,))
            self.closure.object = ("<p class='lesson-caption'>Before backward every grad is 0. Next sets the "
                                   "output's grad to 1.0, then calls each node's _backward, highest number first.</p>")
            self.details.object = ""
            self.order.object = self._order_table(None)
            return
        s = self.steps[k - 1]
        marks = {s["node"]: "current"}
        marks.update({line["input"]: "input" for line in s["lines"]})
        active = {(s["node"], slot) for slot in range(len(s["lines"]))}
        self.picture.object = picture.svg(graph, grads=s["grads"], numbers=numbers, marks=marks, active_edges=active)
        if k == 1:
            self.loop.object = code_html(code.LOOP, now=(code.SEED_LINE,),
                                         notes={code.SEED_LINE: f"{names[s['node']]}.grad = 1.0"})
            self.closure.object = (f"<p class='lesson-caption'>The output {html.escape(names[s['node']])} gets grad "
                                   "1.0: d out / d out = 1.</p>")
            self.details.object = ""
        else:
            v = f"v = {names[s['node']]} (number {s['node']})"
            self.loop.object = code_html(code.LOOP, now=(code.CALL_LINE,), notes={code.CALL_LINE: v})
            if s["op"] is None:
                self.closure.object = (f"<p class='lesson-caption'>{html.escape(s['header'])} (micrograd's "
                                       "<code>lambda: None</code>).</p>")
                self.details.object = ""
            else:
                lines, notes = code.closure_code(s, names)
                self.closure.object = code_html(lines, now=tuple(notes), notes=notes, below=True)
                self.details.object = self._details(s)
        self.order.object = self._order_table(s["node"])

    def _details(self, s):
        out = self.names[s["node"]]
        rows = [[f"d{out}/d{self.names[line['input']]}", line["formula"], code.number_text(line["local"]),
                 code.number_text(line["contribution"])] for line in s["lines"]]
        text = table_html(["local derivative", "formula", "value", "\u00d7 out.grad"], rows)
        if self.expanded:
            adds = [[f"{self.names[line['input']]}.grad",
                     f"{code.number_text(line['grad_before'])} + {_signed(line['contribution'])}",
                     code.number_text(line["grad_after"])] for line in s["lines"]]
            text += table_html(["grad", "before + contribution", "after"], adds, caption="each addition (+=)")
        return text

    def _order_table(self, current):
        rows = [[n["id"], self.names[n["id"]], n["op"] or ("constant" if is_constant(n) else "leaf")]
                for n in reversed(self.trace["nodes"])]
        classes = ["now" if r[0] == current else "" for r in rows]
        return table_html(["number", "node", "op"], rows, classes=classes,
                          caption="reversed(topo): the order backward calls _backward")

    def __panel__(self):
        return pn.Column(control_bar(self.controls, self.counter, self.expand), pn.FlexBox(
            pn.Column(self.picture, styles={"flex": "3 1 420px", "min-width": "0"}),
            pn.Column(self.loop, self.closure, self.details, self.order, styles={"flex": "2 1 340px", "min-width": "0"}),
            gap="12px"), sizing_mode="stretch_width", css_classes=["lesson-code-panel"])
