"""The data plot: the model's decision boundary as a heatmap, with the points on top.

Training points are filled, test points hollow. The heatmap shows tanh(score) on a square grid, so every
loss (whose scores have different scales) paints orange for -1, blue for +1 and grey on the boundary.
"""

import numpy as np
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, CustomJS, HoverTool, LinearColorMapper
from bokeh.plotting import figure

from .colors import LEVELS, diverging_palette, label_color, to_levels
from .controller import grid_points  # noqa: F401  (the grid the heatmap's cells are)

GRID_SIZE = 60  # the heatmap is GRID_SIZE x GRID_SIZE model evaluations


class DecisionBoundaryPlot:
    """A Bokeh figure; the view pushes points and scores in, and hears about clicks through on_click."""

    def __init__(self, extent=(-2.0, 2.0, -2.0, 2.0), width=420, height=420):
        self.extent = extent
        self.figure = figure(width=width, height=height, tools="tap,wheel_zoom,pan,reset",
                             x_range=extent[:2], y_range=extent[2:], toolbar_location="below",
                             match_aspect=True, name="decision_boundary",
                             css_classes=["train-boundary"])  # playground/a11y/names.js names it
        self.figure.toolbar.active_scroll = None
        self.image_source = ColumnDataSource({"image": [to_levels(np.zeros((GRID_SIZE, GRID_SIZE)))], "frame": [0]})
        # The page says which heatmap frame it has taken in, so the view never sends frames faster than the
        # page can draw them (a backlog would make every button answer seconds late).
        self.frames_sent = self.frames_shown = 0
        self.frame_ack = ColumnDataSource({"frame": [0]})
        self.image_source.js_on_change("data", CustomJS(args={"image": self.image_source, "ack": self.frame_ack},
                                                        code="ack.data = {frame: [image.data.frame[0]]};"))
        self.frame_ack.on_change("data", self._frame_shown)
        mapper = LinearColorMapper(palette=diverging_palette(), low=0, high=LEVELS)
        self.image = self.figure.image(image="image", x=extent[0], y=extent[2], dw=extent[1] - extent[0],
                                       dh=extent[3] - extent[2], color_mapper=mapper, source=self.image_source,
                                       name="heatmap")
        self.point_source = ColumnDataSource({"x": [], "y": [], "label": [], "color": [], "fill": [],
                                              "line": [], "split": [], "index": []})
        points = self.figure.scatter("x", "y", source=self.point_source, size=9, line_color="line",
                                     fill_color="fill", line_width=1.8, name="points")
        # Selecting a point on tap would dim the others: keep every point looking the same.
        points.selection_glyph = points.glyph
        points.nonselection_glyph = points.glyph
        self.figure.add_tools(HoverTool(renderers=[points], tooltips=[("point", "@index (@split)"),
                                                                      ("x, y", "@x{0.00}, @y{0.00}"),
                                                                      ("label", "@label")]))
        self.figure.grid.visible = False
        # No axes: measuring their labels would cost the page more than drawing the heatmap, ten times a second.
        self.figure.axis.visible = False

    def set_extent(self, extent):
        """Move the view and the heatmap to a new box (after a new data set)."""
        self.extent = extent
        x0, x1, y0, y1 = extent
        self.figure.x_range.update(start=x0, end=x1)
        self.figure.y_range.update(start=y0, end=y1)
        self.image.glyph.update(x=x0, y=y0, dw=x1 - x0, dh=y1 - y0)

    def show_points(self, points, labels, is_train):
        """points: (n, 2); labels: -1/+1; is_train: booleans. Train points filled, test points hollow."""
        colors = [label_color(label) for label in labels]
        self.point_source.data = {
            "x": [float(p[0]) for p in points],
            "y": [float(p[1]) for p in points],
            "label": [int(label) for label in labels],
            "color": colors,
            # Train: filled with a white rim; test: hollow, a coloured ring around white.
            "fill": [c if train else "white" for c, train in zip(colors, is_train)],
            "line": ["white" if train else c for c, train in zip(colors, is_train)],
            "split": ["train" if train else "test" for train in is_train],
            "index": list(range(len(labels))),
        }

    def show_scores(self, scores):
        """scores: GRID_SIZE*GRID_SIZE model outputs over grid_points(self.extent), sent as tanh(score) levels."""
        image = to_levels(np.tanh(np.asarray(scores, dtype=float)).reshape(GRID_SIZE, GRID_SIZE))
        self.frames_sent += 1
        self.image_source.data = {"image": [image], "frame": [self.frames_sent]}

    def _frame_shown(self, attr, old, new):
        self.frames_shown = int(new["frame"][0])

    def page_is_behind(self):
        """Has the page not yet taken in the frame before the last one? Then wait before sending more."""
        return self.frames_sent - self.frames_shown > 1

    def on_click(self, callback):
        """callback(x, y, index) on a click; index is the nearest point within reach, or None."""
        def tapped(event):
            callback(event.x, event.y, self.point_near(event.x, event.y))
        self.figure.on_event(Tap, tapped)

    def point_near(self, x, y, reach=0.03):
        """The index of the point nearest (x, y) if closer than reach (a fraction of the view's width)."""
        xs = np.asarray(self.point_source.data["x"], dtype=float)
        ys = np.asarray(self.point_source.data["y"], dtype=float)
        if len(xs) == 0:
            return None
        dist = np.hypot(xs - x, ys - y)
        nearest = int(np.argmin(dist))
        width = self.extent[1] - self.extent[0]
        return nearest if dist[nearest] <= reach * width else None
