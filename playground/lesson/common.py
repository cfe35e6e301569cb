"""What the lesson's panels share: showing code with one line marked, tables, step buttons, the CSS."""
import html

import panel as pn

CSS = """
.lesson-code { font: 13px/1.5 ui-monospace, monospace; background: #f7f7f9; border: 1px solid #e3e5e8;
  border-radius: 4px; padding: 6px 0; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }  /* wraps: never a scroll box */
.lesson-code .line { display: block; padding: 0 10px; }
.lesson-code .line.now { background: #fde9c6; box-shadow: inset 4px 0 0 #d95f02; }
.lesson-code .note { color: #5b6170; }
.lesson-caption { font: 14px/1.5 system-ui, sans-serif; margin: 6px 0; }
.step-code-order mark.now { background: #fde9c6; box-shadow: inset 0 -2px 0 #d95f02; color: inherit; }
.step-code-order .done { color: #4a505c; }
table.lesson-table { border-collapse: collapse; font: 12px/1.4 system-ui, sans-serif; margin: 4px 0; }
table.lesson-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
table.lesson-table th, table.lesson-table td { padding: 2px 8px; border-bottom: 1px solid #e3e5e8; text-align: right; }
table.lesson-table th:first-child, table.lesson-table td:first-child { text-align: left; }
table.lesson-table td { font-family: ui-monospace, monospace; }
table.lesson-table tr.now { background: #fde9c6; }
table.lesson-table tr.wrong td, table.lesson-table td.wrong { color: #b71c1c; background: #fdecea; font-weight: 600; }
table.lesson-table tr.right td.check { color: #1b5e20; }
.lesson-experiment { border: 2px dashed #c62828; border-radius: 6px; padding: 4px 10px; }
.lesson-pictures { display: flex; flex-wrap: wrap; gap: 12px; }
.lesson-pictures > div { flex: 1 1 300px; min-width: 0; overflow-x: auto; }  /* a wide graph scrolls */
h3.tour-title { font: 600 17px/1.3 system-ui, sans-serif; margin: 6px 0; }
.tour-lesson-text p { font: 15px/1.5 system-ui, sans-serif; margin: 4px 0; max-width: 70em; }
.tour-error { color: #b71c1c; font-weight: 600; }
.lesson-pictures h4 { margin: 4px 0; font: 600 13px system-ui, sans-serif; }
"""


class GraphFollower:
    """Calls redraw() when the graph view's graph changes, but only while its tool is on screen: a tool off
    screen (another tool, another tab) catches up once when it is shown again, so editing the graph view
    never waits for the lesson."""

    def __init__(self, state, redraw):
        self.redraw, self.on_screen, self.stale = redraw, True, False
        state.param.watch(self._changed, "graph")

    def _changed(self, *_):
        if self.on_screen:
            self.redraw()
        else:
            self.stale = True

    def show(self, on_screen):
        self.on_screen = on_screen
        if on_screen and self.stale:
            self.stale = False
            self.redraw()


def code_html(lines, now=(), notes=None, below=False):
    """Code as a <pre>: lines (plain text) escaped, the lines numbered in `now` marked; notes {line: text}
    are shown after a line as a comment (e.g. the numbers of this step), or on a line of their own under it
    (below=True, for long ones), indented like it."""
    notes = notes or {}
    out = []
    for i, line in enumerate(lines):
        cls = "line now" if i in now else "line"
        if i in notes and below:
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            out.append(f'<span class="{cls}">{html.escape(line)}</span>'
                       f'<span class="{cls} note">{indent}# {html.escape(notes[i])}</span>')
            continue
        note = f'<span class="note">  # {html.escape(notes[i])}</span>' if i in notes else ""
        out.append(f'<span class="{cls}">{html.escape(line) or " "}{note}</span>')
    return f'<div class="lesson-code">{"".join(out)}</div>'


def table_html(header, rows, caption="", classes=None):
    """A table of plain-text cells (escaped); classes: one CSS class (or "") per row."""
    classes = classes or [""] * len(rows)
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in header)
    body = "".join(f"<tr class='{c}'>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row, c in zip(rows, classes))
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table class='lesson-table'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_pane(css_class, **params):
    """An HTML pane with the lesson's CSS (each pane draws in its own shadow root, so each gets it)."""
    return pn.pane.HTML("", css_classes=[css_class], sizing_mode="stretch_width", stylesheets=[CSS], **params)


def picture_pane(css_class):
    """A pane for the graph's picture (picture.svg). A graph wider than the column scrolls sideways rather than
    shrink to unreadable text, opening at its output end (the right: backward and build_topo start there, and
    the graph view opens there too); the pane's own element scrolls, so a redraw at the next step keeps the
    place the student scrolled to (the picture inside sets its text left to right again)."""
    return html_pane(css_class, styles={"overflow-x": "auto", "direction": "rtl"})


# A lesson tool's row of step buttons: on a narrow page it stays at the top of the window while the student reads
# the code and the tables under the picture, so Next is in reach of what it changes.
STICKY_CSS = """
@media (max-width: 900px) {
  :host { position: sticky !important; top: 0; z-index: 20; background: var(--bs-body-bg, #fff);
          box-shadow: 0 2px 6px rgba(0, 0, 0, 0.12); }
}
"""


def control_bar(*objects):
    """The row of a lesson tool's buttons (sticky on a narrow page: STICKY_CSS)."""
    return pn.FlexBox(*objects, css_classes=["lesson-controls"], stylesheets=[STICKY_CSS])


def stepper(owner, name, label):
    """Back / Next / To start / To end buttons moving the integer param `name` of `owner`, bounded by
    owner.param[name].bounds (kept up to date by the owner)."""
    def move(delta=None, to=None):
        low, high = owner.param[name].bounds
        value = getattr(owner, name)
        setattr(owner, name, max(low, min(high, to if to is not None else value + delta)))
    buttons = [pn.widgets.Button(label="\u00ab Start", css_classes=[f"{label}-start"], width=80),
               pn.widgets.Button(label="\u25c0 Back", css_classes=[f"{label}-back"], width=80),
               pn.widgets.Button(label="Next \u25b6", color="primary", css_classes=[f"{label}-next"], width=80),
               pn.widgets.Button(label="End \u00bb", css_classes=[f"{label}-end"], width=80)]
    buttons[0].on_click(lambda _: move(to=owner.param[name].bounds[0]))
    buttons[1].on_click(lambda _: move(delta=-1))
    buttons[2].on_click(lambda _: move(delta=1))
    buttons[3].on_click(lambda _: move(to=owner.param[name].bounds[1]))
    return pn.FlexBox(*buttons)   # wraps on a narrow page
