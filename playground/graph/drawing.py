"""The drawing: the graph as boxes, op circles and edges (a Bokeh plot), its summary line, and the node table.

Python draws what does not change while the animation plays (positions, labels, data, the backward steps)
into Bokeh ColumnDataSources (source_data); the page draws backward step k into them (animation.js).

Legibility: the plot takes the width it is given and a height that suits the graph (PLOT_HEIGHTS). The page
frames the graph itself, because only it knows the plot's real size: the whole graph when it fits at a
readable zoom, else its output end at READABLE_ZOOM (pan or scroll toward the inputs; "Fit graph" shows it
all); a graph whose boxes move (a new program, an added node) is framed afresh, new numbers or names keep the
student's pan and zoom. While backward runs, the view follows its steps (framing.js). initial_ranges() is
the same framing rule in Python, which the tests use. Text scales with the zoom so it
stays inside its box; a line too small to read (under MIN_TEXT_PX) is hidden, the name last. Names are cut
to NAME_CHARS and numbers kept short in the boxes; hover and the node table give them in full.
"""

import html
import math
import re
from collections import Counter, defaultdict

import panel as pn
import param
from bokeh.models import Arrow, ColumnDataSource, Div, HoverTool, Range1d, SaveTool, TapTool, VeeHead
from bokeh.plotting import figure

from engine import OPS

from .layout import BOX_HEIGHT, BOX_WIDTH, OP_RADIUS
from .state import GraphState

FRAME_WIDTH, FRAME_HEIGHT = 680, 440  # the plot's frame as Python guesses it; the page measures the real one
PLOT_HEIGHTS = (260, 560)  # the plot's frame height: the graph's height at zoom 1, kept within these
TOOLBAR_HEIGHT = 40  # the title and toolbar above the frame
PAGE_ABOVE_PLOT = 410  # pixels of a page above and below the plot: header, tabs, start line, step buttons, explanation, slider
# A graph opens whole only at a zoom where every text is at least ~10 px (TEXT_SIZES x zoom: a small graph, say the
# tour's five nodes in a tablet's 470-px plot, is seen whole), else its output end at READABLE_ZOOM (texts 11 px
# and up), from where the view follows backward; "Fit graph" (an overview) may go smaller.
SMALLEST_FIT_ZOOM, READABLE_ZOOM = 0.75, 0.85
TEXT_SIZES = (14, 13, 13, 13, 13)  # label, data, grad, op symbol, topo tag; pixels at zoom 1
TEXT_OFFSETS = (-17, 0, 17, 0, 0)  # vertical place of each text in its box, pixels at zoom 1 (down is +)
# The topo tag ("topo[3]": the node's place in build_topo's list) sits on its box's top-left corner, mostly
# above the box, so it never covers the name: its left end and its middle, relative to the box's corner.
TAG_INSET, TAG_RISE = 4, 5
# Room around the boxes when the view frames them (plot units, x and y): the outlines' width, and above a box
# its topo tag (TAG_RISE plus half a 13-px line).
FRAME_PAD = (12, 20)
MIN_TEXT_PX = 7.5  # a line of text smaller than this on screen is hidden
NAME_CHARS = 11  # longer names are cut (with an ellipsis) to fit their box
TABLE_CSS = """  /* sent inside the Divs' HTML: Panel's design replaces Bokeh models' own stylesheets */
table.graph-nodes { border-collapse: collapse; font: 12px/1.4 system-ui, sans-serif; }
/* the table scrolls sideways in its column; the words above it wrap to the column (Bokeh's Div wraps its text in
   an inline-block (its style attribute), as wide as the table: a block is as wide as the column) */
div.bk-clearfix:has(> table.graph-nodes) { display: block !important; }
p.graph-nodes-title { font: 600 12px/1.4 system-ui, sans-serif; margin: 0; padding: 4px 0; position: sticky; left: 0; }
table.graph-nodes caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
table.graph-nodes th, table.graph-nodes td { padding: 2px 5px; border-bottom: 1px solid #e3e5e8; text-align: right; }
/* a long derived name wraps: the data and grad columns stay in a narrow table column */
table.graph-nodes th[scope=row] { min-width: 6em; max-width: 8em; overflow-wrap: anywhere; }
table.graph-nodes thead th { position: sticky; top: 0; background: #fff; box-shadow: 0 1px 0 #c9cdd3; }
table.graph-nodes th[scope=row], table.graph-nodes thead th:first-child { text-align: left; }
table.graph-nodes td { font-variant-numeric: tabular-nums; font-family: ui-monospace, monospace; }
table.graph-nodes tr.current { background: #fde9c6; }
table.graph-nodes td.topo { color: #4a505c; }
p.chain-rule { font: 14px/1.5 system-ui, sans-serif; margin: 4px 0; min-height: 4.5em; }
"""
NODE_FILL = {"leaf": "#dceaf7", "constant": "#eeeeee", "computed": "#ffffff", "output": "#fde9c6"}
# The backward pass's colours (animation.js draws with these): an edge takes the sign of its gradient
# contribution; the node whose _backward runs and the node receiving are outlined in colours of their own.
COLORS = {"positive": "#2166ac", "negative": "#e66101", "idle": "#80868f", "line": "#5b6170",
          "running": "#1b9e77", "receiving": "#7b3294"}
