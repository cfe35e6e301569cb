"""What a click does in the training view: on the plot, add or remove a point or open a point's graph; on the
network, pick a weight to edit. The view (view.py) owns the run and redraws it; this module only edits."""
import panel as pn

from playground import bounds
from playground.bounded import RefusedNote

from . import state

CLICK_MODES = {"+ orange": "add-1", "+ blue": "add+1", "remove": "remove", "graph": "graph"}


class ClickTools:
    """The click mode, a point's graph (the button, the every-neuron box, a note) and the picked weight's field."""

    def __init__(self, view, width, half_width):
        self.view = view
        self.click_mode = pn.widgets.RadioButtonGroup(label="Click on the plot to", options=list(CLICK_MODES),
                                                      value="+ orange", color="light", width=width,
                                                      css_classes=["train-click-mode"])
        self.click_mode.param.watch(self._click_mode_changed, "value")
        self.graph_note = pn.pane.Str("", css_classes=["train-graph-note"], styles={"white-space": "pre-wrap"},
                                      sizing_mode="stretch_width")
        # A point's graph: the compact one (output neuron and loss) unless the student asks for every neuron.
        self.explain_button = pn.widgets.Button(label="Open a point's graph", width=half_width + 35,
                                                css_classes=["train-open-point"])
        self.explain_button.on_click(lambda event: self.open_point_to_explain())
        self.whole_graph = pn.widgets.Checkbox(label="every neuron", value=False, align="center", width=100,
                                               css_classes=["train-whole-graph"])
        self.weight_editor = pn.widgets.FloatInput(label="Picked weight", value=None, step=0.1, disabled=True,
                                                   width=width, css_classes=["train-weight-editor"])
        self.weight_editor.param.watch(self._weight_edited, "value")
        self.weight_note = RefusedNote("train-weight-refused")
        self._picked = None

    def plot_clicked(self, x, y, index):
        mode = CLICK_MODES[self.click_mode.value]
        s = self.view.settings
        if mode.startswith("add"):
            label = 1 if mode == "add+1" else -1
            s.added_points = s.added_points + [[round(x, 3), round(y, 3), label]]
        elif index is not None and mode == "remove":
            s.param.update(**self.view.run.removal(index))
        elif index is not None and mode == "graph":
            self._open_point_graph(index)

    def _click_mode_changed(self, event):
        # Says what a click will do; it also shows when the worker has taken the new mode (a tap sent right
        # after switching can reach Python before the switch does).
        hints = {"graph": "Click (or tap) a data point to open its graph (its loss through the network) in the graph view.",
                 "remove": "Click (or tap) a data point to remove it."}
        self.graph_note.object = hints.get(CLICK_MODES[event.new], "")

    def _open_point_graph(self, index):
        if self.view.open_graph is None or not self.view.run.has_model:
            return
        whole = self.whole_graph.value
        root, title = self.view.run.point_graph(index, whole=whole)
        self.view.open_graph(root, title)
        x = self.view.run.points[index]
        shown = ("every neuron's scalars" if whole else
                 "its output neuron and loss (tick 'every neuron' for the whole network)")
        self.graph_note.object = f"{title}.\nAt x = ({x[0]:.2f}, {x[1]:.2f}); the graph view shows {shown}."

    def open_point_to_explain(self):
        """Open the graph of a point whose gradient is not zero (controller.point_to_explain), or say why none is."""
        index = self.view.run.point_to_explain() if self.view.run.has_model else None
        if index is None:
            self.graph_note.object = ("Every training point is classified with margin: each one's max-margin loss "
                                      "is 0, so no gradient flows back. Click or tap a point (graph mode) to see one.")
            return
        self._open_point_graph(index)

    def weight_picked(self, layer, target, source):
        self._picked = (layer, target, source)
        self.weight_editor.label = f"Weight: layer {layer + 1}, neuron {target} <- input {source}"
        self.weight_editor.disabled = False
        self.weight_editor.value = self.view.run.weight(layer, target, source)

    def _weight_edited(self, event):
        if self._picked is None:
            return
        held = self.view.run.weight(*self._picked)
        if held == event.new:
            return
        try:
            if event.new is None:
                raise bounds.Refused("a weight must be a number")
            bounds.number(event.new, "a weight", -state.BIG, state.BIG)
        except bounds.Refused as error:
            self.weight_note.say(f"{error}. Kept {held:g}.")
            self.weight_editor.value = held
            return
        self.weight_note.say("")
        self.view.run.set_weight(*self._picked, event.new)
        self.view.redraw()
