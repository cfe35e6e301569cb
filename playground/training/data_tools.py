"""The training view's "Your data" drawer: import points from CSV, export them, the model and pictures.

Import (a .csv file or pasted text, read by csv_points.py) replaces the data set with the data set
"imported": its points go into the settings (so into the live document, its links and files), and a file that
cannot be read changes nothing and says which line is wrong. Export: the points with their split as CSV, the
trained model as JSON (model_file.py) and PNG pictures of the plots. A picture is made in the page by Bokeh's
SaveTool (the figure's own canvas, so it works with Python in a web worker): each figure gets one with a
filename that says what it shows, and a button here presses it.
"""
import html
import io
import time

import panel as pn
from bokeh.models import SaveTool

from . import csv_points, model_file

# Presses a figure's SaveTool from a button: the tool's view (built even when the toolbar is hidden) draws
# the figure's canvas into a PNG and downloads it under the tool's filename.
PRESS_SAVE_JS = "tool.do.emit('save')"
PASTE_WAIT_S = 5.0   # a pasted text that reaches Python this soon after Import was pressed is imported then
ERROR_COLOR, NOTE_COLOR = "#a33", "#333"


def add_save_tool(fig, filename):
    """Give a Bokeh figure a SaveTool that saves '<filename>.png' without asking; returns the tool."""
    tool = SaveTool(filename=filename)
    fig.add_tools(tool)
    return tool