SELECTED = "#1d2330"   # a node tapped for editing
SHORT_FRAME_HIDES = "@media (max-height: 500px) { :host { display: none !important; } }"  # e.g. a small iframe
LEGEND_HTML = (
    "<div class='graph-legend' style='font-size:13px;line-height:1.5'>"
    f"<span style='color:{COLORS['positive']}'>━</span> / <span style='color:{COLORS['negative']}'>╍</span> (dashed) "
    "an edge's gradient contribution is positive / negative, the wider the bigger · "
    f"<span style='border:3px solid {COLORS['running']};padding:0 4px'>runs _backward</span> "
    f"<span style='border:3px solid {COLORS['receiving']};padding:0 4px'>receives grad</span> · "
    f"<span style='background:{NODE_FILL['leaf']};padding:0 4px'>leaf</span> "
    f"<span style='background:{NODE_FILL['constant']};padding:0 4px'>constant (no grad)</span> "
    f"<span style='background:{NODE_FILL['output']};padding:0 4px'>output</span> · "
    "<span style='border:1px solid #80868f;border-radius:3px;padding:0 3px'>topo[3]</span> "
    "the node's place in build_topo's list: backward runs them from the last to topo[0]</div>")
# The columns of source_data() that hold numbers of the forward and backward pass: all that changes when
# only a leaf's value does (the rest follows the graph's shape).
NUMBER_COLUMNS = {"values": ["data", "data_text"], "edges": ["local"],
                  "steps": ["local", "upstream", "contribution", "grad_after"]}


CONSTANT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?")  # the label of a number written in an expression
NAME_IN_EXPRESSION = re.compile(r"[\w.]+")        # a name or a number: goes into an expression as it is
ONE_CALL = re.compile(r"\w+\([^()]*\)")            # relu(b+a): needs no parentheses either
EXPRESSION_CHARS = 12                              # a longer operand is written "…" inside a derived name


def is_constant(node):
    """A number written inside an expression (or an engine Value made from a plain number): it has no op and
    no name but its number. Constants get no grad in the drawing; a leaf the user named (`a = 2.0`) does."""
    return not node["op"] and (not node["label"] or bool(CONSTANT.fullmatch(node["label"])))


def _operand(name):
    if NAME_IN_EXPRESSION.fullmatch(name) or ONE_CALL.fullmatch(name):
        return name
    return f"({name})" if len(name) <= EXPRESSION_CHARS else "\u2026"


def expression_name(node, names):
    """An unnamed node's name, written from its inputs' names as the program writes it: `10.0/f`, `b**3`,
    `relu(b+a)`; long operands become "…"."""
    op = OPS[node["op"]]
    args = [names[i] if op.function and len(names[i]) <= EXPRESSION_CHARS else _operand(names[i])
            for i in node["inputs"]]
    if op.takes_exponent:
        return f"{args[0]}**{node['exponent']:g}"
    return op.write(args).replace(" ", "")


def display_names(nodes):
    """A name per node (nodes in topological order): its label (the program's name, or a constant's number),
    or for an unnamed node the expression that makes it. A name the program uses twice gets a ' mark."""
    names, seen = {}, Counter()
    for n in nodes:
        name = n["label"] or (expression_name(n, names) if n["op"] else f"{n['data']:g}")
        if not is_constant(n):
            seen[name] += 1
            name += "\u2032" * (seen[name] - 1)
        names[n["id"]] = name
    return names


def op_symbol(node):
    """The op in its circle as the program writes it: `+`, `*`, `**-0.5`, `relu`, `softplus`."""
    op = OPS[node["op"]]
    if op.takes_exponent:
        return f"**{node['exponent']:g}"
    return op.function or re.sub(r"\{\d\}", "", op.written).strip()


def short_name(name, chars=NAME_CHARS):
    """A name that fits its box: at most `chars` characters, cut with an ellipsis."""
    return name if len(name) <= chars else name[:chars - 1] + "\u2026"


