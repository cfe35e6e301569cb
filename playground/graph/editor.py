"""The program editor: presets, the program text, Draw, the error line, and one number input per leaf."""

import html

import panel as pn
import param

from ..undo import nothing_kept
from .language import MAX_CHARS
from .presets import PRESETS
from .state import GraphState

# On a phone the program box is at most a third of the window high, so with the keyboard up its Draw button,
# right under it, is still in view.
PHONE_PROGRAM_CSS = "@media (max-width: 600px) { textarea { max-height: 33vh; } }"


class ProgramEditor(pn.viewable.Viewer):
    """Edits state.program and state.values; shows state.error. A preset replaces the program inside
    `replacing(message)` (the live document's, playground/undo.py: the old program is one Undo away)."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state, replacing=nothing_kept, **params):
        super().__init__(state=state, **params)
        self.replacing = replacing
        # At most Panel's 300 px, less in a 320 px phone (a fixed 300 px and its margins scroll the page sideways).
        self.preset = pn.widgets.Select(label="Presets", options=["(choose a preset)"] + list(PRESETS),
                                        sizing_mode="stretch_width", max_width=300)
        self.preset.param.watch(self._on_preset, "value")
        # One character more than the language takes: a longer paste is not cut silently (the browser cuts at
        # max_length without a word), the language refuses it with its message.
        self.text = pn.widgets.TextAreaInput(value=state.program, rows=14, label="Program", max_length=MAX_CHARS + 1,
                                             css_classes=["graph-program"], sizing_mode="stretch_width",
                                             stylesheets=[PHONE_PROGRAM_CSS])
        self.draw_button = pn.widgets.Button(label="Draw graph", color="primary", css_classes=["graph-draw"])
        self.draw_button.on_click(lambda _: self._load(self.text.value_input or self.text.value))
        # Leaving the editor draws too: in the Pyodide page a click can reach Python before the text typed just
        # before it, and this watcher then draws what was really typed.
        self.text.param.watch(lambda e: e.new != state.program and self._load(e.new), "value")
        self.error = pn.pane.HTML("", css_classes=["graph-error"], sizing_mode="stretch_width")
        self.leaf_inputs = pn.Column(sizing_mode="stretch_width", css_classes=["graph-leaves"],
                                     styles={"max-height": "360px", "overflow-y": "auto"})
        self.leaf_widgets = {}
        state.param.watch(self._on_error, "error")
        state.param.watch(lambda _: setattr(self.text, "value", state.program), "program")
        state.param.watch(self._on_values, "values")
        state.param.watch(self._on_graph, "graph")
        self._on_graph()
        self._on_error()
        # The editor folds away (a small frame, a phone: the drawing and its steps keep the room).
        self.fold = pn.widgets.Toggle(label="Hide the program", value=False, color="light",
                                      css_classes=["graph-editor-fold"])
        self.body = pn.Column(self.preset, self.text, self.draw_button, self.error,
                              pn.pane.HTML("<b>Leaf values</b>"), self.leaf_inputs, sizing_mode="stretch_width",
                              margin=0)
        self.fold.param.watch(self._on_fold, "value")
        self._layout = pn.Column(
            self.fold, self.body,
            sizing_mode="stretch_width", styles={"flex": "1 1 260px", "max-width": "380px"}, css_classes=["graph-editor"])

    def __panel__(self):
        return self._layout

    def _on_fold(self, event):
        self.body.visible = not event.new
        self.fold.label = "Show the program" if event.new else "Hide the program"

    def _load(self, text):
        with pn.io.hold():  # the whole answer (text, drawing, controls) reaches the page as one message
            self.state.load_program(text)

    def _on_preset(self, event):
        if event.new in PRESETS:
            with self.replacing(f"The preset \u201c{event.new}\u201d replaced your program."):
                self._load(PRESETS[event.new])

    def _leaf_changed(self, name, value):
        if value is None:   # an emptied field: it shows the value the page holds again
            self.leaf_widgets[name].value = self.state.values.get(name)
        elif value != self.state.values.get(name):
            with pn.io.hold():
                self.state.set_value(name, value)

    def _on_graph(self, *_):
        leaves = self.state.graph.leaves
        if list(leaves) != list(self.leaf_widgets):  # new set of leaves: new inputs, and a fresh view
            self.leaf_widgets = {name: pn.widgets.FloatInput(label=name, value=value, step=0.1, width=110,
                                                             css_classes=["leaf-input", f"leaf-{name}"])
                                 for name, value in leaves.items()}
            for name, widget in self.leaf_widgets.items():
                widget.param.watch(lambda e, name=name: self._leaf_changed(name, e.new), "value")
            self.leaf_inputs.objects = [pn.FlexBox(*self.leaf_widgets.values())]
        else:
            for name, widget in self.leaf_widgets.items():
                widget.value = leaves[name]

    def _on_values(self, *_):
        for name, widget in self.leaf_widgets.items():
            if name in self.state.values:
                widget.value = self.state.values[name]

    def _on_error(self, *_):
        message = self.state.error
        self.error.object = (f'<div class="graph-error-message" role="alert">{html.escape(message)}</div>'
                             if message else "")
