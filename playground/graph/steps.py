"""The step controls: Backward, Play, Step, Step back, Reset, the speed, "Fit graph", the step slider and the
explanation of the step shown; they play the drawing's backward pass in the page. The mode switch turns the
same buttons to build_topo's steps (topo_steps.py): the depth-first sort numbering the boxes, in the page too.

animation.js, run by CustomJS in the page, draws step k into the drawing's sources and the node table, and plays
the steps with a moving pulse, with no Python round trip; framing.js, in the same callback, keeps the boxes of
the step shown in view. The step slider is the one value shared both ways: the
page moves it while playing and GraphState.step follows it (so a share link can hold the step); setting
GraphState.step moves the page.
"""

from pathlib import Path

import panel as pn
import param
from bokeh.models import Button, ColumnDataSource, CustomJS, Div, RadioButtonGroup, Slider  # Bokeh's own Button: button_type is its name, not deprecated

from .drawing import (COLORS, FRAME_HEIGHT, FRAME_PAD, SHORT_FRAME_HIDES, FRAME_WIDTH, MIN_TEXT_PX, READABLE_ZOOM, SMALLEST_FIT_ZOOM, TABLE_CSS,
                      TEXT_OFFSETS, TEXT_SIZES, GraphDrawing, NodeTable, display_names)
from .layout import BOX_HEIGHT, BOX_WIDTH, OP_RADIUS
from .state import GraphState
from .topo_steps import topo_columns

NO_TOPO_STEPS = {"event": [], "node": [], "number": [], "caption": []}
# One script for every trigger: where the view looks (framing.js), then the animation and its handlers.
ANIMATION_JS = "\n".join((Path(__file__).parent / name).read_text() for name in ("framing.js", "animation.js"))
# In a small frame (a course page's 480 x 360 iframe, a phone) the six buttons fit one line: smaller padding.
COMPACT_BUTTONS = ("@media (max-width: 560px), (max-height: 500px) "
                   "{ :host { margin: 4px 2px; } .bk-btn { padding: 3px 7px; font-size: 14px; } }")

PHONE_SPEED = "@media (max-width: 400px) { :host { width: 100px !important; } }"


