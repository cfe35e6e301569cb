"""The page's layout: its CSS, and the header button that opens the share, embed and file tools (the
header also holds the guided tour's start button, playground/lesson/tour_view.py).

The sidebar of the page template is a drawer holding those tools (they are for teachers): closed when the page
opens, opened by the header's button or its menu icon, and laid over the page, not beside it, below 1200 px.
"""

import panel as pn

LAYOUT_CSS = """
.share-open button, #header .tour-start button { white-space: nowrap; }
#content { position: relative; }
@media (max-width: 1199.98px) {
  #sidebar.show, #sidebar.collapsing {
    position: absolute; top: 0; left: 0; bottom: 0; z-index: 1040;
    background: var(--bs-body-bg, #fff); box-shadow: 0 0 12px rgba(0, 0, 0, 0.25); overflow-y: auto;
  }
}
@media (max-width: 420px) {
  #sidebar { --sidebar-width: 100vw; }
}
@media (max-width: 600px) {
  #header .title { font-size: 1.1rem !important; }
  #header .share-open button, #header .tour-start button { font-size: 13px; padding: 2px 6px; }
}
@media (max-width: 480px) {   /* a phone: the menu icon opens the drawer; the header stays one line */
  #header .share-open { display: none !important; }
}
@media (max-width: 600px) {   /* room under the page for the tour's bar fixed at the bottom (lesson/tour_view.py) */
  #main { padding-bottom: 72px; }
}
@media (hover: none) {   /* a tapped button's description would stay on screen: its label says enough */
  .bk-Tooltip { display: none !important; }
}
"""
# "Start here": one line above each view saying what to press first (the pane's own stylesheet: LAYOUT_CSS
# reaches only the page's own elements, not the inside of Panel's components).
START_HERE_CSS = ":host { font-size: 14px; line-height: 1.45; }"

# In a short frame (a course page's 360-pixel-high iframe) the start-here line gives its room to the view.
SHORT_FRAME_HIDES = "@media (max-height: 500px) { :host { display: none !important; } }"

# Runs in the page: the template's own menu button opens and closes the drawer.
TOGGLE_DRAWER_JS = "document.getElementById('sidebar-toggle').click();"


def drawer_button(label="Share · Embed · Save"):
    """A header button that opens (and closes) the sidebar drawer."""
    button = pn.widgets.Button(label=label, color="light", css_classes=["share-open"], margin=(0, 10))
    button.js_on_click(code=TOGGLE_DRAWER_JS)
    return button


def start_here(text):
    """The one line above a view that says what to press first (HTML written here, never user text)."""
    return pn.pane.HTML(text, css_classes=["start-here"], sizing_mode="stretch_width", margin=(0, 10),
                        stylesheets=[START_HERE_CSS, SHORT_FRAME_HIDES])


def without_busy_tracking():
    """Panel counts each event from the page as "busy" (to spin the template's busy indicator): each count
    edits every parameter of panel's `state` several times, ~40% of the worker's Python when a new leaf
    value is answered (a cProfile in the worker). The page shows no busy indicator (app.py's template has
    none), so nothing needs the count. Panel has no switch for it: these are its two private entry points
    (tests/test_page.py fails if a new Panel renames them)."""
    state = pn.state
    for name in ("_add_busy_event", "_remove_busy_event"):
        if not callable(getattr(state, name, None)):
            raise AttributeError(f"panel.state.{name} is gone: see playground/page.py without_busy_tracking")
        setattr(state, name, lambda event_id: None)
