"""The hidden-layer editor of the training view: a text ("16, 16") and +/- buttons, both editing
TrainingSettings.hidden_layers. A text the settings' declaration refuses (17 neurons, 7 layers, words) is
refused at the field: the field shows the layers the page holds again and says why under it."""
import asyncio

import panel as pn

from playground import bounds
from playground.bounded import RefusedNote

from . import state


def soon(action):
    """Run action once the event being handled is done (at once when no event loop runs: tests)."""
    try:
        asyncio.get_running_loop().call_soon(action)
    except RuntimeError:
        action()


def layers_text(layers):
    return ", ".join(map(str, layers))


class LayerEditor(pn.viewable.Viewer):
    def __init__(self, settings, width):
        super().__init__()
        self.settings = settings
        self.text = pn.widgets.TextInput(label="Hidden layers (neurons per layer)",
                                         value=layers_text(settings.hidden_layers), placeholder="e.g. 16, 16 (empty: no hidden layer)",
                                         width=width, css_classes=["train-hidden"])
        self.text.param.watch(self._typed, "value")
        self.note = RefusedNote("train-hidden-refused")
        # +/- buttons beside the text: one pair for the number of layers, one pair per layer for its neurons.
        self.remove_button = pn.widgets.Button(label="− layer", width=80, css_classes=["train-remove-layer"])
        self.add_button = pn.widgets.Button(label="+ layer", width=80, css_classes=["train-add-layer"])
        self.remove_button.on_click(lambda event: self._edit(state.remove_layer))
        self.add_button.on_click(lambda event: self._edit(state.add_layer))
        self._rows = []      # built when first needed, one per hidden layer, reused
        self.rows = pn.Column(margin=0)
        settings.param.watch(self._changed, "hidden_layers")
        self._show_buttons()

    def __panel__(self):
        return pn.Column(self.text, self.note.pane, pn.Row(self.remove_button, self.add_button), self.rows, margin=0)

    def _typed(self, event):
        text = event.new.replace(";", ",").strip()
        try:
            layers = [int(part) for part in text.split(",") if part.strip()]
            bounds.check_param(self.settings, "hidden_layers", layers, "Hidden layers")
        except ValueError as error:   # bounds.Refused is a ValueError too
            held = layers_text(self.settings.hidden_layers)
            why = error if isinstance(error, bounds.Refused) else "write whole numbers separated by commas"
            note = f"{event.new[:40]} refused: {why}, like 16, 16. Kept {held or 'none'}."
            # Put the text back once Panel is done with the event: Enter sets value_input after value.
            soon(lambda: (self.text.param.update(value=held, value_input=held), self.note.say(note)))
            return
        self.note.say("")
        self.settings.hidden_layers = layers

    def _edit(self, edit, *args):
        """Apply one of state.py's layer edits (add_layer, remove_layer, resize_layer) to the settings."""
        self.settings.hidden_layers = edit(self.settings.hidden_layers, *args)

    def _changed(self, event):
        # The text follows the buttons (and a shared link); a text that already says it is left as typed.
        try:
            typed = [int(part) for part in self.text.value.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            typed = None
        if typed != list(event.new):
            self.text.value = layers_text(event.new)
        self._show_buttons()

    def _row(self, index):
        """The row of layer `index`: its size and a -/+ pair (built once, reused)."""
        while len(self._rows) <= index:
            k = len(self._rows)
            label = pn.pane.HTML("", width=110, margin=(8, 5), css_classes=[f"train-layer-size-{k + 1}"])
            minus = pn.widgets.Button(label="−", width=40, css_classes=["train-remove-neuron",
                                                                        f"train-remove-neuron-{k + 1}"])
            plus = pn.widgets.Button(label="+", width=40, css_classes=["train-add-neuron",
                                                                       f"train-add-neuron-{k + 1}"])
            minus.on_click(lambda event, k=k: self._edit(state.resize_layer, k, -1))
            plus.on_click(lambda event, k=k: self._edit(state.resize_layer, k, +1))
            self._rows.append(pn.Row(label, minus, plus, margin=0))
        return self._rows[index]

    def _show_buttons(self):
        layers = self.settings.hidden_layers
        rows = [self._row(k) for k in range(min(len(layers), state.MAX_HIDDEN_LAYERS))]
        for k, (row, n) in enumerate(zip(rows, layers)):
            label, minus, plus = row
            label.object = f"layer {k + 1}: {n} neuron{'s' if n != 1 else ''}"
            minus.disabled, plus.disabled = n <= 1, n >= state.MAX_NEURONS
        if self.rows.objects != rows:
            self.rows.objects = rows
        self.add_button.disabled = len(layers) >= state.MAX_HIDDEN_LAYERS
        self.remove_button.disabled = not layers
