"""Edit by clicking: add a leaf, add an operation, rename or delete a node (GraphState's edits of the program).

The card sits under the graph view. A node tapped in the plot opens it where the student is looking: on a phone
or a touch screen (SHEET_CSS) as a sheet over the bottom of the window, closed again by its header; with a mouse
on a wide page it opens in place. Its rows wrap, so the card never makes the page scroll sideways.
"""

import panel as pn
import param

from .edits import OPERATIONS
from .language import OPERATORS
from .state import GraphState


# The card opened by a tap ("sheet" class) on a narrow or touch screen: fixed over the window's bottom, as wide as
# the window, scrolling inside itself. (:host styles the card's own element, from its own stylesheet.)
SHEET_CSS = """
@media (max-width: 900px), (pointer: coarse) {
  :host(.sheet) {
    position: fixed !important; left: 0 !important; right: 0 !important; bottom: 0 !important; top: auto !important;
    width: auto !important; max-height: 60vh; overflow-y: auto; z-index: 1050; margin: 0 !important;
    background: var(--bs-body-bg, #fff); box-shadow: 0 -4px 16px rgba(0, 0, 0, 0.25);
    border-radius: 12px 12px 0 0; padding-bottom: env(safe-area-inset-bottom, 0);
  }
}
"""


class EditCard(pn.viewable.Viewer):
    """A collapsible card of point-and-click edits; pick(name) makes a node the one to edit."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state, **params):
        super().__init__(state=state, **params)
        self.new_leaf_name = pn.widgets.TextInput(label="Leaf name", placeholder="x", width=100)
        self.new_leaf_value = pn.widgets.FloatInput(label="Value", value=1.0, width=90)
        add_leaf = pn.widgets.Button(label="Add leaf")
        add_leaf.on_click(lambda _: state.add_leaf(self.new_leaf_name.value, self.new_leaf_value.value))
        self.op_name = pn.widgets.TextInput(label="Name", placeholder="y", width=80)
        self.op_kind = pn.widgets.Select(label="Operation", options=list(OPERATIONS), width=90)
        self.op_left = pn.widgets.Select(label="Input", options=[], width=100)
        self.op_right = pn.widgets.TextInput(label="Second input or exponent", placeholder="b or 2", width=120)
        add_op = pn.widgets.Button(label="Add operation")
        add_op.on_click(lambda _: state.add_operation(
            self.op_name.value, self.op_kind.value,
            [self.op_left.value] + ([self.op_right.value.strip()] if self.op_kind.value in OPERATORS else [])))
        self.node_choice = pn.widgets.Select(label="Node", options=[], width=100)
        self.new_name = pn.widgets.TextInput(label="New name", width=100)
        rename = pn.widgets.Button(label="Rename")
        rename.on_click(lambda _: state.rename(self.node_choice.value, self.new_name.value))
        delete = pn.widgets.Button(label="Delete", color="danger")
        delete.on_click(lambda _: state.delete(self.node_choice.value))
        def row(*widgets):   # wraps on a narrow page; buttons sit at the fields' bottom line
            return pn.FlexBox(*widgets, flex_wrap="wrap", align_items="flex-end", sizing_mode="stretch_width")
        self.card = pn.Card(
            row(self.new_leaf_name, self.new_leaf_value, add_leaf),
            row(self.op_name, self.op_kind, self.op_left, self.op_right, add_op),
            row(self.node_choice, self.new_name, rename, delete),
            title="Edit by clicking", collapsed=True, sizing_mode="stretch_width",
            css_classes=["graph-edit-card"], stylesheets=[SHEET_CSS])
        self.card.param.watch(self._on_collapsed, "collapsed")
        state.param.watch(self._on_graph, "graph")
        self._on_graph()

    def __panel__(self):
        return self.card

    def pick(self, name):
        """`name` becomes the node to rename or delete and the first input of a new operation; the card opens."""
        if name in self.node_choice.options:
            self.node_choice.value = self.op_left.value = name
            self.card.param.update(collapsed=False, css_classes=["graph-edit-card", "sheet"])

    def _on_collapsed(self, event):
        if event.new:   # closed: back in its place under the view
            self.card.css_classes = ["graph-edit-card"]

    def _on_graph(self, *_):
        graph = self.state.graph
        names = list(graph.leaves) + [n["label"] for n in graph.trace["nodes"]
                                      if n["op"] and n["label"] and n["label"] not in graph.leaves]
        for select in (self.op_left, self.node_choice):
            select.options = list(dict.fromkeys(names))
            if select.value not in select.options:
                select.value = select.options[-1]