class DataTools(pn.viewable.Viewer):
    """Built by the training view with itself: reads its settings, run and figures."""

    def __init__(self, view, width):
        super().__init__()
        self.view = view
        s = view.settings
        # The toggle goes in the view's bar (beside the status), the drawer in the data column.
        self.toggle = pn.widgets.Toggle(label="Your data: import · export ▾", value=False, width=220,
                                        align="center", css_classes=["train-data-tools"])
        self.file = pn.widgets.FileInput(accept=".csv,text/csv", multiple=False, width=width - 20,
                                         css_classes=["train-csv-file"])
        self.file.param.watch(self._file_chosen, "value")
        self.paste = pn.widgets.TextAreaInput(
            label="…or paste CSV (x1,x2,label)", rows=3, width=width - 20, max_length=csv_points.MAX_BYTES,
            placeholder="x1,x2,label\n0.5,-1.2,cat\n-0.3,0.8,dog", css_classes=["train-csv-text"])
        self.paste.param.watch(self._paste_arrived, "value")
        self.import_button = pn.widgets.Button(label="Import pasted points", width=170,
                                               css_classes=["train-csv-import"])
        self.import_button.on_click(lambda event: self._import_pressed())
        self._pressed_at = None
        # The Str pane's <pre> wraps (a long message would otherwise make it a scroll box, unreachable by keyboard).
        self.message = pn.pane.Str("", visible=False, css_classes=["train-csv-message"], width=width - 20,
                                   styles={"font-size": "0.9em"},
                                   stylesheets=["pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }"])

        self.points_download = pn.widgets.FileDownload(
            callback=self._points_file, filename=self._points_filename(), label="Points (CSV)", color="light",
            width=width // 2 - 15, css_classes=["train-csv-download"])
        self.model_download = pn.widgets.FileDownload(
            callback=self._model_file, filename=model_file.FILENAME, label="Model (JSON)", color="light",
            width=width // 2 - 15, css_classes=["train-model-download"])
        s.param.watch(lambda *events: setattr(self.points_download, "filename", self._points_filename()),
                      ["dataset", "seed"])

        pictures = {"boundary": (view.boundary.figure, "micrograd-decision-boundary", "Boundary"),
                    "network": (view.network.figure, "micrograd-network", "Network"),
                    "loss": (view.curves.loss_figure, "micrograd-loss-curve", "Loss"),
                    "accuracy": (view.curves.accuracy_figure, "micrograd-accuracy-curve", "Accuracy")}
        self.save_buttons = {}
        for key, (fig, filename, label) in pictures.items():
            tool = add_save_tool(fig, filename)
            button = pn.widgets.Button(label=label, width=(width - 20) // 4 - 10, margin=(5, 5),
                                       description=f"Save a PNG picture of the {label.lower()} plot "
                                                   f"({filename}.png)", css_classes=[f"train-save-{key}"])
            button.js_on_click(args={"tool": tool}, code=PRESS_SAVE_JS)
            self.save_buttons[key] = button

        intro = pn.pane.HTML(
            f"Import a CSV file of x1,x2,label (header optional; any two labels; at most "
            f"{csv_points.MAX_POINTS:,} points). It replaces the data set; coordinates beyond ±"
            f"{csv_points.KEEP_WITHIN:g} are scaled onto −1…1, column by column.",
            margin=(0, 10), width=width - 20, styles={"font-size": "0.9em"})
        self.panel = pn.Column(
            intro, self.file, self.paste, self.import_button, self.message,
            pn.pane.HTML("<b>Download</b>", margin=(4, 10, 0, 10)),
            pn.Row(self.points_download, self.model_download),
            pn.pane.HTML("Save picture (PNG):", margin=(4, 10, 0, 10)),
            pn.Row(*self.save_buttons.values()),
            visible=False, width=width, margin=0, css_classes=["train-data-panel"])
        self.toggle.param.watch(lambda event: setattr(self.panel, "visible", event.new), "value")

    def __panel__(self):   # (the training view places the toggle and the drawer apart)
        return pn.Column(self.toggle, self.panel, margin=0)

    # -- import -------------------------------------------------------------------------------------

    def _say(self, text, error=False):
        self.message.object = html.escape(text[:500])   # a Str is rendered as HTML: escape what a file brought
        self.message.styles = dict(self.message.styles, color=ERROR_COLOR if error else NOTE_COLOR)
        self.message.visible = bool(text)

    def import_csv(self, data):
        """Read CSV bytes or text into the settings; on any problem say so and change nothing. True if imported."""
        try:
            points, note = csv_points.parse_csv(data)
        except csv_points.CSVError as error:
            self._say(f"Not imported: {error}. Nothing was changed.", error=True)
            return False
        with self.view.replacing("The imported points replaced the data set."):
            self.view.settings.param.update(imported_points=points, dataset="imported", added_points=[],
                                            removed_points=[])
        share = self.view.settings.train_fraction
        self._say(f"{note} {round(share * 100)} % of them train (the training share), split by the seed.")
        return True

    def _file_chosen(self, event):
        if event.new is not None:
            self.import_csv(event.new)

    def _import_pressed(self):
        self._pressed_at = time.monotonic()
        if not self.paste.value.strip():
            self._say("Paste some CSV text first (x1,x2,label on each line).", error=True)
            return
        self.import_csv(self.paste.value)

    def _paste_arrived(self, event):
        # In the Pyodide worker a click can overtake the text typed just before it: the text then follows.
        if self._pressed_at is not None and time.monotonic() - self._pressed_at < PASTE_WAIT_S and event.new.strip():
            self._pressed_at = None
            self.import_csv(event.new)

    # -- export -------------------------------------------------------------------------------------

    def _points_filename(self):
        s = self.view.settings
        return f"micrograd-points-{s.dataset}-seed{s.seed}.csv"

    def points_csv(self):
        run = self.view.run
        if not run.has_data:
            return csv_points.format_csv([], [], [])
        return csv_points.format_csv(run.points, run.labels, run.is_train)

    def _points_file(self):
        return io.BytesIO(self.points_csv().encode("utf-8"))

    def model_json(self):
        weights = self.view.weights()
        if weights is None:
            return None
        return model_file.model_json(self.view.settings, weights, self.view.run.step_count)

    def _model_file(self):
        text = self.model_json()
        if text is None:
            self._say("There is no model to download: the settings were refused.", error=True)
            return None
        return io.BytesIO(text.encode("utf-8"))
