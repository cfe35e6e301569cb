"""The gradient check: each leaf's grad from backward beside the slope from finite differences (engine.gradcheck)."""

import html

import panel as pn
import param

import engine

from .drawing import display_names
from .state import GraphState


class GradientCheck(pn.viewable.Viewer):
    """A button, and the table it makes for state.graph (cleared when the graph changes)."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state, **params):
        super().__init__(state=state, **params)
        self.button = pn.widgets.Button(label="Gradient check", css_classes=["graph-gradcheck"])
        self.button.on_click(lambda _: self.check())
        self.result = pn.pane.HTML("", css_classes=["graph-gradcheck-result"])
        state.param.watch(self._on_graph, "graph")
        self._layout = pn.Column(self.button, self.result, sizing_mode="stretch_width", margin=0)

    def __panel__(self):
        return self._layout

    def _on_graph(self, *_):
        self.result.object = ""

    def check(self):
        graph = self.state.graph
        names = display_names(graph.trace["nodes"])
        body = "".join(
            f"<tr><th scope='row'>{html.escape(names[r['id']])}</th><td>{r['analytic']:.6f}</td>"
            + (f"<td>{r['numeric']:.6f}</td><td>{abs(r['analytic'] - r['numeric']):.2e}</td></tr>"
               if r["numeric"] is not None else "<td>\u2014</td><td>\u2014</td></tr>")  # no nudge stays in the domain
            for r in engine.gradcheck(graph.root))
        self.result.object = (
            "<table class='graph-gradcheck-table'><caption>Each leaf's grad: backward against finite differences"
            "</caption><thead><tr><th scope='col'>leaf</th><th scope='col'>backward</th><th scope='col'>finite "
            f"differences</th><th scope='col'>difference</th></tr></thead><tbody>{body}</tbody></table>")