class StepControls(pn.viewable.Viewer):
    """Plays state.graph's backward steps on `drawing` and `table`."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state, drawing: GraphDrawing, table: NodeTable, predict=None, **params):
        """`predict` (a PredictPanel, predict_view.py): its toggle goes beside the buttons, and the page hides
        the grads it has not revealed."""
        super().__init__(state=state, **params)
        self.predict_src = predict.source if predict is not None else ColumnDataSource({"step": [-1]})
        # Plain Bokeh models: the page's CustomJS callbacks hold them directly.
        # The first thing a student presses steps (Step, green); running everything at once says so.
        self.backward_button = Button(label="Run all steps", css_classes=["graph-backward"])
        self.play_button = Button(label="Play", css_classes=["graph-play"])
        self.step_button = Button(label="Step", button_type="success", css_classes=["graph-step"])
        self.back_button = Button(label="Step back", css_classes=["graph-back"])
        self.reset_button = Button(label="Reset", css_classes=["graph-reset"])
        self.speed = Slider(title="Speed", start=0.25, end=4, step=0.25, value=1, width=150)
        self.fit_button = Button(label="Fit graph", css_classes=["graph-fit"])
        self.slider = Slider(title="Backward step", start=0, end=len(state.graph.steps), step=1, value=state.step,
                             css_classes=["graph-step-slider"], sizing_mode="stretch_width")
        self.explain = Div(text="", css_classes=["graph-explain"], sizing_mode="stretch_width")
        # What the buttons step through: backward (shared in links, the slider) or build_topo (page only)
        self.mode = RadioButtonGroup(labels=["Backward", "build_topo"], active=0, css_classes=["graph-mode"])
        # build_topo's steps reach the page only while that mode is on (~400 bytes of captions a node: not in the
        # first render, nor sent again at every new graph of a student who never sorts)
        self.topo_src = ColumnDataSource(NO_TOPO_STEPS, name="graph_topo_steps")
        self._topo_shape = None          # the shape of the graph whose steps topo_src holds
        self.mode.on_change("active", lambda attr, old, new: self._sync_topo())
        self.slider.on_change("value", lambda attr, old, new: setattr(state, "step", min(int(new), len(state.graph.steps))))
        state.param.watch(self._on_step, "step")
        state.param.watch(self._on_graph, "graph")
        self._link_animation(drawing, table)
        # Step first: the first press shows one step, explained. The buttons wrap on a narrow page.
        buttons = [self.step_button, self.back_button, self.play_button, self.backward_button, self.reset_button,
                   self.fit_button]
        # A small iframe has no room for the speed; a phone has room for it and the predict toggle on one row
        # only with a shorter slider (a row less above the plot).
        speed = pn.pane.Bokeh(self.speed, stylesheets=[SHORT_FRAME_HIDES, PHONE_SPEED])
        # Two panels: the view puts the buttons and the explanation above the plot, the mode switch and the slider
        # under it (so a phone's first screen still reaches the plot).
        self.timeline = pn.FlexBox(pn.pane.Bokeh(self.mode, stylesheets=[COMPACT_BUTTONS]),
                                   pn.pane.Bokeh(self.slider, sizing_mode="stretch_width", styles={"flex": "1 1 240px"}),
                                   align_items="center", flex_wrap="wrap", sizing_mode="stretch_width")
        extra = [predict.toggle] if predict is not None else []
        self._layout = pn.Column(pn.FlexBox(*(pn.pane.Bokeh(b, stylesheets=[COMPACT_BUTTONS]) for b in buttons),
                                            speed, *extra, gap="2px",
                                            flex_wrap="wrap", css_classes=["graph-step-buttons"]),
                                 pn.pane.Bokeh(self.explain, sizing_mode="stretch_width"),
                                 sizing_mode="stretch_width", margin=0)

    def __panel__(self):
        return self._layout

    def _on_step(self, *_):
        self.slider.value = min(self.state.step, self.slider.end)

    def _sync_topo(self):
        """build_topo's steps of the graph shown, sent when the mode is switched on and with each new graph shape
        while it is on (the sort depends on the shape only: a new leaf value sends nothing). Off, the steps of an
        older graph are dropped along with that graph's own data."""
        graph = self.state.graph
        if graph.shape == self._topo_shape:
            return
        if self.mode.active == 1:
            self._topo_shape = graph.shape
            self.topo_src.data = topo_columns(graph, display_names(graph.trace["nodes"]))
        elif self._topo_shape is not None:
            self._topo_shape = None
            self.topo_src.data = NO_TOPO_STEPS

    def _on_graph(self, *_):
        self.slider.end = len(self.state.graph.steps)
        self._sync_topo()

    def _link_animation(self, drawing, table):
        args = dict(values=drawing.values_src, ops=drawing.ops_src, edges=drawing.edges_src, steps=drawing.steps_src,
                    pulse=drawing.pulse_src, table=table.table, explain=self.explain, slider=self.slider,
                    play=self.play_button, speed=self.speed, x_range=drawing.x_range, y_range=drawing.y_range,
                    plot=drawing.plot, frame_width=FRAME_WIDTH, frame_height=FRAME_HEIGHT,
                    texts=[r.glyph for r in drawing.texts], sizes=list(TEXT_SIZES), offsets=list(TEXT_OFFSETS),
                    text_renderers=drawing.texts, min_text=MIN_TEXT_PX, css=TABLE_CSS,
                    box=[BOX_WIDTH, BOX_HEIGHT], pad=list(FRAME_PAD), op_radius=OP_RADIUS,
                    zooms=[SMALLEST_FIT_ZOOM, READABLE_ZOOM], colors=COLORS,
                    topo=self.topo_src, mode=self.mode, predict=self.predict_src)

        # One callback for every trigger (animation.js tells them apart): the page gets its code once,
        # not once per button, which keeps the page's first render small.
        buttons = {"play": self.play_button, "step": self.step_button, "back": self.back_button,
                   "reset": self.reset_button, "backward": self.backward_button, "fit_whole": self.fit_button}
        animate = CustomJS(args=dict(args, buttons=list(buttons.values()), button_actions=list(buttons)),
                           code=ANIMATION_JS)
        for button in buttons.values():
            button.js_on_click(animate)
        drawing.plot.js_on_change("inner_width", animate)
        drawing.plot.js_on_change("inner_height", animate)
        self.slider.js_on_change("value", animate)
        self.mode.js_on_change("active", animate)
        for source in (drawing.values_src, drawing.edges_src, drawing.ops_src, drawing.steps_src, self.topo_src,
                       self.predict_src):
            source.js_on_change("data", animate)
        for attr in ("start", "end"):  # a moved range: the text follows the zoom; the student's own move is noted
            drawing.x_range.js_on_change(attr, animate)
            drawing.y_range.js_on_change(attr, animate)
        if pn.state.curdoc is not None:  # draw step k once the page is ready (also after a share link)
            pn.state.curdoc.js_on_event("document_ready", animate)
