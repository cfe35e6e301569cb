"""The page's accessibility layer: a11y.js and a11y.css, run in the page once it is shown.

Bokeh and Panel draw their widgets in shadow roots and have no parameter for the ARIA attributes or the
focus styles those need; a11y.js adds them there (what it does is listed at its top). It runs in the page
only: nothing goes back to Python. `install()` is called once by app.py.

SHORTCUTS is the lesson's keyboard shortcuts: each key clicks the graph view's button of that class (the
classes are set in playground/graph/view.py); the help popover lists them from this same table.
"""
from pathlib import Path

import panel as pn
from bokeh.models import CustomJS

HERE = Path(__file__).parent
A11Y_JS = (HERE / "a11y.js").read_text()
A11Y_CSS = (HERE / "a11y.css").read_text()

SHORTCUTS = [  # key, class of the graph view's button, what it does
    ("s", "graph-step", "Step: the next backward step"),
    ("b", "graph-back", "Step back"),
    ("p", "graph-play", "Play or pause the backward pass"),
    ("r", "graph-reset", "Reset: back to step 0"),
]


def install():
    """Run the accessibility layer in the page as soon as the page is shown."""
    if pn.state.curdoc is not None:
        pn.state.curdoc.js_on_event("document_ready", CustomJS(
            args={"css": A11Y_CSS, "shortcuts": [list(s) for s in SHORTCUTS]}, code=A11Y_JS))
