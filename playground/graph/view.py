"""GraphView: the graph view's Panel component (editor, drawing, node table, backward animation).

Python draws what does not change while the animation plays (positions, labels, data, the backward steps)
into Bokeh ColumnDataSources; animation.js, run by CustomJS in the page, draws step k and plays the steps.
The step slider is the one value shared both ways: the page moves it while playing and GraphState.step
follows it (so a share link can hold the step); setting GraphState.step moves the page.

Legibility: the plot takes the width it is given and a height that suits the graph (PLOT_HEIGHTS). The page
frames the graph itself, because only it knows the plot's real size: the whole graph when it fits at a
readable zoom, else its output end at READABLE_ZOOM (pan or scroll toward the inputs; "Fit graph" shows it
all). initial_ranges() is the same rule in Python, which the tests use. Text scales with the zoom so it
stays inside its box; a line too small to read (under MIN_TEXT_PX) is hidden, the name last. Names are cut
to NAME_CHARS and numbers kept short in the boxes; hover and the node table give them in full.
On a wide page the node table sits beside the plot, on a narrow one below it (a wrapping flex box).
"""

import html
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import panel as pn
import param
from bokeh.layouts import row
from bokeh.models import (Arrow, Button, ColumnDataSource, CustomJS, Div, HoverTool, Range1d, Slider, TapTool,
                          VeeHead)
from bokeh.plotting import figure

import engine

from .edits import OPERATIONS
from .language import MAX_CHARS
from .layout import BOX_HEIGHT, BOX_WIDTH, OP_RADIUS
from .presets import PRESETS
from .state import GraphState

ANIMATION_JS = (Path(__file__).parent / "animation.js").read_text()
FRAME_WIDTH, FRAME_HEIGHT = 680, 440  # the plot's frame as Python guesses it; the page measures the real one
PLOT_HEIGHTS = (260, 560)  # the plot's frame height: the graph's height at zoom 1, kept within these
TOOLBAR_HEIGHT = 40  # the title and toolbar above the frame
SMALLEST_FIT_ZOOM, READABLE_ZOOM = 0.65, 0.8  # below 0.65 the numbers in the boxes are too small to read
TEXT_SIZES = (13, 12, 12, 12)  # label, data, grad, op symbol; pixels at zoom 1
TEXT_OFFSETS = (-17, 0, 17, 0)  # vertical place of each text in its box, pixels at zoom 1 (down is +)
MIN_TEXT_PX = 7.5  # a line of text smaller than this on screen is hidden
NAME_CHARS = 11  # longer names are cut (with an ellipsis) to fit their box
TABLE_CSS = """  /* sent inside the Divs' HTML: Panel's design replaces Bokeh models' own stylesheets */
table.graph-nodes { border-collapse: collapse; font: 12px/1.4 system-ui, sans-serif; }
table.graph-nodes caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.graph-nodes th, table.graph-nodes td { padding: 2px 8px; border-bottom: 1px solid #e3e5e8; text-align: right; }
table.graph-nodes thead th { position: sticky; top: 0; background: #fff; box-shadow: 0 1px 0 #c9cdd3; }
table.graph-nodes th[scope=row], table.graph-nodes thead th:first-child { text-align: left; }
table.graph-nodes td { font-variant-numeric: tabular-nums; font-family: ui-monospace, monospace; }
table.graph-nodes tr.current { background: #fde9c6; }
p.chain-rule { font: 14px/1.5 system-ui, sans-serif; margin: 4px 0; min-height: 4.5em; }
"""
NODE_FILL = {"leaf": "#dceaf7", "constant": "#eeeeee", "computed": "#ffffff", "output": "#fde9c6"}
# The columns of source_data() that hold numbers of the forward and backward pass: all that changes when
# only a leaf's value does (the rest follows the graph's shape).
NUMBER_COLUMNS = {"values": ["data", "data_text"], "edges": ["local"],
                  "steps": ["local", "upstream", "contribution", "grad_after"]}


