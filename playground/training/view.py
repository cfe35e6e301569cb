"""The training view: TensorFlow Playground's idea on our scalar engine.

This module only wires things together: widgets edit a TrainingSettings, a TrainingRun (controller.py, no
Panel in it) trains, three Bokeh drawings show the run; clicks.py edits points and weights, phase_step.py runs
one step phase by phase. Training happens a few steps at a time in a periodic callback, so the page keeps
answering while it trains, in the browser's Pyodide worker too.

Where the worker's time goes while playing (bench/training_bench.py measures it in the page): it trains until
the next frame is due (REDRAW_EVERY_S after the last), then computes the heatmap and sends it; the page paints it
on its own thread. Ticks follow each other at once, the worker taking the page's messages (a Pause) between
them, so most of its time is training. The curves (their axes' text costs the page ~35 ms a paint), the network
and the status are sent on their own, slower clocks, so a frame is mostly the heatmap.
"""

import time

import panel as pn
import param
from panel.io import hold
from panel.io.callbacks import PeriodicCallback

from playground import fast_lane
from playground.bounded import BoundedInput
from playground.page import start_here
from playground.undo import nothing_kept

from .clicks import ClickTools
from .colors import BLUE, ORANGE
from .controller import TrainingRun, grid_points
from .curves import TrainingCurves
from .data_tools import DataTools
from .heatmap import GRID_SIZE, DecisionBoundaryPlot
from .layers import LayerEditor, soon
from .network import THUMBNAIL_GRID, NetworkPlot
from .phase_step import PhaseSteps
from .status import status_html
from .state import LIVE_SETTINGS, POINT_EDITS, TrainingSettings

TICK_MS = 1              # one tick: train, redraw if a frame is due; the next follows once the page's messages are in
REDRAW_EVERY_S = 0.08    # the heatmap at most ~12 times a second; the worker trains in between
# Time spent training in one tick: until the next frame is due, within these bounds. Short, because a click
# waits for the tick in progress several times over: the page holds it until the worker has taken the page's
# last message (a frame's receipt), and Python takes each message in a few asyncio hops, a tick between each.
MIN_TRAIN_S, MAX_TRAIN_S = 0.01, 0.02
# The heatmap is every frame; the rest, costlier for the page to paint or lay out, on slower clocks.
STATUS_EVERY_S = 0.25    # the status text (step counter, steps per second, accuracy)
CURVES_EVERY_S = 1.0     # the loss and accuracy curves (each update repaints both, ~25 ms each)
NETWORK_EVERY_S = 0.5    # the network's weights, its neurons' pictures, a new gradient wave
SLOW_PART_FRAMES = 5     # and at most every 5th frame: on a busy machine the heatmap keeps most of the frames
# part: (at most every so many seconds, at most every so many frames)
CLOCKS = {"status": (STATUS_EVERY_S, 1), "curves": (CURVES_EVERY_S, SLOW_PART_FRAMES),
          "network": (NETWORK_EVERY_S, SLOW_PART_FRAMES)}
MAX_SILENCE_S = 1.0      # redraw at least this often, even when the page has not confirmed the last frame
HIDDEN_EVERY_S = 1.0     # another tab shown: the run trains on and reports its step this often, drawing nothing
# Layout, in pixels: three columns of these widths fit side by side on a 1024-pixel-wide page.
COLUMN_WIDTH = 270       # the data and the model columns (the four click-mode buttons fit on one line)
HALF_WIDTH = COLUMN_WIDTH // 2 - 20   # two fields side by side, with their margins
PLOT_SIZE = 340          # the decision-boundary plot (square)
# Below three columns' width the output column (the plot Play changes) comes first.
NARROW_CSS = "@media (max-width: 1000px) { .train-output { order: -1; } }"
# A phone on its side (a short, wide window): the buttons in a column at the left and the plot beside them, at
# the top, instead of under two rows of buttons with a third of it on screen.
LANDSCAPE_CSS = """
@media (max-height: 500px) and (min-width: 600px) {
  :host { flex-direction: row !important; flex-wrap: wrap !important; align-items: flex-start; }
  .train-bar { width: 240px !important; flex: 0 0 240px; }
  .train-columns { width: auto !important; flex: 1 1 0; min-width: 0; }
  .train-phases { flex: 0 0 100%; }
}
"""
# A setting that starts a fresh run, in the words of the Undo bar ("Changing the noise started a new run.").
SETTING_WORDS = {"dataset": "the data set", "noise": "the noise", "n_points": "the number of points",
                 "seed": "the seed", "train_fraction": "the training share", "hidden_layers": "the hidden layers",
                 "activation": "the activation", "loss": "the loss", "optimizer": "the optimizer"}
