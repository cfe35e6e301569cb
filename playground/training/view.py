"""The training view: TensorFlow Playground's idea on our scalar engine.

This module only wires things together: widgets edit a TrainingSettings, a TrainingRun (controller.py, no
Panel in it) trains, and three Bokeh drawings show the run. Training happens a few steps at a time in a
periodic callback, so the page keeps answering while it trains, in the browser's Pyodide worker too.
"""

import time

import panel as pn
from panel.io import hold
from panel.io.callbacks import PeriodicCallback

from .controller import TrainingRun
from .curves import TrainingCurves
from .heatmap import DecisionBoundaryPlot, grid_points
from .network import NetworkPlot
from .state import TrainingSettings

TICK_MS = 40             # one tick: train, then redraw; 25 ticks a second when the worker keeps up
TRAIN_BUDGET_S = 0.025   # time spent training in one tick, so a tick stays short
# The heatmap follows every tick; the network, the curves and the status text, slower for the page to paint
# or lay out, every few.
NETWORK_EVERY = 5        # ticks between network redraws while playing (its pulses move in the page)
CURVES_EVERY = 4         # ticks between curve and status updates while playing
MAX_SILENCE_S = 1.0      # redraw at least this often, even when the page has not confirmed the last frame
CONTROL_WIDTH = 290      # pixels: the four click-mode buttons fit on one line

# Settings that only change how the next steps go; clicked points change the data but keep the network;
# any other change starts a fresh run.
LIVE_SETTINGS = ["learning_rate", "decay", "l2", "batch_size"]
POINT_EDITS = ["added_points", "removed_points"]

CLICK_MODES = {"+ orange": "add-1", "+ blue": "add+1", "remove": "remove", "graph": "graph"}


