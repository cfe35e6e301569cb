"""First contact (issue 15), measured in the built site: what a student sees at each screen size and in a course
page's 480 x 360 iframe. Bounding boxes, font sizes and scroll widths, never a comparison by eye (layout_probe.py
holds the in-page measurements).

At every size: the share tools wait in a closed drawer, nothing sticks out sideways, no shown text is under 11 px,
the step buttons and the plot are on screen together, the graph's names are readable (never `#31`) and constants
have no grad. The training view fits one 1280 x 800 screen.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.layout_probe import BOX, OVERFLOW, SMALL_TEXT
from tests.conftest import INTERACTIVE_TIMEOUT_MS, AppPage, wait_until_interactive, watch

TIMEOUT = 60_000
SIZES = [(1280, 800), (1024, 768), (768, 1024), (390, 844), (320, 640)]

# What the graph's plot shows: its names, which node boxes lie inside the visible ranges, the font size of the
# shown texts (Bokeh draws them on a canvas: read from the glyphs), and the constant rows' grad texts.
PLOT_STATE = """() => {
  const doc = Bokeh.documents.at(-1);
  const plot = doc.get_model_by_name('graph_plot'), values = doc.get_model_by_name('graph_values').data;
  const [x0, x1, y0, y1] = [plot.x_range.start, plot.x_range.end, plot.y_range.start, plot.y_range.end];
  const inside = values.x.map((x, k) => x > x0 && x < x1 && values.y[k] > y0 && values.y[k] < y1);
  const texts = plot.renderers.filter((r) => r.glyph.type === 'Text' && r.visible)
    .map((r) => parseFloat(r.glyph.text_font_size.value || r.glyph.text_font_size));
  return {names: values.name, inside: inside.filter(Boolean).length, count: values.name.length, texts,
          constant_grads: values.grad_text.filter((_, k) => values.constant[k])};
}"""


def open_page(browser, site_url, width, height, path=""):
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    records = watch(context, site_url)
    return context, AppPage(context.new_page(), site_url, records).open(path)


def inside(box, width, height):
    return box is not None and box["left"] >= -1 and box["top"] >= -1 and box["right"] <= width + 1 \
        and box["bottom"] <= height + 1


def assert_no_overflow_and_no_small_text(page, where):
    layout = page.evaluate(OVERFLOW)
    assert layout["page"][0] <= layout["page"][1], f"{where}: the page scrolls sideways: {layout}"
    assert layout["main"] is None or layout["main"][0] <= layout["main"][1] + 1, f"{where}: {layout}"
    assert layout["sticking_out"] == [], f"{where}: {layout['sticking_out'][:5]}"
    small = page.evaluate(SMALL_TEXT)
    assert small == [], f"{where}: text under 11 px: {small[:5]}"


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_first_screen_at_each_size(browser, site_url, width, height):
    context, app = open_page(browser, site_url, width, height)
    page = app.page
    where = f"{width}x{height}"
    # The tools are in a closed drawer that the header's button (on a phone: its menu icon) opens.
    expect(page.locator(".share-tools").first).to_be_hidden()
    opener = page.locator(".share-open button") if width > 480 else page.locator("#sidebar-toggle")
    expect(opener).to_be_visible()
    assert_no_overflow_and_no_small_text(page, where)

    # The step buttons, the explanation and the plot's top are on screen together; Step is first.
    step, plot = page.evaluate(BOX, ".graph-step"), page.evaluate(BOX, ".graph-plot")
    explain = page.evaluate(BOX, ".graph-explain")
    assert inside(step, width, height), f"{where}: Step at {step}"
    assert inside(explain, width, height) or width < 400, f"{where}: explanation at {explain}"
    # (on a phone the start-here line and the wrapped buttons come first: the plot's top is on screen)
    assert plot["top"] < height - (100 if width >= 400 else 0), f"{where}: the plot starts at {plot['top']:.0f}"
    if width >= 768:
        assert plot["bottom"] <= height + 1, f"{where}: the plot ends at {plot['bottom']:.0f}, below the window"

    state = page.evaluate(PLOT_STATE)
    print(f"{where}: Step at {step['top']:.0f} px, plot {plot['top']:.0f}-{plot['bottom']:.0f} px, "
          f"{state['inside']} of {state['count']} nodes in view, texts {state['texts']} px")
    assert not any(re.search(r"#\d+", name) for name in state["names"])
    assert state["constant_grads"] and set(state["constant_grads"]) == {""}     # constants: no grad line
    assert min(state["texts"]) >= 11                                            # every shown text readable
    # The default graph is too big to show whole and readable: the view says so and shows its output end.
    if state["inside"] < state["count"]:
        expect(page.locator(".graph-explain")).to_contain_text("Too big to show whole and readable")
        assert state["inside"] >= 1          # at least the output, where the graph is centred

    # The node table scrolls sideways in its column; the words that say what it is wrap to the column (they
    # were the table's caption, cut at the column's edge at 1280 px); the caption, hidden, names it.
    title, table_box = page.evaluate(BOX, ".graph-nodes-title"), page.evaluate(BOX, ".graph-table")
    assert title["left"] >= table_box["left"] - 1 and title["right"] <= table_box["right"] + 1, \
        f"{where}: the table's title at {title}, its column at {table_box}"
    expect(page.locator("table.graph-nodes")).to_have_accessible_name(re.compile("^Nodes in topological order"))

    # Pressing Step shows one step, explained; the node table has no grad for a constant.
    page.locator(".graph-step button").click()
    expect(page.locator(".graph-explain")).to_contain_text("Step 1 of 46")
    constant_rows = page.locator(".graph-table tr", has=page.locator("td", has_text=re.compile("^constant$")))
    assert constant_rows.count() >= 3
    grads = constant_rows.locator("td:nth-of-type(3)").all_inner_texts()    # op, data, grad, inputs
    assert page.locator(".graph-table thead th").nth(3).inner_text() == "grad"
    assert len(grads) == constant_rows.count() and set(grads) == {""}

    # The drawer opens over the page (beside it from 1200 px on) and holds the tools.
    opener.click()
    expect(page.locator(".share-button button")).to_be_visible(timeout=TIMEOUT)
    if width < 1200:
        sidebar = page.locator("#sidebar").bounding_box()
        assert sidebar["x"] <= 1 and page.evaluate(OVERFLOW)["page"][0] <= width
    app.assert_clean()
    context.close()


def test_the_training_view_fits_one_screen_at_1280x800(browser, site_url):
    context, app = open_page(browser, site_url, 1280, 800)
    page = app.page
    app.show_view("training")
    expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    for selector in (".train-play", ".train-reset", ".train-status", ".start-here",
                     ".train-click-mode", ".train-open-point", ".train-hidden", ".train-curves-legend"):
        box = page.evaluate(BOX, selector)
        assert inside(box, 1280, 800), f"{selector} at {box}"
    for name in ("decision_boundary", "network", "loss_curve", "accuracy_curve"):
        view_box = page.evaluate("""(name) => {
          const model = Bokeh.documents.at(-1).get_model_by_name(name);
          const r = Bokeh.index.find_one(model).el.getBoundingClientRect();
          return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
        }""", name)
        assert inside(view_box, 1280, 800), f"{name} at {view_box}"
    assert_no_overflow_and_no_small_text(page, "training 1280x800")
    app.assert_clean()
    context.close()


def test_an_embed_at_480x360_shows_the_graph_with_its_controls(browser, site_url):
    """A course page's iframe, 480 x 360, with #chrome=minimal: no header, no drawer; the step buttons and the
    graph's output end (the documented overview for a graph too big to show whole) are on screen together."""
    context = browser.new_context(viewport={"width": 560, "height": 440}, service_workers="block")
    records = watch(context, site_url)
    page = context.new_page()
    page.set_content(f'<body style="margin:20px"><iframe src="{site_url}#chrome=minimal" width="480" '
                     f'height="360" style="border:0" title="playground"></iframe></body>')
    frame = page.frame_locator("iframe")
    frame.locator("#loader").wait_for(state="attached", timeout=INTERACTIVE_TIMEOUT_MS)
    embedded = page.frames[1]
    wait_until_interactive(embedded)
    embedded.wait_for_timeout(1000)
    assert_no_overflow_and_no_small_text(embedded, "embed 480x360")
    expect(frame.locator("#header")).to_be_hidden()
    step, plot = embedded.evaluate(BOX, ".graph-step"), embedded.evaluate(BOX, ".graph-plot")
    assert inside(step, 480, 360), f"Step at {step}"
    state = embedded.evaluate(PLOT_STATE)
    visible_plot = min(plot["bottom"], 360) - plot["top"]
    print(f"embed 480x360: Step at {step['top']:.0f} px, plot from {plot['top']:.0f} px ({visible_plot:.0f} px "
          f"of it visible), {state['inside']} of {state['count']} nodes in view, texts {state['texts']} px")
    assert visible_plot >= 150
    assert min(state["texts"]) >= 11 and state["inside"] >= 2
    expect(frame.locator(".graph-explain")).to_contain_text("Too big to show whole and readable")
    embedded.locator(".graph-step button").click()
    expect(frame.locator(".graph-explain")).to_contain_text("Step 1 of 46")
    assert records["foreign_requests"] == [] and records["console_errors"] == []
    context.close()


@pytest.mark.parametrize("view", ["training", "lesson"])
def test_the_other_views_reflow_at_320_px_without_sideways_scrolling(browser, site_url, view):
    """WCAG 1.4.10 (400 % zoom of a 1280-pixel screen): the training view and the lesson at 320 px wide."""
    context, app = open_page(browser, site_url, 320, 640)
    page = app.page
    if view == "training":
        app.show_view("training")
        expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)
    else:
        page.get_by_role("tab", name="Lesson").click()
        page.locator(".lesson-view").first.wait_for(state="visible", timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    assert_no_overflow_and_no_small_text(page, f"{view} 320x640")
    app.assert_clean()
    context.close()