def short_number(x):
    """At most 10 characters: 4 decimals, or 3 significant digits with an exponent for numbers too big or
    too small for that (the page's shortNumber() is the same rule)."""
    text = f"{x:.4f}"
    if len(text) > 10 or (x != 0 and abs(x) < 1e-3):
        text = f"{x:.2e}"
    return text


def op_text(node):
    """What a node's op is called in the node table and the hover: micrograd's name ('**2' for x ** 2);
    '' for a leaf."""
    return OPS[node["op"]].label(node["exponent"]) if node["op"] else ""


def topo_text(number):
    """The tag on a box: the node's index in the list build_topo returns."""
    return f"topo[{number}]"


def _role(node, output_id):
    if node["id"] == output_id:
        return "output"
    if node["op"]:
        return "computed"
    return "constant" if is_constant(node) else "leaf"


def source_data(graph):
    """The ColumnDataSource columns for one Graph (grads and highlights are filled in by the page)."""
    nodes, positions = graph.trace["nodes"], graph.layout
    output_id = nodes[-1]["id"]
    names = display_names(nodes)
    values = {
        "id": [n["id"] for n in nodes], "name": [names[n["id"]] for n in nodes], "op": [op_text(n) for n in nodes],
        "short_name": [short_name(names[n["id"]]) for n in nodes],
        "x": [positions["value"][n["id"]][0] for n in nodes], "y": [positions["value"][n["id"]][1] for n in nodes],
        "data": [n["data"] for n in nodes], "data_text": [f"data {short_number(n['data'])}" for n in nodes],
        "grad": [math.nan] * len(nodes), "grad_text": ["" if is_constant(n) else "grad \u2014" for n in nodes],
        # the hover's grad: text, so a grad hidden in predict mode says "?" (animation.js fills it in)
        "grad_tip": ["\u2014"] * len(nodes),
        "constant": [is_constant(n) for n in nodes],
        # engine.trace numbers the nodes in engine.build_topo's order: a node's id is its index in topo
        "topo": [n["id"] for n in nodes], "topo_text": [topo_text(n["id"]) for n in nodes],
        "tag_x": [positions["value"][n["id"]][0] - BOX_WIDTH / 2 + TAG_INSET for n in nodes],
        "tag_y": [positions["value"][n["id"]][1] + BOX_HEIGHT / 2 + TAG_RISE for n in nodes],
        "tag_alpha": [1.0] * len(nodes),  # build_topo mode hides (0) the tags of nodes not yet numbered
        "fill": [NODE_FILL[_role(n, output_id)] for n in nodes],
        "line_color": ["#5b6170"] * len(nodes), "line_width": [1.2] * len(nodes),
    }
    op_nodes = [n for n in nodes if n["op"]]
    ops = {"id": [n["id"] for n in op_nodes], "op": [op_symbol(n) for n in op_nodes],
           "engine_op": [op_text(n) for n in op_nodes],
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
        "color": [COLORS["idle"]] * len(edge_rows), "width": [1.2] * len(edge_rows), "alpha": [1.0] * len(edge_rows),
        "dash": ["solid"] * len(edge_rows),  # animation.js dashes the edges of negative contributions
    }
    edge_index = {(e["target"], e["slot"]): i for i, e in enumerate(edge_rows)}
    steps = {key: [s[key] for s in graph.steps] for key in
             ("node", "from", "slot", "local", "upstream", "contribution", "grad_after")}
    steps["edge"] = [edge_index.get((s["from"], s["slot"]), -1) for s in graph.steps]
    return values, ops, edges, steps


def _extent(graph):
    """The box around the drawing: every value box, op circle and edge, with FRAME_PAD around it (animation.js's
    extent() is the same rule)."""
    xs, ys = [], []
    for x, y in graph.layout["value"].values():
        xs += [x - BOX_WIDTH / 2, x + BOX_WIDTH / 2]
        ys += [y - BOX_HEIGHT / 2, y + BOX_HEIGHT / 2]
    for x, y in graph.layout["op"].values():
        xs += [x - OP_RADIUS, x + OP_RADIUS]
        ys += [y - OP_RADIUS, y + OP_RADIUS]
    for edge in graph.layout["edges"]:
        xs += edge["xs"]
        ys += edge["ys"]
    return min(xs) - FRAME_PAD[0], max(xs) + FRAME_PAD[0], min(ys) - FRAME_PAD[1], max(ys) + FRAME_PAD[1]