def _names(nodes):
    """A unique display name per node: its label, or #id when it has none or shares it (constants like 2.0)."""
    counts = Counter(n["label"] for n in nodes)
    return {n["id"]: n["label"] if n["label"] and counts[n["label"]] == 1 else f"{n['label']}#{n['id']}"
            for n in nodes}


def short_name(name):
    """A name that fits its box: at most NAME_CHARS characters, cut with an ellipsis."""
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "\u2026"


def short_number(x):
    """At most 10 characters: 4 decimals, or 3 significant digits with an exponent for numbers too big or
    too small for that (the page's shortNumber() is the same rule)."""
    text = f"{x:.4f}"
    if len(text) > 10 or (x != 0 and abs(x) < 1e-3):
        text = f"{x:.2e}"
    return text


def _op_text(op):
    """The op as it fits its small circle: '**2.0' as '^2', '**-0.5' as '^-.5', ReLU as relu, sigmoid as
    \u03c3, softplus as sp (hover shows the engine's name)."""
    if op.startswith("**") and len(op) > 2:
        return "^" + re.sub(r"^(-?)0\.", r"\1.", f"{float(op[2:]):g}")
    return {"ReLU": "relu", "sigmoid": "\u03c3", "softplus": "sp"}.get(op, op)


def _role(node, output_id):
    if node["id"] == output_id:
        return "output"
    if node["op"]:
        return "computed"
    return "leaf" if node["label"] and not node["label"][0].isdigit() else "constant"


def source_data(graph):
    """The ColumnDataSource columns for one Graph (grads and highlights are filled in by the page)."""
    nodes, positions = graph.trace["nodes"], graph.layout
    output_id = nodes[-1]["id"]
    names = _names(nodes)
    values = {
        "id": [n["id"] for n in nodes], "name": [names[n["id"]] for n in nodes], "op": [n["op"] for n in nodes],
        "short_name": [short_name(names[n["id"]]) for n in nodes],
        "x": [positions["value"][n["id"]][0] for n in nodes], "y": [positions["value"][n["id"]][1] for n in nodes],
        "data": [n["data"] for n in nodes], "data_text": [f"data {short_number(n['data'])}" for n in nodes],
        "grad": [math.nan] * len(nodes), "grad_text": ["grad \u2014"] * len(nodes),
        "fill": [NODE_FILL[_role(n, output_id)] for n in nodes],
        "line_color": ["#5b6170"] * len(nodes), "line_width": [1.2] * len(nodes),
    }
    op_nodes = [n for n in nodes if n["op"]]
    ops = {"id": [n["id"] for n in op_nodes], "op": [_op_text(n["op"]) for n in op_nodes],
           "engine_op": [n["op"] for n in op_nodes],
           "name": [names[n["id"]] for n in op_nodes],
           "x": [positions["op"][n["id"]][0] for n in op_nodes], "y": [positions["op"][n["id"]][1] for n in op_nodes],
           "line_color": ["#5b6170"] * len(op_nodes)}
    local, slots = {}, defaultdict(int)  # trace edges come in operand order: number them per target
    for e in graph.trace["edges"]:
        local[(e["target"], slots[e["target"]])] = e["local"]
        slots[e["target"]] += 1
    edge_rows = positions["edges"]
    edges = {
        "xs": [e["xs"] for e in edge_rows], "ys": [e["ys"] for e in edge_rows],
        "source": [e["source"] for e in edge_rows], "target": [e["target"] for e in edge_rows],
        "slot": [e["slot"] for e in edge_rows],
        "source_name": [names[e["source"]] for e in edge_rows], "target_name": [names[e["target"]] for e in edge_rows],
        "local": [local.get((e["target"], e["slot"]), 1.0) for e in edge_rows],
        "x0": [e["xs"][-2] for e in edge_rows], "y0": [e["ys"][-2] for e in edge_rows],
        "x1": [e["xs"][-1] for e in edge_rows], "y1": [e["ys"][-1] for e in edge_rows],
        "color": ["#b9bec7"] * len(edge_rows), "width": [1.2] * len(edge_rows), "alpha": [0.7] * len(edge_rows),
    }
    edge_index = {(e["target"], e["slot"]): i for i, e in enumerate(edge_rows)}
    steps = {key: [s[key] for s in graph.steps] for key in
             ("node", "from", "slot", "local", "upstream", "contribution", "grad_after")}
    steps["edge"] = [edge_index.get((s["from"], s["slot"]), -1) for s in graph.steps]
    return values, ops, edges, steps


