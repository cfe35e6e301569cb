"""Loss and accuracy against the step, for the training and the test points, with hover values."""

import panel as pn
from bokeh.models import ColumnDataSource, HoverTool, NumeralTickFormatter, Range1d
from bokeh.plotting import figure

from .colors import BLUE, ORANGE, ORANGE_TEXT

COLUMNS = ("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")


class TrainingCurves:
    """Two small figures sharing one source; the view streams new rows in as training runs. Their legend is one
    line of text above both (`legend`): inside figures this small, a legend would hide the curves."""

    def __init__(self, width=420, height=170):
        self.source = ColumnDataSource({name: [] for name in COLUMNS})
        self.loss_figure = self._figure("loss", width, height, "train_loss", "test_loss", "{0.0000}")
        self.accuracy_figure = self._figure("accuracy", width, height, "train_accuracy", "test_accuracy",
                                            "{0.0%}")
        self.accuracy_figure.y_range = Range1d(0.0, 1.02)
        self.accuracy_figure.x_range.start = 0   # steps start at 0 (one point at step 0 spread the axis over -1..1)
        self.loss_figure.x_range = self.accuracy_figure.x_range  # zooming one zooms both
        self.legend = pn.pane.HTML(
            f"<span style='color:{BLUE}'>━━ train</span> &nbsp; <span style='color:{ORANGE_TEXT}'>╍╍ test</span>",
            css_classes=["train-curves-legend"], margin=(0, 10))

    def _figure(self, title, width, height, train_column, test_column, number_format):
        fig = figure(width=width, height=height, title=title, tools="xwheel_zoom,xpan,reset",
                     toolbar_location=None, name=f"{title}_curve",
                     css_classes=[f"train-{title}-curve"])  # playground/a11y/names.js names it
        train = fig.line("step", train_column, source=self.source, color=BLUE, line_width=2)
        fig.line("step", test_column, source=self.source, color=ORANGE, line_width=2, line_dash="dashed")
        fig.add_tools(HoverTool(renderers=[train], mode="vline", tooltips=[
            ("step", "@step"),
            ("train", f"@{train_column}{number_format}"),
            ("test", f"@{test_column}{number_format}"),
        ]))
        fig.xaxis.axis_label = "step"
        fig.xaxis.ticker.min_interval = 1   # whole steps only (no 0.2, 0.4 ... before training)
        # A figure this small has room for three or four short labels an axis: Bokeh's default six ran into
        # each other, and so did four asked for at some run lengths ("0 200 400 600 800 1000" at 1,100 steps).
        # Steps read 1.5k, 20k, 100k (not 1.000e+5): three asked for, none overlap up to a million steps.
        fig.xaxis.ticker.desired_num_ticks = 3
        fig.xaxis.formatter = NumeralTickFormatter(format="0.[0]a")
        fig.yaxis.ticker.desired_num_ticks = 3
        fig.axis.minor_tick_line_color = None
        return fig

    def clear(self):
        self.source.data = {name: [] for name in COLUMNS}

    def add(self, rows, whole=False):
        """rows: dicts with the COLUMNS keys (None for a missing test value), oldest first: streamed in after the
        rows shown, or (whole) shown instead of them (the run's history was thinned: history.py)."""
        columns = {name: [_plottable(row[name]) for row in rows] for name in COLUMNS}
        if whole:
            self.source.data = columns
        elif rows:
            self.source.stream(columns)


def _plottable(value):
    """Bokeh draws NaN as a gap, which is what a missing test set should look like."""
    return float("nan") if value is None else value
