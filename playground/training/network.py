"""The network drawing: neurons as nodes, weights as edges.

An edge's colour is the sign of its weight (blue +, orange -), its width the weight's magnitude. After a step
the gradients travel backwards, from the output to the inputs, as pulses riding the edges, as in the graph
view: a pulse's size is the gradient's magnitude and its colour the gradient's sign. Hover an edge for the weight
and its grad; click it to pick it (the view owns the editor).

Each neuron is drawn as a small heatmap of what it computes over the data plot's box (inputs: x1 and x2;
hidden neurons: their activation, scaled by its largest magnitude; the output: tanh of the score, as the data
plot), framed by its bias' colour, so the student sees the decision boundary being built from its parts.

Only numbers travel to the browser on each redraw: colours are mapped from the signs there, the layout
(positions, names) is sent once per network shape, and the pulses move in the page (WAVE_JS), not in Python.
"""

import numpy as np
from bokeh.models import ColumnDataSource, CustomJS, HoverTool, LinearColorMapper, TapTool
from bokeh.plotting import figure

from .colors import BLUE, LEVELS, ORANGE, diverging_palette, to_levels

MAX_EDGE_WIDTH = 6.0
MAX_DOT_SIZE = 12.0
WAVE_MS = 500  # one backward wave, output to inputs
WAVE_FPS = 24  # the pulses move this many times a second
THUMBNAIL_GRID = 16        # each neuron's picture is THUMBNAIL_GRID x THUMBNAIL_GRID evaluations
MAX_THUMBNAIL_PX = 26      # its side in pixels, smaller when a layer's neurons sit closer together
Y_RANGE = (-0.56, 0.56)    # the neurons of the tallest layer span -0.5 .. 0.5

# Runs in the page whenever Python sends new gradients (a new `wave` source). A wave already travelling
# finishes first, then another starts if gradients changed meanwhile: during training the waves follow each
# other, after one Step there is exactly one. Page-only changes use sync: false, so no frame goes to Python.
WAVE_JS = """
const A = wave.__anim || (wave.__anim = {running: false, pending: false});
if (A.running) { A.pending = true; return; }
const reduced = window.matchMedia != null && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
function run() {
  A.running = true; A.pending = false;
  const start = performance.now();
  let drawn = 0;
  const frame = (now) => {
    // At most FPS frames a second: each one repaints the network, and the heatmap needs the page's time more.
    if (now - drawn < 1000 / fps) { requestAnimationFrame(frame); return; }
    drawn = now;
    const W = wave.data, E = edges.data, n_layers = Math.max(1, W.n_layers[0] || 1);
    const phase = (now - start) / duration;
    if (phase > 1 || reduced || W.size.length !== E.layer.length) {
      dots.setv({data: {x: [], y: [], size: [], grad: []}}, {sync: false});
      A.running = false;
      if (A.pending) run();
      return;
    }
    const position = phase * n_layers, x = [], y = [], size = [], grad = [];
    for (let k = 0; k < E.layer.length; k++) {
      const along = position - (n_layers - 1 - E.layer[k]);  // the last layer goes first
      if (along < 0 || along > 1 || W.size[k] < 0.5) continue;
      x.push(E.x1[k] + (E.x0[k] - E.x1[k]) * along);        // from the neuron back to its input
      y.push(E.y1[k] + (E.y0[k] - E.y1[k]) * along);
      size.push(W.size[k]); grad.push(W.grad[k]);
    }
    dots.setv({data: {x, y, size, grad}}, {sync: false});
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
run();
"""


def sign_colors():
    """Below zero orange, above zero blue: the browser colours each glyph from its number."""
    return LinearColorMapper(palette=[ORANGE, BLUE], low=-1e-300, high=1e-300, low_color=ORANGE,
                             high_color=BLUE)


def neuron_positions(sizes, height=1.0):
    """x and y of every neuron, layer by layer: layers evenly spaced left to right, neurons centred."""
    spacing = height / max(max(sizes) - 1, 1)
    return [[(float(layer), (j - (n - 1) / 2) * spacing) for j in range(n)] for layer, n in enumerate(sizes)]


def edge_layout(sizes):
    """Every weight as (layer, target, source) with its segment's end points, in the engine's weight order."""
    positions = neuron_positions(sizes)
    rows = []
    for layer in range(len(sizes) - 1):
        for target in range(sizes[layer + 1]):
            for source in range(sizes[layer]):
                (x0, y0), (x1, y1) = positions[layer][source], positions[layer + 1][target]
                rows.append((layer, target, source, x0, y0, x1, y1))
    return rows