def _extent(graph):
    """The box around the drawing: every value box with a margin of one box."""
    xs = [x for x, _ in graph.layout["value"].values()]
    ys = [y for _, y in graph.layout["value"].values()]
    return min(xs) - BOX_WIDTH, max(xs) + BOX_WIDTH, min(ys) - BOX_HEIGHT, max(ys) + BOX_HEIGHT


def plot_height(graph):
    """Frame height for the plot: the graph's own height at zoom 1, within PLOT_HEIGHTS."""
    _, _, y0, y1 = _extent(graph)
    return int(min(max(y1 - y0, PLOT_HEIGHTS[0]), PLOT_HEIGHTS[1]))


def plot_css_height(graph):
    """CSS height of the plot: the graph's (plus the toolbar), but at most the page's height less a margin,
    never under 240 px."""
    return f"min({plot_height(graph) + TOOLBAR_HEIGHT}px, max(240px, calc(100vh - 40px)))"


def initial_ranges(graph, width=FRAME_WIDTH, height=FRAME_HEIGHT, whole=False):
    """What a frame of width x height pixels shows first: the whole graph when it fits at a readable zoom
    (never above zoom 1), else its output end at READABLE_ZOOM (the user pans toward the inputs).
    whole=True: the whole graph at any zoom ("Fit graph"). Returns the x range, the y range and the zoom
    (pixels per unit). The page does the same in animation.js (fit())."""
    x0, x1, y0, y1 = _extent(graph)
    scale = min(1.0, width / (x1 - x0), height / (y1 - y0))
    if scale >= SMALLEST_FIT_ZOOM or whole:
        x_mid, y_mid = (x0 + x1) / 2, (y0 + y1) / 2
    else:
        scale = READABLE_ZOOM
        x_mid = x1 - width / scale / 2
        y_mid = graph.layout["value"][graph.trace["nodes"][-1]["id"]][1]
    half_w, half_h = width / scale / 2, height / scale / 2
    return (x_mid - half_w, x_mid + half_w), (y_mid - half_h, y_mid + half_h), scale