def plot_height(graph):
    """Frame height for the plot: the graph's own height at zoom 1, within PLOT_HEIGHTS."""
    _, _, y0, y1 = _extent(graph)
    return int(min(max(y1 - y0, PLOT_HEIGHTS[0]), PLOT_HEIGHTS[1]))


def plot_css_height(graph):
    """CSS height of the plot: the graph's (plus the toolbar), but at most what the window leaves under the step
    buttons and the explanation (PAGE_ABOVE_PLOT), never under 150 px: the plot and its controls are on screen
    together, also in a 360-pixel-high iframe."""
    return f"min({plot_height(graph) + TOOLBAR_HEIGHT}px, max(150px, calc(100vh - {PAGE_ABOVE_PLOT}px)))"


def initial_ranges(graph, width=FRAME_WIDTH, height=FRAME_HEIGHT, whole=False):
    """What a frame of width x height pixels shows first: the whole graph when it fits at a readable zoom
    (never above zoom 1), else its output end at READABLE_ZOOM (the user pans toward the inputs).
    whole=True: the whole graph at any zoom ("Fit graph"). Returns the x range, the y range and the zoom
    (pixels per unit). The page does the same in framing.js (fit())."""
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


class GraphDrawing(pn.viewable.Viewer):
    """The summary line and the plot of state.graph. Sends the page only the number columns when only numbers
    changed (a new leaf value), everything when the graph's shape did."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state, **params):
        super().__init__(state=state, **params)
        values, ops, edges, steps = source_data(state.graph)
        self.values_src, self.ops_src = ColumnDataSource(values, name="graph_values"), ColumnDataSource(ops)
        self.edges_src, self.steps_src = ColumnDataSource(edges), ColumnDataSource(steps)
        self.pulse_src = ColumnDataSource({"x": [], "y": [], "color": []})
        self.frame = 0  # each new placing of the boxes gets a new number: the page frames that graph afresh
        self._drawn_shape = None  # the shape of the graph the sources hold
        self._framed_positions = None  # the box positions of the graph last framed
        self._tap_callbacks = []
        self.summary = pn.pane.HTML("", css_classes=["graph-summary"], stylesheets=[SHORT_FRAME_HIDES])
        self._make_plot()
        self.values_src.selected.on_change("indices", self._on_tap)
        state.param.watch(self._on_graph, "graph")
        self._on_graph()
        self.legend = pn.pane.HTML(LEGEND_HTML, sizing_mode="stretch_width", margin=(0, 10),
                                   stylesheets=[SHORT_FRAME_HIDES])
        self._layout = pn.Column(self.summary, pn.pane.Bokeh(self.plot, sizing_mode="stretch_width"), self.legend,
                                 sizing_mode="stretch_width", margin=0)

    def __panel__(self):
        return self._layout

    def on_tap(self, callback):
        """callback(name) when a node is tapped in the plot."""
        self._tap_callbacks.append(callback)

    def _on_tap(self, attr, old, new):
        if new:
            for callback in self._tap_callbacks:
                callback(self.values_src.data["name"][new[0]])

    def _make_plot(self):
        (x0, x1), (y0, y1), scale = initial_ranges(self.state.graph)
        self.x_range, self.y_range = Range1d(x0, x1), Range1d(y0, y1)
        p = figure(sizing_mode="stretch_width", min_width=280, min_height=200,
                   x_range=self.x_range, y_range=self.y_range, css_classes=["graph-plot"], name="graph_plot",
                   tools="pan,wheel_zoom,reset", active_scroll="wheel_zoom", toolbar_location="above",
                   title="Drag: pan · scroll: zoom · tap a node: edit")
        p.axis.visible = False
        p.grid.visible = False
        p.outline_line_color = None
        edges = p.multi_line("xs", "ys", source=self.edges_src, line_color="color", line_width="width",
                             line_alpha="alpha", line_dash="dash")
        p.add_layout(Arrow(end=VeeHead(size=8, fill_color="#7a808c", line_color=None), line_alpha=0,
                           x_start="x0", y_start="y0", x_end="x1", y_end="y1", source=self.edges_src))
        boxes = p.rect("x", "y", width=BOX_WIDTH, height=BOX_HEIGHT, source=self.values_src, fill_color="fill",
                       line_color="line_color", line_width="line_width", border_radius=6,
                       nonselection_fill_alpha=1.0, nonselection_line_alpha=1.0,
                       selection_line_color=SELECTED, selection_line_width=3)
        p.add_tools(TapTool(renderers=[boxes]))  # tapping a node picks it in "Edit by clicking"
        p.add_tools(SaveTool(filename="micrograd-expression-graph"))  # the toolbar's Save: a PNG of the drawing
        op_circles = p.circle("x", "y", radius=OP_RADIUS, source=self.ops_src, fill_color="#f4f1ff",
                              line_color="line_color", line_width=1.5)  # radius in plot units: zooms with the boxes
        common = dict(text_align="center", text_baseline="middle", text_color="#1d2330")
        self.texts = [
            p.text("x", "y", text="short_name", source=self.values_src, text_font_style="bold", **common),
            p.text("x", "y", text="data_text", source=self.values_src, **common),
            p.text("x", "y", text="grad_text", source=self.values_src, **common),
            p.text("x", "y", text="op", source=self.ops_src, **common),
            # the topo tag: outlined in the box's colour (green while its _backward runs)
            p.text("tag_x", "tag_y", text="topo_text", source=self.values_src, text_align="left",
                   text_baseline="middle", text_color="#3d434f", background_fill_color="white",
                   border_line_color="line_color", border_line_width=1, padding=1, border_radius=3,
                   text_alpha="tag_alpha", background_fill_alpha="tag_alpha", border_line_alpha="tag_alpha"),
        ]
        for renderer, size, offset in zip(self.texts, TEXT_SIZES, TEXT_OFFSETS):
            renderer.glyph.update(text_font_size=f"{size * scale:.1f}px", y_offset=offset * scale)
            # Text ignores the tap selection: one glyph for every state, so zooming resizes all of it.
            renderer.selection_glyph = renderer.nonselection_glyph = renderer.glyph
        p.scatter("x", "y", size=16, source=self.pulse_src, fill_color="color", line_color="white", line_width=2)
        p.add_tools(HoverTool(renderers=[boxes], tooltips=[
            ("node", "@name"), ("place in topo", "topo[@topo]"), ("op", "@op"), ("data", "@data{%.12g}"),
            ("grad", "@grad_tip")],
            formatters={"@data": "printf"}))
        p.add_tools(HoverTool(renderers=[op_circles], tooltips=[("operation", "@engine_op"), ("makes", "@name")]))
        p.add_tools(HoverTool(renderers=[edges], line_policy="interp", tooltips=[
            ("edge", "@source_name \u2192 @target_name"),
            ("local derivative", "d@target_name/d@source_name = @local{%.12g}")],
            formatters={"@local": "printf"}))
        self.plot = p

    def _on_graph(self, *_):
        graph = self.state.graph
        values, ops, edges, steps = source_data(graph)
        # A graph with boxes in new places (a new program, an added or deleted node) is framed afresh; the same
        # boxes in the same places (new leaf values, a rename) keep the student's pan and zoom.
        if graph.layout["value"] != self._framed_positions:
            self.frame += 1
            self._framed_positions = graph.layout["value"]
        # The request travels inside the data: in the Pyodide worker, changes of different models can reach
        # the page in any order, and the page must frame the graph it has, not the one before.
        values["frame"] = [self.frame] * len(values["id"])
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
            # CSS gives the plot the graph's height, or less on a short page (an iframe).
            self.plot.styles = {"height": plot_css_height(graph), "flex": "0 0 auto"}
            self.summary.object = (f"<p>Output <b>{html.escape(values['name'][-1])}</b> = {values['data'][-1]:.4f}; "
                                   f"{len(values['id'])} nodes, {len(graph.steps)} backward steps.</p>")


class NodeTable(pn.viewable.Viewer):
    """Every node's label, op, data and grad at the animation's step (the page fills it in: animation.js)."""

    state = param.ClassSelector(class_=GraphState)

    def __init__(self, state, **params):
        super().__init__(state=state, **params)
        self.table = Div(text="", css_classes=["graph-table"], sizing_mode="stretch_width",
                         styles={"max-height": f"{PLOT_HEIGHTS[1]}px", "overflow": "auto"})
        state.param.watch(self._on_graph, "graph")
        self._on_graph()
        # Beside the plot from ~1030 px (the editor's 260 + the plot's 440 + 280 + gaps), under it below.
        self._layout = pn.Column(pn.pane.Bokeh(self.table, sizing_mode="stretch_width"), sizing_mode="stretch_width",
                                 css_classes=["graph-table-box"], styles={"flex": "1 1 280px", "max-width": "440px", "min-width": "0"})

    def __panel__(self):
        return self._layout

    def _on_graph(self, *_):
        # beside the plot, as tall as the plot's area, then it scrolls
        self.table.styles = dict(self.table.styles, **{"max-height": f"{plot_height(self.state.graph) + 80}px"})
