"""A student's first minutes in the graph view, on a phone, a tablet and a desktop (issue 30), judged by the picture:
which node boxes lie inside the plot's visible x and y ranges, read from the Bokeh models in the page.

One page per device, in the order a student goes: Step through the default 33-node graph (the boxes of each step
come into view); on the desktop, drag the plot by hand (the view then stays where the student put it, and
follows again a few seconds later); type the first program `a = 2.0 / b = -3.0 / c = a * b` and Draw (every box
in view, no "too big", the same framing as drawing.initial_ranges() for the real frame); then the guided tour's
five-node graph (whole on a tablet and a desktop; on a phone too big to show whole and readable: its output end,
said so, and the leaves come into view as backward reaches them).
"""

import re

import pytest
from playwright.sync_api import expect

from playground.graph.drawing import BOX_HEIGHT, BOX_WIDTH, READABLE_ZOOM, SMALLEST_FIT_ZOOM, TEXT_SIZES, initial_ranges
from playground.graph.presets import README_EXAMPLE
from playground.graph.state import make_graph
from playground.lesson.lessons import ONE_MULTIPLY
from tests.conftest import AppPage, watch
from tests.browser.test_graph_view import draw   # as a student: type the program, press Draw graph

TIMEOUT = 30_000
FIRST_PROGRAM = "a = 2.0\nb = -3.0\nc = a * b\n"
DEVICES = {"phone": dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True),
           "tablet": dict(viewport={"width": 820, "height": 1180}, has_touch=True, is_mobile=True),
           "desktop": dict(viewport={"width": 1280, "height": 800})}
DEFAULT_STEPS = 12   # Steps through the default graph (46 in all); by step 10 its nodes had left the view

# The plot as the student sees it: its visible ranges, its frame in pixels, every value box and the shown texts'
# sizes (Bokeh draws them on a canvas: read from the glyphs).
PLOT = """() => {
  const doc = Bokeh.documents.at(-1);
  const plot = doc.get_model_by_name('graph_plot'), V = doc.get_model_by_name('graph_values').data;
  const texts = plot.renderers.filter((r) => r.glyph.type === 'Text' && r.visible)
    .map((r) => parseFloat(r.glyph.text_font_size.value || r.glyph.text_font_size));
  return {x: [plot.x_range.start, plot.x_range.end], y: [plot.y_range.start, plot.y_range.end],
          width: plot.inner_width, height: plot.inner_height, texts,
          boxes: V.id.map((id, r) => ({id, name: V.name[r], x: V.x[r], y: V.y[r]}))};
}"""

# A student's drag over the plot: press in its middle, move, release.
PLOT_BOX = "() => { const r = Bokeh.index.find_one(Bokeh.documents.at(-1).get_model_by_name('graph_plot'))" \
           ".el.getBoundingClientRect(); return {x: r.left, y: r.top, width: r.width, height: r.height}; }"


def outside(plot, ids):
    """The names of the boxes `ids` (all when None) that are not wholly inside the visible ranges."""
    (x0, x1), (y0, y1) = plot["x"], plot["y"]
    return [b["name"] for b in plot["boxes"] if (ids is None or b["id"] in ids) and not (
        x0 <= b["x"] - BOX_WIDTH / 2 and b["x"] + BOX_WIDTH / 2 <= x1 and
        y0 <= b["y"] - BOX_HEIGHT / 2 and b["y"] + BOX_HEIGHT / 2 <= y1)]


def plot_when(page, ready, what, timeout_s=5):
    """The plot once ready(plot) holds (the page frames and glides after Python's answer, in its own time)."""
    for _ in range(timeout_s * 10):
        plot = page.evaluate(PLOT)
        if ready(plot):
            return plot
        page.wait_for_timeout(100)
    raise AssertionError(f"{what}: x {plot['x']}, y {plot['y']}, out of view: {outside(plot, None)}")


def step_ids(graph, k):
    """The boxes of backward step k: the node receiving its grad and the node whose _backward runs."""
    step = graph.steps[k - 1]
    return {step["node"], step["from"]} - {-1}