class TrainingView:
    """Build it with the settings to edit; open_graph(root), if given, shows an engine Value's graph in the graph
    view (app.py passes GraphState.load_value)."""

    def __init__(self, settings=None, open_graph=None):
        self.settings = settings or TrainingSettings()
        self.open_graph = open_graph
        self.run = TrainingRun(self.settings)
        # Sized so that the three columns fit side by side in a 1,000-pixel-wide page.
        self.boundary = DecisionBoundaryPlot(width=380, height=380)
        self.curves = TrainingCurves(width=300, height=150)
        self.network = NetworkPlot(width=300, height=260)
        self._ticks = 0
        self._last_redraw = 0.0
        self._rate_window = []   # (time, step) pairs of the last second, for steps per second
        self._callback = None

        self._build_widgets()
        self.settings.param.watch(self._settings_changed, [p for p in self.settings.param
                                                           if p not in LIVE_SETTINGS + POINT_EDITS + ["name"]])
        self.settings.param.watch(self._points_edited, POINT_EDITS)
        self.boundary.on_click(self._plot_clicked)
        self.network.on_pick(self._weight_picked)
        # Draw once the page is there: the page's first render stays small and quick.
        pn.state.onload(self._show_new_run)

    # -- widgets ------------------------------------------------------------------------------------

    def _build_widgets(self):
        s = self.settings
        self.play = pn.widgets.Toggle(label="▶ Play", color="primary", width=90, css_classes=["train-play"])
        self.step_button = pn.widgets.Button(label="Step", width=70, css_classes=["train-step"])
        self.reset_button = pn.widgets.Button(label="Reset", width=70, css_classes=["train-reset"])
        self.play.param.watch(self._play_toggled, "value")
        self.step_button.on_click(lambda event: self._step_once())
        self.reset_button.on_click(lambda event: self.reset())

        # A fixed size: new text then never makes the page lay itself out again.
        self.status = pn.pane.HTML("", css_classes=["train-status"], margin=(0, 10), width=370, height=66)
        self.graph_note = pn.pane.Str("", css_classes=["train-graph-note"])
        self.message = pn.pane.Alert("", alert_type="warning", visible=False, css_classes=["train-message"])

        self.hidden_text = pn.widgets.TextInput(label="Hidden layers (neurons per layer)",
                                                value=", ".join(map(str, s.hidden_layers)),
                                                placeholder="e.g. 16, 16 (empty: no hidden layer)",
                                                width=CONTROL_WIDTH, css_classes=["train-hidden"])
        self.hidden_text.param.watch(self._hidden_edited, "value")
        self.click_mode = pn.widgets.RadioButtonGroup(label="Click on the plot to", options=list(CLICK_MODES),
                                                      value="+ orange", color="light", width=CONTROL_WIDTH,
                                                      css_classes=["train-click-mode"])
        self.click_mode.param.watch(self._click_mode_changed, "value")
        self.regenerate = pn.widgets.Button(label="Regenerate", width=100, css_classes=["train-regenerate"])
        self.regenerate.on_click(lambda event: setattr(s, "seed", (s.seed + 1) % 2**31))
        self.clear = pn.widgets.Button(label="Clear", width=70, css_classes=["train-clear"])
        self.clear.on_click(lambda event: s.param.update(dataset="custom", added_points=[], removed_points=[]))
        self.weight_editor = pn.widgets.FloatInput(label="Picked weight", value=None, step=0.1, disabled=True,
                                                   width=CONTROL_WIDTH, css_classes=["train-weight-editor"])
        self.weight_editor.param.watch(self._weight_edited, "value")
        self._picked = None

        def field(parameter, widget=None, **kwargs):
            kwargs.setdefault("width", CONTROL_WIDTH)
            return (widget or pn.widgets.FloatInput).from_param(s.param[parameter], **kwargs)

        self.data_controls = pn.Column(
            "**Data**",
            field("dataset", pn.widgets.Select),
            field("noise", pn.widgets.FloatSlider, step=0.01),
            field("n_points", pn.widgets.IntSlider, label="Points", step=10),
            field("train_fraction", pn.widgets.FloatSlider, label="Training share", step=0.05),
            field("seed", pn.widgets.IntInput),
            pn.Row(self.regenerate, self.clear),
            "Click on the plot to add a point, remove one, or open its graph:",
            self.click_mode,
        )
        self.model_controls = pn.Column(
            "**Model**",
            self.hidden_text,
            field("activation", pn.widgets.Select),
            field("loss", pn.widgets.Select),
            "**Training**",
            field("optimizer", pn.widgets.Select),
            field("learning_rate", label="Learning rate", step=0.01, start=0.0001),  # 0 is no rate
            field("decay", label="Decay (lr / (1 + decay * step))", step=0.001),
            field("l2", label="L2 strength", step=0.0001),
            field("batch_size", pn.widgets.IntInput, label="Batch size (0: full batch)"),
            self.weight_editor,
        )

    def __panel__(self):
        controls = pn.Column(self.data_controls, self.model_controls, width=CONTROL_WIDTH + 20)
        middle = pn.Column(pn.Row(self.play, self.step_button, self.reset_button), self.status, self.message,
                           self.boundary.figure, self.graph_note)
        right = pn.Column(self.network.figure, self.curves.loss_figure, self.curves.accuracy_figure)
        return pn.Row(controls, middle, right, css_classes=["training-view"])

    # -- training -----------------------------------------------------------------------------------

    def _play_toggled(self, event):
        if event.new:
            if not self.run.ready:
                self.play.value = False
                return
            self.play.label = "❚❚ Pause"
            if self._callback is None:
                # background: no busy spinner flickering in the page header at every tick
                self._callback = PeriodicCallback(callback=self._tick, period=TICK_MS, background=True)
            self._callback.start()
        else:
            self.play.label = "▶ Play"
            if self._callback is not None:
                self._callback.stop()
            self._show_run(network=True)

    async def _tick(self):
        # Pause stops at once: a tick that was already queued does nothing.
        if not self.play.value:
            return
        self.run.train(budget_seconds=TRAIN_BUDGET_S)
        # Redraw only when the page keeps up (or has been silent for a while: never freeze the drawing).
        if self.boundary.page_is_behind() and time.perf_counter() - self._last_redraw < MAX_SILENCE_S:
            return
        self._ticks += 1
        self._show_run(network=self._ticks % NETWORK_EVERY == 0, curves=self._ticks % CURVES_EVERY == 0)
        if not self.run.ready:
            self.play.value = False

    def _step_once(self):
        if self.play.value or not self.run.ready:
            return
        self.run.train(max_steps=1)
        self._show_run(network=True)

    def reset(self):
        """A fresh run from the settings (same seed: same start)."""
        self.play.value = False
        self.run.reset()
        self._show_new_run()

    # -- drawing ------------------------------------------------------------------------------------

    def _show_new_run(self):
        run = self.run
        self.curves.clear()
        self._rate_window = []
        if run.ready or run.has_data:
            self.boundary.set_extent(run.extent)
            self.boundary.show_points(run.points, run.labels, run.is_train)
        self._show_run(network=True)

    def _show_run(self, network, curves=True):
        self._last_redraw = time.perf_counter()
        # hold(): all of a redraw's changes reach the page as one message, not one per change.
        with hold():
            self._redraw(network, curves)

    def _redraw(self, network, curves):
        run = self.run
        if run.has_model:
            if not run.diverged:
                self.boundary.show_scores(run.scores(grid_points(self.boundary.extent)))
                if curves:
                    self.curves.add(run.take_new_history())
            if network:
                self.network.draw(run.network_snapshot(), wave=run.step_count > 0)
        if curves:
            self._show_status()

    def _show_status(self):
        run = self.run
        now = time.perf_counter()
        self._rate_window = [(t, s) for t, s in self._rate_window if now - t < 1.0] + [(now, run.step_count)]
        (t0, s0), (t1, s1) = self._rate_window[0], self._rate_window[-1]
        rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
        last = run.last_metrics or {}

        def percent(key):
            value = last.get(key)
            return "–" if value is None else f"{100 * value:.1f} %"

        def number(key):
            value = last.get(key)
            return "–" if value is None else f"{value:.4f}"

        self.status.object = (
            f"<b>step</b> <span class='train-step-count'>{run.step_count}</span> · "
            f"<span class='train-rate'>{rate:.0f}</span> steps/s<br>"
            f"<b>train</b> loss {number('train_loss')}, accuracy "
            f"<span class='train-accuracy'>{percent('train_accuracy')}</span><br>"
            f"<b>test</b> loss {number('test_loss')}, accuracy {percent('test_accuracy')}")
        self.message.object = run.message
        self.message.visible = bool(run.message)

    # -- edits --------------------------------------------------------------------------------------

    def _settings_changed(self, *events):
        self.reset()

    def _points_edited(self, *events):
        if not self.run.has_model:
            self.reset()
            return
        self.run.reload_points()
        self.boundary.show_points(self.run.points, self.run.labels, self.run.is_train)
        self._show_run(network=False)

    def _hidden_edited(self, event):
        text = event.new.replace(";", ",").strip()
        try:
            layers = [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            self.run.message = "Hidden layers: write whole numbers separated by commas, like 16, 16."
            self._show_status()
            return
        self.settings.hidden_layers = layers

    def _plot_clicked(self, x, y, index):
        mode = CLICK_MODES[self.click_mode.value]
        s = self.settings
        if mode.startswith("add"):
            label = 1 if mode == "add+1" else -1
            s.added_points = s.added_points + [[round(x, 3), round(y, 3), label]]
        elif index is not None and mode == "remove":
            s.param.update(**self.run.removal(index))
        elif index is not None and mode == "graph":
            self._open_point_graph(index)

    def _click_mode_changed(self, event):
        # Says what a click will do; it also shows when the worker has taken the new mode (a tap sent right
        # after switching can reach Python before the switch does).
        hints = {"graph": "Click a data point to open its whole graph in the graph view.",
                 "remove": "Click a data point to remove it."}
        self.graph_note.object = hints.get(CLICK_MODES[event.new], "")

    def _open_point_graph(self, index):
        if self.open_graph is None or not self.run.has_model:
            return
        root, title = self.run.point_graph(index)
        self.open_graph(root)
        self.graph_note.object = f"{title}: its whole graph, down to the loss, is in the graph view."

    def _weight_picked(self, layer, target, source):
        self._picked = (layer, target, source)
        self.weight_editor.label = f"Weight: layer {layer + 1}, neuron {target} <- input {source}"
        self.weight_editor.disabled = False
        self.weight_editor.value = self.run.weight(layer, target, source)

    def _weight_edited(self, event):
        if self._picked is None or event.new is None:
            return
        if self.run.weight(*self._picked) != event.new:
            self.run.set_weight(*self._picked, event.new)
            self._show_run(network=True)