START_HERE = (
    "<b>Start here:</b> press <b>▶ Play</b> and watch the network learn to separate the "
    f"<span style='color:{BLUE}'>●</span> blue points (label +1) from the <span style='color:{ORANGE}'>●</span> "
    "orange ones (label −1); the background is its prediction. To see backpropagation for one point, choose "
    "<b>graph</b> under <i><span class='on-mouse'>Click</span><span class='on-touch'>Tap</span> on the plot to</i>, "
    "then <span class='on-mouse'>click</span><span class='on-touch'>tap</span> a point.")


def heading(text):
    """A column's title (HTML, not Markdown: its parser costs the page's start time)."""
    return pn.pane.HTML(f"<b>{text}</b>", margin=(6, 10, 0, 10))


class TrainingView(pn.viewable.Viewer):
    """Build it with the settings to edit; open_graph(root, title), if given, shows an engine Value's graph in the
    graph view (app.py passes GraphState.load_value); run_changed(step), if given, hears of every change of the
    run (a step, a reset, an edited weight: the live document keeps it). restore(step, weights) brings the run
    to a shared point; weights() gives the run's weights. replacing(message), if given, is the live document's
    (playground/undo.py): what throws away the run or the points (Reset, Clear, Regenerate, a CSV import) runs
    inside it, so the student can undo it."""

    def __init__(self, settings=None, open_graph=None, run_changed=None, replacing=nothing_kept):
        super().__init__()
        self.settings = settings or TrainingSettings()
        self.open_graph = open_graph
        self.run_changed = run_changed
        self.replacing = replacing
        self.run = TrainingRun(self.settings)
        # Sized so that the three columns fit side by side in a 1,000-pixel-wide page.
        self.boundary = DecisionBoundaryPlot(width=PLOT_SIZE, height=PLOT_SIZE + 30)
        self.curves = TrainingCurves(width=PLOT_SIZE // 2, height=140)
        self.network = NetworkPlot(width=COLUMN_WIDTH, height=260)
        self._last_redraw = 0.0
        self._last_shown = {"status": 0.0, "curves": 0.0, "network": 0.0}  # when each part was last sent
        self._frames = 0                                                       # heatmap frames sent
        self._last_frame = {"status": 0, "curves": 0, "network": 0}           # at which frame each part was
        self._rate_window = []   # (time, step) pairs of the last second, for steps per second
        self._callback = None
        self.on_screen = True   # app.py says when another tab hides the view (set_on_screen)
        self._grid = (None, None)   # (the plot's box, the heatmap's cell centres in it)
        self._changing = False      # a setting's change is being made again inside replacing()

        self._build_widgets()
        self.settings.param.watch(self._settings_changed, [p for p in self.settings.param
                                                           if p not in LIVE_SETTINGS + POINT_EDITS + ["name"]])
        self.settings.param.watch(self._points_edited, POINT_EDITS)
        self.boundary.on_click(self.clicks.plot_clicked)
        self.network.on_pick(self.clicks.weight_picked)
        # Draw once the page is there: the page's first render stays small and quick.
        pn.state.onload(self._show_new_run)

    # -- widgets ------------------------------------------------------------------------------------

    def _build_widgets(self):
        s = self.settings
        # Two buttons, never a relabelled one: a new label makes the page lay itself out again, all of it,
        # which on a busy machine made Pause answer a second late; enabling a button costs the page nothing.
        self.play_button = pn.widgets.Button(label="▶ Play", color="primary", width=80,
                                             css_classes=["train-play"])
        self.pause_button = pn.widgets.Button(label="❚❚ Pause", width=90, disabled=True,
                                              css_classes=["train-pause"])
        self.step_button = pn.widgets.Button(label="Step", width=70, css_classes=["train-step"])
        self.reset_button = pn.widgets.Button(label="Reset", width=70, css_classes=["train-reset"])
        self.playing = False
        self.play_button.on_click(lambda event: self.play())
        self.pause_button.on_click(lambda event: self.pause())
        fast_lane.register("train-pause", self.pause, self.pause_button)   # also past the queued frame receipts
        fast_lane.register("train-play", self.play, self.play_button)   # an embed seen again plays on (embed-frame.js)
        self.step_button.on_click(lambda event: self._step_once())
        self.reset_button.on_click(lambda event: self._keeping("Reset put the training run back to step 0.",
                                                               self.reset))

        # A fixed size: new text then never makes the page lay itself out again.
        self.status = pn.pane.HTML("", css_classes=["train-status"], margin=(0, 10), width=290, height=66)
        self.message = pn.pane.Alert("", alert_type="warning", visible=False, css_classes=["train-message"])

        self.regenerate = pn.widgets.Button(label="Regenerate", width=95, margin=(5, 5), css_classes=["train-regenerate"])
        self.regenerate.on_click(lambda event: self._keeping("Regenerate made new data and a new run.",
                                                             setattr, s, "seed", (s.seed + 1) % 2**31))
        self.clear = pn.widgets.Button(label="Clear", width=60, margin=(5, 5), css_classes=["train-clear"])
        self.clear.on_click(lambda event: self._keeping("Clear removed every point.", s.param.update,
                                                        dataset="custom", added_points=[], removed_points=[]))
        # What a click on the plot or on the network does (clicks.py); its widgets keep their names here.
        self.clicks = ClickTools(self, COLUMN_WIDTH, HALF_WIDTH)
        for name in ("click_mode", "graph_note", "explain_button", "whole_graph", "weight_editor", "weight_note"):
            setattr(self, name, getattr(self.clicks, name))
        # The hidden layers: a text and +/- buttons (layers.py); its parts keep their names here.
        self.layers = LayerEditor(s, COLUMN_WIDTH)
        self.hidden_text, self.hidden_note = self.layers.text, self.layers.note
        self.add_layer_button, self.remove_layer_button = self.layers.add_button, self.layers.remove_button
        self.layer_rows = self.layers.rows

        def field(parameter, widget=None, **kwargs):
            kwargs.setdefault("width", HALF_WIDTH)
            return (widget or pn.widgets.FloatInput).from_param(s.param[parameter], **kwargs)

        self.fields = {}   # the typed number fields, by setting

        def bounded(parameter, widget=pn.widgets.FloatInput, **kwargs):
            # Typed numbers: refused at the field when the settings' declaration refuses them.
            kwargs.setdefault("width", HALF_WIDTH)
            self.fields[parameter] = BoundedInput(s, parameter, widget, **kwargs)
            return self.fields[parameter]

        # One step phase by phase, with micrograd's loop (phase_step.py): built when first opened.
        self.phases = PhaseSteps(self)
        # CSV import and export, the model file, pictures (data_tools.py): a drawer, closed at first.
        self.data_tools = DataTools(self, COLUMN_WIDTH)
        # Two fields a row: the whole view fits one 1280 x 800 screen.
        self.data_controls = pn.Column(
            heading("Data"),
            pn.Row(field("dataset", pn.widgets.Select, css_classes=["train-dataset"]),
                   field("train_fraction", pn.widgets.FloatSlider, label="Training share", step=0.05)),
            pn.Row(field("noise", pn.widgets.FloatSlider, step=0.01),
                   field("n_points", pn.widgets.IntSlider, label="Points", step=10)),
            pn.Row(bounded("seed", pn.widgets.IntInput, width=80), self.regenerate, self.clear),
            # the pointer's own word: the page's touch.css shows one of the two (playground/a11y/touch.css)
            pn.pane.HTML("<span class='on-mouse'>Click</span><span class='on-touch'>Tap</span> on the plot to:",
                         margin=(4, 10, 0, 10)),
            self.click_mode,
            pn.Row(self.explain_button, self.whole_graph),
            self.data_tools.panel,   # opened by its toggle in the bar (no height taken while closed)
            width=COLUMN_WIDTH, margin=0,
        )
        self.model_controls = pn.Column(
            heading("Model"),
            self.layers,
            pn.Row(field("activation", pn.widgets.Select), field("loss", pn.widgets.Select)),
            width=COLUMN_WIDTH, margin=0,
        )
        self.training_controls = pn.Column(
            heading("Training"),
            pn.Row(field("optimizer", pn.widgets.Select),
                   bounded("learning_rate", label="Learning rate", step=0.01)),
            pn.Row(bounded("decay", label="Decay", step=0.001,
                           description="The learning rate at step k is learning_rate / (1 + decay * k)."),
                   bounded("l2", label="L2 strength", step=0.0001)),
            pn.Row(bounded("batch_size", pn.widgets.IntInput, label="Batch (0: all)")),
            width=COLUMN_WIDTH, margin=0,
        )

    def __panel__(self):
        # Three columns, as TensorFlow Playground: the data, the network, what it outputs. They wrap (a flex
        # box) on narrower pages, the output column first below, so nothing needs scrolling sideways.
        bar = pn.FlexBox(self.play_button, self.pause_button, self.step_button, self.reset_button, self.status,
                         self.phases.toggle, self.data_tools.toggle,
                         flex_wrap="wrap", css_classes=["train-bar"], sizing_mode="stretch_width", margin=0)
        network = pn.Column(self.model_controls, self.network.figure, self.weight_editor, self.weight_note.pane,
                            width=COLUMN_WIDTH + 20,
                            margin=0)
        # The plot keeps its size down to phone widths, where it shrinks (staying square) and the curves stack.
        plot = self.boundary.figure
        plot.sizing_mode, plot.max_width, plot.min_width = "scale_width", PLOT_SIZE, 200
        curves = pn.FlexBox(self.curves.loss_figure, self.curves.accuracy_figure, flex_wrap="wrap", margin=0)
        output = pn.Column(self.message, plot, self.graph_note, self.curves.legend, curves,
                           sizing_mode="stretch_width", max_width=PLOT_SIZE + 20, margin=0,
                           styles={"flex": f"1 1 {PLOT_SIZE // 2}px"}, css_classes=["train-output"])
        controls = pn.Column(self.data_controls, self.training_controls, width=COLUMN_WIDTH + 20, margin=0)
        columns = pn.FlexBox(controls, network, output, flex_wrap="wrap", gap="0 16px",
                             sizing_mode="stretch_width", margin=0, stylesheets=[NARROW_CSS], css_classes=["train-columns"])
        return pn.Column(start_here(START_HERE), bar, columns, self.phases.area, css_classes=["training-view"],
                         sizing_mode="stretch_width", stylesheets=[LANDSCAPE_CSS])

    def hide(self, parts):
        """Hide the named parts ("controls": data, model and training settings; "curves": loss and accuracy),
        show the others; other names are not this view's."""
        for part, components in (("controls", [self.data_controls, self.model_controls, self.training_controls,
                                               self.data_tools.toggle]),
                                 ("curves", [self.curves.legend, self.curves.loss_figure,
                                             self.curves.accuracy_figure])):
            for component in components:
                component.visible = part not in parts

    # -- training -----------------------------------------------------------------------------------

    def play(self):
        """Train on, a few steps at every tick, until pause() (or until training cannot go on)."""
        if self.playing or not self.run.ready:
            return
        self.playing = True
        self.play_button.disabled, self.pause_button.disabled = True, False
        self.phases.run_changed(playing=True)
        if self._callback is None:
            # background: no busy spinner flickering in the page header at every tick
            self._callback = PeriodicCallback(callback=self._tick, period=TICK_MS, background=True)
        self._callback.start()

    def pause(self):
        if self.playing:
            self._stop_playing()
            # The run stops on screen at once (buttons, counter, heatmap, curves); the network and its pictures,
            # a frame's costliest part (~0.1 s in the browser's worker), follow in a message of their own.
            self._show_run(network=False)
            soon(self._show_network)

    def _stop_playing(self):
        self.playing = False
        self.play_button.disabled, self.pause_button.disabled = False, True
        self._callback.stop()

    async def _tick(self):
        # Pause stops at once: a tick that was already queued does nothing.
        if not self.playing:
            return
        every = REDRAW_EVERY_S if self.on_screen else HIDDEN_EVERY_S
        due = self._last_redraw + every - time.perf_counter()
        # The metrics are measured for the frames only (_show_run), not at every tick.
        self.run.train(budget_seconds=min(max(due, MIN_TRAIN_S), MAX_TRAIN_S), record=False)
        # Redraw when a frame is due and the page keeps up (or has been silent for a while: never freeze the
        # drawing); else the next tick trains on.
        now = time.perf_counter()
        if not self.on_screen:    # nobody sees the drawings: keep the step (the address follows it), draw later
            if now - self._last_redraw >= every:
                self._last_redraw = now
                if self.run_changed is not None:
                    self.run_changed(self.run.step_count)
            if not self.run.ready:
                self.pause()
            return
        if now - self._last_redraw < every or (
                self.boundary.page_is_behind() and now - self._last_redraw < MAX_SILENCE_S):
            if not self.run.ready:
                self.pause()
            return
        due = {part: now - self._last_shown[part] >= seconds and self._frames - self._last_frame[part] >= frames
               for part, (seconds, frames) in CLOCKS.items()}
        self._show_run(**due)
        if not self.run.ready:
            self.pause()

    def set_on_screen(self, on_screen):
        """Shown or hidden by the tabs: a hidden view trains on without sending drawings; shown again, it
        draws the run at once (the curves get every row kept meanwhile)."""
        was, self.on_screen = self.on_screen, on_screen
        if on_screen and not was:
            self._show_run(network=True, phases=False)   # the run did not move: a step half run stays

    def _step_once(self):
        if self.playing or not self.run.ready:
            return
        self.run.train(max_steps=1)
        self._show_run(network=True)

    def _keeping(self, message, change, *args, **kwargs):
        """A change that throws work away, the old document kept one Undo away."""
        with self.replacing(message):
            change(*args, **kwargs)

    def reset(self):
        """A fresh run from the settings (same seed: same start)."""
        if self.playing:
            self._stop_playing()
        self.run.reset()
        self._show_new_run()

    def restore(self, step, weights=None):
        """Bring the run to a shared point: a fresh run from the settings, then the shared weights, or
        the same `step` steps again (same seed, same trajectory). Raises bounds.Refused when the weights
        do not fit the network of the settings."""
        if self.playing:
            self._stop_playing()
        self.run.reset()
        if weights is not None:
            self.run.restore(weights, step)
        elif step:
            self.run.train(max_steps=step)
        self._show_new_run()

    def weights(self):
        """The run's weights, flat, in the engine's parameter order (None without a model)."""
        return [float(w) for w in self.run.model.get_weights()] if self.run.has_model else None

    # -- drawing ------------------------------------------------------------------------------------

    def _show_new_run(self):
        run = self.run
        self.curves.clear()
        self._rate_window = []
        if run.ready or run.has_data:
            self.boundary.set_extent(run.extent)
            self.boundary.show_points(run.points, run.labels, run.is_train)
        self._show_run(network=True)

    def redraw(self):
        """The run changed outside a step (an edited weight): draw it all."""
        self._show_run(network=True)

    def phased_step_done(self):
        """A step run phase by phase (phase_step.py) has counted: draw the run, leave the panel showing it."""
        self._show_run(network=True, phases=False)

    def _show_run(self, network, curves=True, status=True, phases=True):
        """Send the run's state to the drawings: the heatmap always; the network, curves, status if asked;
        the phase-by-phase panel, if open and not playing, shows the next step (phases=False: not)."""
        now = self._last_redraw = time.perf_counter()
        self._frames += 1
        for part, shown in (("network", network), ("curves", curves), ("status", status)):
            if shown:
                self._last_shown[part], self._last_frame[part] = now, self._frames
        self.run.record_if_behind()
        # hold(): all of a redraw's changes reach the page as one message, not one per change.
        with hold():
            self._redraw(network, curves, status)
            if phases and not self.playing:
                self.phases.run_changed(playing=False)
        if self.run_changed is not None:
            self.run_changed(self.run.step_count)

    def _redraw(self, network, curves, status):
        run = self.run
        if run.has_model:
            if not run.diverged:
                self.boundary.show_scores(run.scores(self._heatmap_grid()))
                if curves:
                    self.curves.add(*run.take_history())
            if network:
                self._draw_network()
        if status:
            self._show_status()

    def _draw_network(self):
        self.network.draw(self.run.network_snapshot(), wave=self.run.step_count > 0)
        self.network.draw_thumbnails(self.run.neuron_maps(THUMBNAIL_GRID))

    def _show_network(self):
        """The network and its neuron pictures alone (after Pause: the rest of the run is on screen)."""
        if self.run.has_model and not self.playing:
            self._last_shown["network"], self._last_frame["network"] = time.perf_counter(), self._frames
            with hold():
                self._draw_network()

    def _heatmap_grid(self):
        """The heatmap's cell centres, made again only when the plot's box moves (not at every frame)."""
        extent = self.boundary.extent
        if self._grid[0] != extent:
            self._grid = (extent, grid_points(extent, GRID_SIZE))
        return self._grid[1]

    def _show_status(self):
        run = self.run
        now = time.perf_counter()
        self._rate_window = [(t, s) for t, s in self._rate_window if now - t < 1.0] + [(now, run.step_count)]
        (t0, s0), (t1, s1) = self._rate_window[0], self._rate_window[-1]
        rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
        self.status.object = status_html(run.step_count, rate, run.last_metrics or {})
        self.message.object = run.message
        self.message.visible = bool(run.message)

    # -- edits --------------------------------------------------------------------------------------

    def _settings_changed(self, *events):
        """A setting that starts a fresh run (the data set, the noise, the points, the network...). A run that
        had trained is not thrown away: its settings are set back without telling anyone and the change made
        again inside replacing(), so the document from before it is one Undo away, as with Reset. A slider's
        drag keeps only the trained run: from its second value on the run is at step 0, nothing to keep."""
        if self._changing or not self.run.step_count:
            self.reset()
            return
        with param.parameterized.discard_events(self.settings):
            self.settings.param.update({event.name: event.old for event in events})
        words = " and ".join(SETTING_WORDS.get(event.name, event.name) for event in events)
        self._changing = True
        try:
            with self.replacing(f"Changing {words} started a new training run."):
                self.settings.param.update({event.name: event.new for event in events})
        finally:
            self._changing = False

    def _points_edited(self, *events):
        if not self.run.has_model:
            self.reset()
            return
        self.run.reload_points()
        self.boundary.show_points(self.run.points, self.run.labels, self.run.is_train)
        self._show_run(network=False)