def drag_plot(page):
    r = page.evaluate(PLOT_BOX)
    x, y = r["x"] + r["width"] / 2, r["y"] + r["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 10, steps=4)
    page.mouse.move(x + 140, y + 20, steps=4)
    page.mouse.up()


def step_and_check(page, graph, k, total, where):
    page.locator(".graph-step button").click()
    expect(page.locator(".graph-explain")).to_contain_text(f"Step {k} of {total}", timeout=TIMEOUT)
    ids = step_ids(graph, k)
    plot_when(page, lambda p: outside(p, ids) == [], f"{where}: step {k}'s nodes stay out of view")


@pytest.mark.parametrize("device", DEVICES)
def test_draw_step_and_the_view_follows(browser, site_url, device):
    context = browser.new_context(service_workers="block", **DEVICES[device])
    app = AppPage(context.new_page(), site_url, watch(context, site_url)).open()
    page = app.page
    default = make_graph(README_EXAMPLE)
    expect(page.locator(".graph-summary")).to_contain_text("33 nodes", timeout=TIMEOUT)

    # Step through the default graph: after each step its boxes are in view (the view glides to them).
    for k in range(1, DEFAULT_STEPS + 1):
        step_and_check(page, default, k, len(default.steps), f"{device}, default graph")

    if device == "desktop":
        # A drag by hand: the next step leaves the view where the student put it; a few seconds on, it follows.
        before = page.evaluate(PLOT)
        drag_plot(page)
        dragged = page.evaluate(PLOT)
        assert dragged["x"][0] < before["x"][0] - 50, "a drag to the right shows more of the left"
        page.locator(".graph-step button").click()
        expect(page.locator(".graph-explain")).to_contain_text(f"Step {DEFAULT_STEPS + 1} of", timeout=TIMEOUT)
        page.wait_for_timeout(800)
        kept = page.evaluate(PLOT)
        assert (kept["x"], kept["y"]) == (dragged["x"], dragged["y"]), "the view moved away from the student's drag"
        page.wait_for_timeout(4000)
        for k in (DEFAULT_STEPS + 2, DEFAULT_STEPS + 3):
            step_and_check(page, default, k, len(default.steps), "desktop, after the pause")

    # The student's first program, typed over the default: every box in view, readable, and no "too big".
    draw(page, FIRST_PROGRAM)
    expect(page.locator(".graph-summary")).to_contain_text("Output c = -6.0000", timeout=TIMEOUT)
    plot = plot_when(page, lambda p: len(p["boxes"]) == 3 and outside(p, None) == [],
                     f"{device}: the first program's boxes are out of view")
    explain = page.locator(".graph-explain")
    expect(explain).to_contain_text("Step 0 of 3")
    expect(explain).not_to_contain_text("Too big")
    assert min(plot["texts"]) >= SMALLEST_FIT_ZOOM * min(TEXT_SIZES) - 0.05
    first = make_graph(FIRST_PROGRAM)
    (x0, x1), (y0, y1), _ = initial_ranges(first, plot["width"], plot["height"])
    assert plot["x"] == pytest.approx([x0, x1], abs=1) and plot["y"] == pytest.approx([y0, y1], abs=1)
    for k in range(1, 4):
        step_and_check(page, first, k, 3, f"{device}, first program")

    # The tour's first graph (five nodes): whole where it fits readable, else its output end, said so.
    draw(page, ONE_MULTIPLY)
    expect(page.locator(".graph-summary")).to_contain_text("5 nodes", timeout=TIMEOUT)
    tour = make_graph(ONE_MULTIPLY)
    plot = plot_when(page, lambda p: len(p["boxes"]) == 5 and "d" not in outside(p, None),
                     f"{device}: the tour graph's output is out of view")
    (x0, x1), (y0, y1), zoom = initial_ranges(tour, plot["width"], plot["height"])
    assert plot["x"] == pytest.approx([x0, x1], abs=1) and plot["y"] == pytest.approx([y0, y1], abs=1)
    if device == "phone":
        assert zoom == READABLE_ZOOM and outside(plot, None) != []
        expect(explain).to_contain_text("Too big to show whole and readable")
        page.locator(".graph-backward button").click()   # Run all steps: the last step reaches a leaf
        expect(explain).to_contain_text(f"Step {len(tour.steps)} of {len(tour.steps)}", timeout=TIMEOUT)
        last = step_ids(tour, len(tour.steps))
        plot_when(page, lambda p: outside(p, last) == [], "phone: the last step's nodes are out of view")
    else:
        assert outside(plot, None) == [] and zoom >= SMALLEST_FIT_ZOOM
        expect(explain).not_to_contain_text("Too big")
    print(f"{device}: plot {plot['width']}x{plot['height']} px, the tour's graph at zoom {zoom:.2f}")
    app.assert_clean()
    context.close()
