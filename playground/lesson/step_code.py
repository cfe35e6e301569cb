"""StepCode: micrograd's code under the graph view, in step with its backward animation.

The graph view's animation shows one gradient contribution per step (GraphState.step, which the page's slider
keeps up to date while it plays). StepCode shows the code that made that contribution: the loop
`for v in reversed(topo): v._backward()` with the current v (`v = topo[4]`, the number on its box in the graph
view), the run of reversed(topo) so far, and v's closure (from the op table, this step's numbers filled in)
with the line of this contribution marked."""
import html

import panel as pn
import param

import engine
from playground.graph import GraphState

from . import code
from .common import GraphFollower, code_html, html_pane


RUN_WINDOW = (3, 8)  # a long run of reversed(topo) shows this many nodes before and after the current one


def topo_run(nodes, names, current=None, started=False):
    """reversed(topo) as a line of text: the nodes whose _backward ran, the current one (marked), the rest.
    `current`: the id (= index in topo) of the node whose _backward runs; None before the first call
    (`started`: the output's grad is set). Leaves are marked: their _backward does nothing."""
    ids = [n["id"] for n in reversed(nodes)]
    leaves = {n["id"] for n in nodes if not n["op"]}
    at = ids.index(current) if current is not None else (0 if started else -1)
    lo, hi = max(0, at - RUN_WINDOW[0]), min(len(ids), max(at, 0) + RUN_WINDOW[1] + 1)
    parts = ["…"] if lo else []
    for i in ids[lo:hi]:
        text = html.escape(f"topo[{i}] {names[i]}") + (" (leaf)" if i in leaves else "")
        if i == current:
            parts.append(f"<mark class='now' aria-current='step'>{text}</mark>")
        elif current is not None and i > current:
            parts.append(f"<span class='done'>{text} ✓</span>")
        else:
            parts.append(f"<span>{text}</span>")
    parts += ["…"] if hi < len(ids) else []
    return ("<p class='lesson-caption step-code-order'><code>reversed(topo)</code>: " + ", ".join(parts)
            + "</p>")


def place(graph_steps, k):
    """Where animation step k (0 = before backward, 1 = the seed) is in the code: (giver node or None, slot)."""
    if k <= 1:
        return None, None
    s = graph_steps[k - 1]
    return s["from"], s["slot"]


class StepCode(pn.viewable.Viewer):
    state = param.ClassSelector(class_=GraphState)

    def __init__(self, **params):
        super().__init__(**params)
        self.loop = html_pane("step-code-loop")
        self.closure = html_pane("step-code-closure")
        self.order = html_pane("step-code-order")
        self.follower = GraphFollower(self.state, self._new_graph)
        self.state.param.watch(self._draw, "step")
        self._new_graph()

    def _new_graph(self, *_):
        graph = self.state.graph
        self.steps = code.backward_steps(graph.trace, engine.backward_events(graph.root))
        self.by_node = {s["node"]: s for s in self.steps[1:]}
        self.names = code.code_names(graph.trace["nodes"])
        self._draw()

    def _draw(self, *_):
        k = min(self.state.step, len(self.state.graph.steps))
        node, slot = place(self.state.graph.steps, k)
        self.order.object = topo_run(self.state.graph.trace["nodes"], self.names, node, started=k > 0)
        if k == 0:
            self.loop.object = code_html(code.LOOP, now=(1,))
            self.closure.object = ("<p class='lesson-caption'>Press Step or Play: the code that runs at each step "
                                   "of backward appears here.</p>")
        elif node is None:
            out = self.steps[0]["node"]
            self.loop.object = code_html(code.LOOP, now=(code.SEED_LINE,),
                                         notes={code.SEED_LINE: f"{self.names[out]}.grad = 1.0"})
            self.closure.object = ""
        else:
            s = self.by_node[node]
            self.loop.object = code_html(code.LOOP, now=(code.CALL_LINE,),
                                         notes={code.CALL_LINE: f"v = topo[{node}] = {self.names[node]}"})
            lines, notes = code.closure_code(s, self.names)
            now = sorted(notes)[slot]
            line = s["lines"][slot]
            self.closure.object = (code_html(lines, now=(now,), notes=notes, below=True)
                                   + f"<p class='lesson-caption'>local derivative d{html.escape(self.names[node])}/d"
                                   f"{html.escape(self.names[line['input']])} = {html.escape(line['formula'])} = "
                                   f"{code.number_text(line['local'])}</p>")

    def __panel__(self):
        return pn.Card(pn.FlexBox(pn.Column(self.loop, self.order, styles={"flex": "1 1 300px"}),
                                  pn.Column(self.closure, styles={"flex": "2 1 420px", "min-width": "0"}), gap="12px"),
                       title="micrograd's code at this step", sizing_mode="stretch_width",
                       css_classes=["step-code"])
