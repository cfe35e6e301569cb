"""build_topo, shown: micrograd's depth-first sort stepped through on the current graph.

Each step is one event of engine.lesson.topo_events: visit a node (mark it, recurse into its inputs), find an
input already visited, or append a node to topo, which gives it its number. The numbers stay on the boxes;
the last step says that backward runs them in reverse."""
import html

import panel as pn
import param

from engine import lesson as engine_lesson
from playground.graph import GraphState
from playground.graph.topo_steps import topo_captions

from . import picture
from .common import GraphFollower, code_html, control_bar, html_pane, picture_pane, stepper, table_html

BUILD_TOPO = [
    "topo, visited = [], set()",
    "def build_topo(v):",
    "    if v not in visited:",
    "        visited.add(v)",
    "        for child in v._prev:",
    "            build_topo(child)",
    "        topo.append(v)",
    "build_topo(root)",
]
LINES = {"visit": (2, 3, 4), "seen": (2,), "append": (6,)}  # the lines each kind of event runs


def scene(graph, events, k):
    """What step k (0 = before the sort) shows: {"numbers", "marks", "lines", "caption", "stack", "topo"}."""
    names = picture.node_names(graph.trace["nodes"])
    shown = events[:k]
    numbers = {e["node"]: e["number"] for e in shown if e["event"] == "append"}
    marks = {e["node"]: "seen" for e in shown if e["event"] == "visit"}
    stack = []
    for e in shown:                       # the calls still open after these events
        if e["event"] == "visit":
            stack.append(e["node"])
        elif e["event"] == "append":
            stack.pop()
    topo = [e["node"] for e in shown if e["event"] == "append"]
    if k == 0:
        return {"numbers": {}, "marks": {}, "lines": (7,), "stack": [], "topo": [],
                "caption": f"Press Next: build_topo starts at the output, {names[events[0]['node']]}."}
    e = events[k - 1]
    marks[e["node"]] = "current"
    inputs = {n["id"]: n["inputs"] for n in graph.trace["nodes"]}
    caption = topo_captions(events, names, inputs)[k - 1]
    return {"numbers": numbers, "marks": marks, "lines": LINES[e["event"]], "caption": caption,
            "stack": stack, "topo": topo}


class TopoPanel(pn.viewable.Viewer):
    """The build_topo mode: the sort's code with the running line marked, the graph with numbers."""

    state = param.ClassSelector(class_=GraphState)
    step = param.Integer(default=0, bounds=(0, 0))

    def __init__(self, **params):
        super().__init__(**params)
        self.picture = picture_pane("lesson-topo-picture")
        self.code = html_pane("lesson-topo-code")
        self.caption = html_pane("lesson-topo-caption")
        self.table = html_pane("lesson-topo-table")
        self.counter = html_pane("lesson-topo-counter")
        self.controls = stepper(self, "step", "lesson-topo")
        self.follower = GraphFollower(self.state, self._new_graph)
        self.param.watch(self._draw, "step")
        self._new_graph()

    def _new_graph(self, *_):
        self.events = engine_lesson.topo_events(self.state.graph.root, self.state.graph.trace)
        self.param["step"].bounds = (0, len(self.events))
        if self.step == 0:
            self._draw()
        self.step = 0

    def _draw(self, *_):
        graph = self.state.graph
        s = scene(graph, self.events, self.step)
        names = picture.node_names(graph.trace["nodes"])
        self.picture.object = picture.svg(graph, numbers=s["numbers"], marks=s["marks"])
        self.code.object = code_html(BUILD_TOPO, now=s["lines"])
        self.counter.object = f"<b>Step {self.step} of {len(self.events)}</b>"
        self.caption.object = f'<p class="lesson-caption">{html.escape(s["caption"])}</p>'
        calls = " \u2192 ".join(names[i] for i in s["stack"]) or "(none)"
        rows = [(n, names[n]) for n in s["topo"]]
        self.table.object = (f"<p class='lesson-caption'>open calls: {html.escape(calls)}</p>"
                             + table_html(["number", "node"], rows, caption="topo (numbers in order)"))

    def __panel__(self):
        return pn.Column(control_bar(self.controls, self.counter), self.caption,
                         pn.FlexBox(pn.Column(self.picture, styles={"flex": "3 1 420px", "min-width": "0"}),
                                    pn.Column(self.code, self.table, styles={"flex": "1 1 280px"}), gap="12px"),
                         sizing_mode="stretch_width", css_classes=["lesson-topo"])