class NetworkPlot:
    """draw(snapshot) updates the weights and sends a gradient wave; draw_thumbnails(maps) the neurons' pictures."""

    def __init__(self, width=420, height=300):
        self.figure = figure(width=width, height=height, tools="", toolbar_location=None,
                             x_range=(-0.3, 2.3), y_range=Y_RANGE, name="network", min_border=4,
                             css_classes=["train-network"])  # playground/a11y/names.js names it
        self.figure.axis.visible = False
        self.figure.grid.visible = False
        self.figure.outline_line_color = None
        self.edge_source = ColumnDataSource({key: [] for key in (
            "x0", "y0", "x1", "y1", "name", "layer", "target", "source", "weight", "grad", "width")})
        self.node_source = ColumnDataSource({key: [] for key in ("x", "y", "name", "bias", "grad")})
        self.dot_source = ColumnDataSource({"x": [], "y": [], "size": [], "grad": []})
        # One gradient per edge, in the edges' order (the page reads the edges' ends from edge_source).
        self.wave_source = ColumnDataSource({"size": [], "grad": [], "n_layers": []})
        self.wave_source.js_on_change("data", CustomJS(args={
            "wave": self.wave_source, "edges": self.edge_source, "dots": self.dot_source, "duration": WAVE_MS,
            "fps": WAVE_FPS},
            code=WAVE_JS))
        # A source reaches the page only when something on the page uses it: an invisible renderer does.
        self.figure.scatter("size", "grad", source=self.wave_source, visible=False, name="wave")
        colors = sign_colors()  # a Bokeh model belongs to one document: one mapper per drawing

        self.figure.segment("x0", "y0", "x1", "y1", source=self.edge_source, line_width="width", line_alpha=0.75,
                            line_color={"field": "weight", "transform": colors}, name="weights")
        # level="overlay": the pulses, redrawn at every animation frame, repaint only the overlay layer of
        # the canvas, not the hundreds of edges under them.
        self.figure.scatter("x", "y", source=self.dot_source, size="size", line_color="white", line_width=0.5,
                            fill_color={"field": "grad", "transform": colors}, level="overlay", name="gradient_dots")
        # A neuron: a square in its bias' colour, with the neuron's picture on top, a little smaller.
        self.nodes = self.figure.scatter("x", "y", source=self.node_source, size=15, marker="square",
                                         line_color="#555555", fill_color={"field": "bias", "transform": colors},
                                         name="neurons")
        self.thumbnail_source = ColumnDataSource({"image": [], "x": [], "y": []})
        self.thumbnails = self.figure.image(
            image="image", x="x", y="y", dw=10, dh=10, dw_units="screen", dh_units="screen", anchor="center",
            color_mapper=LinearColorMapper(palette=diverging_palette(), low=0, high=LEVELS),
            source=self.thumbnail_source, name="neuron_thumbnails")
        # An invisible, wide copy of the edges makes thin weights easy to hover and click.
        hit_area = self.figure.segment("x0", "y0", "x1", "y1", source=self.edge_source, line_width=9,
                                       line_alpha=0.0, name="weight_hit_area")
        hit_area.selection_glyph = hit_area.glyph
        hit_area.nonselection_glyph = hit_area.glyph
        self.figure.add_tools(
            HoverTool(renderers=[hit_area], line_policy="interp",
                      tooltips=[("weight", "@name"), ("value", "@weight{0.0000}"), ("grad", "@grad{0.0000}")]),
            HoverTool(renderers=[self.nodes], tooltips=[("neuron", "@name"), ("bias", "@bias{0.0000}"),
                                                   ("grad", "@grad{0.0000}")]),
            TapTool(renderers=[hit_area]),
        )
        self.sizes = None
        self.height = height

    def thumbnail_px(self, sizes):
        """The side of a neuron's picture in pixels: a little less than the space between two neurons."""
        spacing = 1.0 / max(max(sizes) - 1, 1)                       # in data units (neuron_positions)
        px_per_unit = (self.height - 8) / (Y_RANGE[1] - Y_RANGE[0])   # the frame: height minus the borders
        return int(min(MAX_THUMBNAIL_PX, 0.8 * spacing * px_per_unit))

    def _lay_out(self, sizes):
        """Send positions and names, once per network shape."""
        self.sizes = list(sizes)
        rows = edge_layout(sizes)
        columns = list(zip(*rows)) if rows else [()] * 7
        layer, target, source, x0, y0, x1, y1 = (np.array(c) for c in columns)
        n_edges = len(rows)
        self.edge_source.data = {
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "layer": layer, "target": target, "source": source,
            "name": [f"layer {l + 1}, neuron {t} <- {'x' if l == 0 else 'neuron '}{s + (l == 0)}"
                     for l, t, s in zip(layer, target, source)],
            "weight": np.zeros(n_edges), "grad": np.zeros(n_edges), "width": np.ones(n_edges)}
        names, xs, ys = [], [], []
        for layer_index, column in enumerate(neuron_positions(sizes)):
            for j, (x, y) in enumerate(column):
                if layer_index == 0:
                    names.append(f"input x{j + 1}")
                elif layer_index == len(sizes) - 1:
                    names.append("output")
                else:
                    names.append(f"layer {layer_index}, neuron {j}")
                xs.append(x), ys.append(y)
        n_nodes = len(names)
        self.node_source.data = {"x": xs, "y": ys, "name": names, "bias": np.zeros(n_nodes),
                                 "grad": np.zeros(n_nodes)}
        side = self.thumbnail_px(sizes)
        self.node_lookup = (xs, ys)
        self.thumbnail_source.data = {"image": [], "x": [], "y": []}
        self.thumbnails.glyph.update(dw=side, dh=side)
        self.nodes.glyph.size = side + 4
        self.figure.x_range.update(start=-0.3, end=len(sizes) - 0.7)

    def draw(self, snapshot, wave=True):
        """snapshot: {"sizes": [2, ..., 1], "weights": [(n_out, n_in) arrays], "weight_grads": [...],
        "biases": [(n_out,) arrays], "bias_grads": [...]}, one entry per layer after the inputs.
        wave: also send the gradients off on a backward wave."""
        if snapshot["sizes"] != self.sizes:
            self._lay_out(snapshot["sizes"])
        weights = _flat(snapshot["weights"])
        grads = _flat(snapshot["weight_grads"])
        largest = np.abs(weights).max() if weights.size else 0.0
        width = 0.5 + (MAX_EDGE_WIDTH - 0.5) * np.abs(weights) / largest if largest > 0 else np.ones_like(weights)
        self.edge_source.data.update(weight=weights, grad=grads, width=width)
        # Inputs have no bias: NaN shows as Bokeh's nan colour (grey) and as "NaN" in the hover.
        nan_inputs = np.full(snapshot["sizes"][0], np.nan)
        self.node_source.data.update(bias=np.concatenate([nan_inputs, _flat(snapshot["biases"])]),
                                     grad=np.concatenate([nan_inputs, _flat(snapshot["bias_grads"])]))
        if wave:
            self.wave_source.data = {"grad": grads, "size": pulse_sizes(grads),
                                     "n_layers": np.full(len(grads), len(self.sizes) - 1)}

    def draw_thumbnails(self, maps):
        """maps: one (neurons, n, n) array per layer, inputs first, output last (TrainingRun.neuron_maps):
        what each neuron computes over the data plot's box, drawn on the neuron."""
        sizes = [len(layer) for layer in maps]
        if sizes != self.sizes:
            self._lay_out(sizes)
        images = thumbnail_images(maps)
        xs, ys = self.node_lookup
        self.thumbnail_source.data = {"image": images, "x": xs, "y": ys}

    def on_pick(self, callback):
        """callback(layer, target, source) when the student clicks a weight."""
        def picked(attr, old, new):
            if new:
                data = self.edge_source.data
                k = new[0]
                callback(int(data["layer"][k]), int(data["target"][k]), int(data["source"][k]))
                self.edge_source.selected.indices = []  # so clicking the same weight again picks it again
        self.edge_source.selected.on_change("indices", picked)


def pulse_sizes(grads):
    """Pulse diameters in pixels: the largest gradient gets MAX_DOT_SIZE (square root: small ones stay visible)."""
    largest = np.abs(grads).max() if grads.size else 0.0
    return MAX_DOT_SIZE * np.sqrt(np.abs(grads) / largest) if largest > 0 else np.zeros_like(grads)


def thumbnail_images(maps):
    """Every neuron's map as a uint8 image, for the diverging palette: values in [-1, 1] become 0 .. LEVELS.
    The output (last layer) is tanh(score), as the data plot shows it; every other neuron is divided by its
    largest magnitude (a ReLU's output has no upper bound: its shape is what the picture shows)."""
    images = []
    for k, layer in enumerate(maps):
        for values in np.asarray(layer, dtype=float):
            if k == len(maps) - 1:
                values = np.tanh(values)
            else:
                largest = np.abs(values).max()
                values = values / largest if largest > 0 else values
            images.append(to_levels(values))
    return images


def _flat(arrays):
    return np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays]) if arrays else np.zeros(0)
