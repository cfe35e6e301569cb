"""The page's accessibility layer: the scripts beside this file and a11y.css, run in the page once it is shown.

Bokeh and Panel draw every widget inside a shadow root and offer no way to set ARIA attributes or focus styles on
what they draw there (spin buttons, slider handles, tab headers, checkboxes). This layer adds what is missing,
and only that: it never changes what a control does, and nothing goes back to Python. `install()` is called once
by app.py. The scripts, one job each, share one scope and run in this order (PARTS):
  shadow.js    finding things through shadow roots, reading what an element shows
  announce.js  the polite live region: each backward step and each training milestone in words (and, from
               watch.js, what replaced the student's work: playground/undo.py); any element of class
               a11y-announce is said when its text changes (watch.js)
  names.js     names for unnamed controls, the drawings as role="img" with a text summary, what scrolls
  tabs.js      the view tabs as real tabs (tablist/tab/tabpanel, arrows, Home/End, Enter, Space)
  focus.js     the focus kept on a button that Bokeh redraws or disables
  page.js      landmarks (<main>, the sidebar), an h1, a skip link
  help.js      the keyboard help popover and the lesson's single-key shortcuts
  touch.js     touch screens: a swipe over a plot scrolls the page (pan is a tool to choose), the plots' hints
               name touch gestures, and on a phone the answer comes into view after Draw
  watch.js     a11y.css and the fixes above applied to every shadow root, now and as Bokeh draws more; starts it
Their arguments (CustomJS args): css (a11y.css, then touch.css: targets of 44 x 44 px where the pointer is a
finger), shortcuts (SHORTCUTS as lists) and version (the project's, shown in the help).

SHORTCUTS is the lesson's keyboard shortcuts: each key clicks the graph view's button of that class (the
classes are set in playground/graph/steps.py); the help popover lists them from this same table.
"""
from pathlib import Path

import panel as pn
from bokeh.models import CustomJS

from playground.version import VERSION

HERE = Path(__file__).parent
PARTS = ["shadow.js", "announce.js", "names.js", "tabs.js", "focus.js", "page.js", "help.js", "touch.js", "watch.js"]
# Once per page: should the script run twice, the second run adds nothing (no second live region or help).
A11Y_JS = ("if (window.__playgroundA11y) return;\nwindow.__playgroundA11y = true;\n\n"
           + "\n".join((HERE / name).read_text() for name in PARTS))
A11Y_CSS = (HERE / "a11y.css").read_text() + (HERE / "touch.css").read_text()

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
            args={"css": A11Y_CSS, "shortcuts": [list(s) for s in SHORTCUTS], "version": VERSION},
            code=A11Y_JS))