class GraphView(param.Parameterized):
    """The graph view. `GraphView(state).panel()` is what app.py places on the page."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state=None, **params):
        super().__init__(state=state or GraphState(), **params)
        values, ops, edges, steps = source_data(self.state.graph)
        self.values_src, self.ops_src = ColumnDataSource(values), ColumnDataSource(ops)
        self.edges_src, self.steps_src = ColumnDataSource(edges), ColumnDataSource(steps)
        self.pulse_src = ColumnDataSource({"x": [], "y": [], "color": []})
        self._frame = 0  # each new set of leaves gets a new number: the page frames that graph afresh
        self._drawn_shape = None  # the shape of the graph the sources hold
        self.table = Div(text="", css_classes=["graph-table"], sizing_mode="stretch_width",
                         styles={"max-height": f"{PLOT_HEIGHTS[1]}px", "overflow": "auto"})
        self.explain = Div(text="", css_classes=["graph-explain"], sizing_mode="stretch_width")
        self._make_plot()
        self._make_controls()
        self._link_animation()
        self.values_src.selected.on_change("indices", self._on_tap)
        self.state.param.watch(self._on_graph, "graph")
        self.state.param.watch(self._on_error, "error")
        self.state.param.watch(self._on_step, "step")
        self.state.param.watch(self._on_program, "program")
        self.state.param.watch(self._on_values, "values")
        self._on_graph()
        self._on_error()

    # --- the drawing --------------------------------------------------------------------------------------

    def _make_plot(self):
        (x0, x1), (y0, y1), scale = initial_ranges(self.state.graph)
        self.x_range, self.y_range = Range1d(x0, x1), Range1d(y0, y1)
        p = figure(sizing_mode="stretch_width", min_width=280, min_height=200,
                   x_range=self.x_range, y_range=self.y_range, css_classes=["graph-plot"],
                   tools="pan,wheel_zoom,reset", active_scroll="wheel_zoom", toolbar_location="above",
                   title="Inputs left, output right. Drag to pan, scroll to zoom, tap a node to edit it.")
        p.axis.visible = False
        p.grid.visible = False
        p.outline_line_color = None
        edges = p.multi_line("xs", "ys", source=self.edges_src, line_color="color", line_width="width",
                             line_alpha="alpha")
        p.add_layout(Arrow(end=VeeHead(size=8, fill_color="#7a808c", line_color=None), line_alpha=0,
                           x_start="x0", y_start="y0", x_end="x1", y_end="y1", source=self.edges_src))
        boxes = p.rect("x", "y", width=BOX_WIDTH, height=BOX_HEIGHT, source=self.values_src, fill_color="fill",
                       line_color="line_color", line_width="line_width", border_radius=6,
                       nonselection_fill_alpha=1.0, nonselection_line_alpha=1.0,
                       selection_line_color="#7b3294", selection_line_width=3)
        p.add_tools(TapTool(renderers=[boxes]))  # tapping a node picks it in "Edit by clicking"
        op_circles = p.circle("x", "y", radius=OP_RADIUS, source=self.ops_src, fill_color="#f4f1ff",
                              line_color="line_color", line_width=1.5)  # radius in plot units: zooms with the boxes
        common = dict(text_align="center", text_baseline="middle", text_color="#1d2330")
        self.texts = [
            p.text("x", "y", text="short_name", source=self.values_src, text_font_style="bold", **common),
            p.text("x", "y", text="data_text", source=self.values_src, **common),
            p.text("x", "y", text="grad_text", source=self.values_src, **common),
            p.text("x", "y", text="op", source=self.ops_src, **common),
        ]
        for renderer, size, offset in zip(self.texts, TEXT_SIZES, TEXT_OFFSETS):
            renderer.glyph.update(text_font_size=f"{size * scale:.1f}px", y_offset=offset * scale)
            # Text ignores the tap selection: one glyph for every state, so zooming resizes all of it.
            renderer.selection_glyph = renderer.nonselection_glyph = renderer.glyph
        p.scatter("x", "y", size=16, source=self.pulse_src, fill_color="color", line_color="white", line_width=2)
        p.add_tools(HoverTool(renderers=[boxes], tooltips=[
            ("node", "@name"), ("op", "@op"), ("data", "@data{%.12g}"), ("grad", "@grad{%.12g}")],
            formatters={"@data": "printf", "@grad": "printf"}))
        p.add_tools(HoverTool(renderers=[op_circles], tooltips=[("operation", "@engine_op"), ("makes", "@name")]))
        p.add_tools(HoverTool(renderers=[edges], line_policy="interp", tooltips=[
            ("edge", "@source_name \u2192 @target_name"),
            ("local derivative", "d@target_name/d@source_name = @local{%.12g}")],
            formatters={"@local": "printf"}))
        self.plot = p

    # --- controls -----------------------------------------------------------------------------------------

    def _make_controls(self):
        s = self.state
        # One character more than the language takes: a longer paste is not cut silently, the language
        # refuses it with its message (the browser would cut it at max_length without a word).
        self.editor = pn.widgets.TextAreaInput(value=s.program, rows=14, label="Program", max_length=MAX_CHARS + 1,
                                               css_classes=["graph-program"], sizing_mode="stretch_width")
        self.draw_button = pn.widgets.Button(label="Draw graph", color="primary", css_classes=["graph-draw"])
        self.draw_button.on_click(lambda _: s.load_program(self.editor.value_input or self.editor.value))
        # Leaving the editor draws too: in the Pyodide page a click can reach Python before the text typed just
        # before it, and this watcher then draws what was really typed.
        self.editor.param.watch(lambda e: e.new != s.program and s.load_program(e.new), "value")
        self.preset = pn.widgets.Select(label="Presets", options=["(choose a preset)"] + list(PRESETS))
        self.preset.param.watch(self._on_preset, "value")
        self.error = pn.pane.HTML("", css_classes=["graph-error"], sizing_mode="stretch_width")
        self.summary = pn.pane.HTML("", css_classes=["graph-summary"])
        self.leaf_inputs = pn.Column(sizing_mode="stretch_width", css_classes=["graph-leaves"],
                                     styles={"max-height": "360px", "overflow-y": "auto"})
        self._leaf_widgets = {}

        # The animation's controls are plain Bokeh models: the page's CustomJS callbacks hold them directly.
        self.backward_button = Button(label="Backward", button_type="success", css_classes=["graph-backward"])
        self.play_button = Button(label="Play", css_classes=["graph-play"])
        self.step_button = Button(label="Step", css_classes=["graph-step"])
        self.back_button = Button(label="Step back", css_classes=["graph-back"])
        self.reset_button = Button(label="Reset", css_classes=["graph-reset"])
        self.speed = Slider(title="Speed", start=0.25, end=4, step=0.25, value=1, width=150)
        self.fit_button = Button(label="Fit graph", css_classes=["graph-fit"])
        self.slider = Slider(title="Backward step", start=0, end=len(s.graph.steps), step=1, value=s.step,
                             css_classes=["graph-step-slider"], sizing_mode="stretch_width")
        self.slider.on_change("value", lambda attr, old, new: setattr(s, "step", min(int(new), len(s.graph.steps))))

        self.gradcheck_button = pn.widgets.Button(label="Gradient check", css_classes=["graph-gradcheck"])
        self.gradcheck_button.on_click(self._gradcheck)
        self.gradcheck_result = pn.pane.HTML("", css_classes=["graph-gradcheck-result"])
        self._make_edit_controls()

    def _make_edit_controls(self):
        s = self.state
        self.new_leaf_name = pn.widgets.TextInput(label="Leaf name", placeholder="x", width=100)
        self.new_leaf_value = pn.widgets.FloatInput(label="Value", value=1.0, width=90)
        add_leaf = pn.widgets.Button(label="Add leaf")
        add_leaf.on_click(lambda _: s.add_leaf(self.new_leaf_name.value, self.new_leaf_value.value))
        self.op_name = pn.widgets.TextInput(label="Name", placeholder="y", width=80)
        self.op_kind = pn.widgets.Select(label="Operation", options=list(OPERATIONS), width=90)
        self.op_left = pn.widgets.Select(label="Input", options=[], width=100)
        self.op_right = pn.widgets.TextInput(label="Second input or exponent", placeholder="b or 2", width=120)
        add_op = pn.widgets.Button(label="Add operation")
        add_op.on_click(lambda _: s.add_operation(
            self.op_name.value, self.op_kind.value,
            [self.op_left.value] + ([self.op_right.value.strip()] if self.op_kind.value in "+-*/**" else [])))
        self.node_choice = pn.widgets.Select(label="Node", options=[], width=100)
        self.new_name = pn.widgets.TextInput(label="New name", width=100)
        rename = pn.widgets.Button(label="Rename")
        rename.on_click(lambda _: s.rename(self.node_choice.value, self.new_name.value))
        delete = pn.widgets.Button(label="Delete", color="danger")
        delete.on_click(lambda _: s.delete(self.node_choice.value))
        self.edit_card = pn.Card(
            pn.Row(self.new_leaf_name, self.new_leaf_value, add_leaf),
            pn.Row(self.op_name, self.op_kind, self.op_left, self.op_right, add_op),
            pn.Row(self.node_choice, self.new_name, rename, delete),
            title="Edit by clicking", collapsed=True, sizing_mode="stretch_width")

    def _link_animation(self):
        args = dict(values=self.values_src, ops=self.ops_src, edges=self.edges_src, steps=self.steps_src,
                    pulse=self.pulse_src, table=self.table, explain=self.explain, slider=self.slider,
                    play=self.play_button, speed=self.speed, x_range=self.x_range, y_range=self.y_range,
                    plot=self.plot, frame_width=FRAME_WIDTH, frame_height=FRAME_HEIGHT,
                    texts=[r.glyph for r in self.texts], sizes=list(TEXT_SIZES), offsets=list(TEXT_OFFSETS),
                    text_renderers=self.texts, min_text=MIN_TEXT_PX, css=TABLE_CSS,
                    box=[BOX_WIDTH, BOX_HEIGHT], zooms=[SMALLEST_FIT_ZOOM, READABLE_ZOOM])

        # One callback for every trigger (animation.js tells them apart): the page gets its code once,
        # not once per button, which keeps the page's first render small.
        buttons = {"play": self.play_button, "step": self.step_button, "back": self.back_button,
                   "reset": self.reset_button, "backward": self.backward_button, "fit_whole": self.fit_button}
        animate = CustomJS(args=dict(args, buttons=list(buttons.values()), button_actions=list(buttons)),
                           code=ANIMATION_JS)
        for button in buttons.values():
            button.js_on_click(animate)
        self.plot.js_on_change("inner_width", animate)
        self.plot.js_on_change("inner_height", animate)
        self.slider.js_on_change("value", animate)
        for source in (self.values_src, self.edges_src, self.ops_src, self.steps_src):
            source.js_on_change("data", animate)
        for attr in ("start", "end"):
            self.x_range.js_on_change(attr, animate)
        if pn.state.curdoc is not None:  # draw step k once the page is ready (also after a share link)
            pn.state.curdoc.js_on_event("document_ready", animate)

    # --- following the state ------------------------------------------------------------------------------

    def _on_graph(self, *_):
        graph = self.state.graph
        values, ops, edges, steps = source_data(graph)
        if list(graph.leaves) != list(self._leaf_widgets):  # a new graph, not new values: frame it afresh
            self._frame += 1
        # The request travels inside the data: in the Pyodide worker, changes of different models can reach
        # the page in any order, and the page must frame the graph it has, not the one before.
        values["frame"] = [self._frame] * len(values["id"])
        with pn.io.hold():
            if graph.shape == self._drawn_shape:  # only numbers changed: the page gets only those columns
                for source, columns, names in [(self.values_src, values, NUMBER_COLUMNS["values"]),
                                               (self.edges_src, edges, NUMBER_COLUMNS["edges"]),
                                               (self.steps_src, steps, NUMBER_COLUMNS["steps"])]:
                    source.data.update({name: columns[name] for name in names})
            else:
                self.values_src.data, self.ops_src.data, self.edges_src.data = values, ops, edges
                self.steps_src.data = steps  # last, so the page redraws with everything in place
                self._drawn_shape = graph.shape
            self.slider.end = len(graph.steps)
            # CSS gives the plot the graph's height, or less on a short page (an iframe).
            self.plot.styles = {"height": plot_css_height(graph), "flex": "0 0 auto"}
            self.table.styles = dict(self.table.styles, **{"max-height": f"{plot_height(graph) + 80}px"})
            self.gradcheck_result.object = ""
            self.summary.object = (f"<p>Output <b>{html.escape(values['name'][-1])}</b> = {values['data'][-1]:.4f}; "
                                   f"{len(values['id'])} nodes, {len(graph.steps)} backward steps.</p>")
            names = [stmt for stmt in graph.leaves] + [n["label"] for n in graph.trace["nodes"]
                                                       if n["op"] and n["label"] and n["label"] not in graph.leaves]
            for select in (self.op_left, self.node_choice):
                select.options = list(dict.fromkeys(names))
                if select.value not in select.options:
                    select.value = select.options[-1]
            self._update_leaf_inputs()

    def _update_leaf_inputs(self):
        leaves = self.state.graph.leaves
        if list(leaves) != list(self._leaf_widgets):  # new set of leaves: new inputs, and a fresh view
            self._leaf_widgets = {name: pn.widgets.FloatInput(label=name, value=value, step=0.1, width=110,
                                                              css_classes=["leaf-input", f"leaf-{name}"])
                                  for name, value in leaves.items()}
            for name, widget in self._leaf_widgets.items():
                widget.param.watch(lambda e, name=name: self._leaf_changed(name, e.new), "value")
            self.leaf_inputs.objects = [pn.FlexBox(*self._leaf_widgets.values())]
        else:
            for name, widget in self._leaf_widgets.items():
                widget.value = leaves[name]

    def rehearse(self):
        """Change the first leaf and change it back, as a visitor would: what answering needs is then
        imported and warm (the build's start-up snapshot keeps it: see playground/app.py)."""
        widget = next(iter(self._leaf_widgets.values()))
        value = widget.value
        widget.value = value + 1.0
        widget.value = value

    def _leaf_changed(self, name, value):
        if value is not None and value != self.state.values.get(name):
            self.state.set_value(name, value)

    def _on_tap(self, attr, old, new):
        """A tapped node becomes the node to rename or delete and the first input of a new operation."""
        if new:
            name = self.values_src.data["name"][new[0]]
            if name in self.node_choice.options:
                self.node_choice.value = self.op_left.value = name
                self.edit_card.collapsed = False

    def _on_error(self, *_):
        message = self.state.error
        self.error.object = (f'<div class="graph-error-message" role="alert">{html.escape(message)}</div>'
                             if message else "")

    def _on_step(self, *_):
        self.slider.value = min(self.state.step, self.slider.end)

    def _on_program(self, *_):
        self.editor.value = self.state.program

    def _on_values(self, *_):
        for name, widget in self._leaf_widgets.items():
            if name in self.state.values:
                widget.value = self.state.values[name]

    def _on_preset(self, event):
        if event.new in PRESETS:
            self.state.load_program(PRESETS[event.new])

    def _gradcheck(self, _):
        graph = self.state.graph
        names = _names(graph.trace["nodes"])
        body = "".join(
            f"<tr><th scope='row'>{html.escape(names[r['id']])}</th><td>{r['analytic']:.6f}</td>"
            f"<td>{r['numeric']:.6f}</td><td>{abs(r['analytic'] - r['numeric']):.2e}</td></tr>"
            for r in engine.gradcheck(graph.root))
        self.gradcheck_result.object = (
            "<table class='graph-gradcheck-table'><caption>Each leaf's grad: backward against finite differences"
            "</caption><thead><tr><th scope='col'>leaf</th><th scope='col'>backward</th><th scope='col'>finite "
            f"differences</th><th scope='col'>difference</th></tr></thead><tbody>{body}</tbody></table>")

    # --- the page -----------------------------------------------------------------------------------------

    def panel(self):
        """The view: editor | drawing | node table in a wrapping flex box (one row on a wide page; the table,
        then the drawing, move below on narrower ones), and the point-and-click editor under it all."""
        buttons = pn.FlexBox(pn.pane.Bokeh(row(self.backward_button, self.play_button, self.step_button,
                                               self.back_button, self.reset_button, self.speed)),
                             self.gradcheck_button, pn.pane.Bokeh(self.fit_button), gap="4px")
        # Kept as attributes so app.py can hide parts when the page is embedded (hide=editor, ...).
        self.editor_column = editor = pn.Column(
            self.preset, self.editor, self.draw_button, self.error, pn.pane.HTML("<b>Leaf values</b>"), self.leaf_inputs,
            sizing_mode="stretch_width", styles={"flex": "1 1 260px", "max-width": "380px"})
        drawing = pn.Column(self.summary, pn.pane.Bokeh(self.plot, sizing_mode="stretch_width"), buttons,
                            pn.pane.Bokeh(self.slider, sizing_mode="stretch_width"),
                            pn.pane.Bokeh(self.explain, sizing_mode="stretch_width"), self.gradcheck_result,
                            sizing_mode="stretch_width", styles={"flex": "4 1 440px", "min-width": "0"})
        table = pn.Column(pn.pane.Bokeh(self.table, sizing_mode="stretch_width"), sizing_mode="stretch_width",
                          css_classes=["graph-table-box"], styles={"flex": "1 1 270px", "max-width": "440px"})
        return pn.Column(pn.FlexBox(editor, drawing, table, gap="12px", flex_wrap="wrap"), self.edit_card,
                         sizing_mode="stretch_width", css_classes=["graph-view"])
