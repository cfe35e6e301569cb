"""Phones and tablets as first-class screens (issue 30, item 3): the built site in Chromium with touch emulated
(a 390 x 844 phone, an 820 x 1180 tablet), measured the way a student's finger meets it.

Each device pays one page load and checks much: every control a finger must hit is at least 44 x 44 CSS px
and none overlaps another; a swipe over a plot scrolls the page and leaves the plot where it was; a tapped
node opens the edit card inside the window, with no sideways scroll; on the phone, the program's Draw stays
in view with the keyboard up and the answer and the plot are in view after Draw; the Lesson's and the tour's
Next/Back are on screen after Next, wherever the student scrolled; axe-core finds nothing at the phone's size.
"""

from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.layout_probe import BOX, OVERFLOW
from tests.conftest import AppPage, watch

TIMEOUT = 60_000
PHONE, TABLET = (390, 844), (820, 1180)
SMALLEST = 44   # CSS px: WCAG 2.5.5's target size, the one Apple and Google give for a finger

# Every shown control a finger must hit (buttons, fields, menus, tabs, slider handles, checkboxes by their label,
# the plots' tools), inside shadow roots too: what it is and its box.
TARGETS = """() => {
  const SELECTOR = 'button, select, textarea, input:not([type=checkbox]):not([type=file]):not([type=hidden]), ' +
    '.bk-tab, .noUi-handle, label:has(> input[type=checkbox]), .bk-ToolButton';
  const out = [];
  // The element a finger at (x, y) lands on, through shadow roots; and whether it is (inside) the control.
  const hit = (x, y) => {
    let el = document.elementFromPoint(x, y);
    while (el && el.shadowRoot) {
      const inner = el.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === el) break;
      el = inner;
    }
    return el;
  };
  const within = (el, control) => {
    for (let n = el; n; n = n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null))
      if (n === control) return true;
    return false;
  };
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches(SELECTOR)) visit(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  const visit = (el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !el.checkVisibility({visibilityProperty: true})) return;
    if (el.matches('.a11y-skip, .a11y-skip *')) return;   // off screen until the keyboard focuses it
    const text = (el.getAttribute('aria-label') || el.textContent || el.title || '').trim().slice(0, 24);
    out.push({what: el.tagName.toLowerCase() + '.' + String(el.className || '').split(/\\s+/)[0] + ' "' + text + '"',
              left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height,
              reachable: within(hit(r.left + r.width / 2, r.top + r.height / 2), el)});
  };
  walk(document);
  return out;
}"""

# The screen point of a node of the graph's plot (its box's centre), from the plot's own scales.
NODE_POINT = """(name) => {
  const doc = Bokeh.documents.at(-1);
  const plot = doc.get_model_by_name('graph_plot'), values = doc.get_model_by_name('graph_values').data;
  const view = Bokeh.index.find_one(plot);
  const k = values.name.indexOf(name);
  const rect = view.canvas_view.el.getBoundingClientRect();
  return {x: rect.left + view.frame.x_scale.compute(values.x[k]), y: rect.top + view.frame.y_scale.compute(values.y[k])};
}"""

# A plot's visible ranges, and whether any of its drag (pan) tools is active.
PLOT_RANGES = """(name) => {
  const plot = Bokeh.documents.at(-1).get_model_by_name(name);
  return {x: [plot.x_range.start, plot.x_range.end], y: [plot.y_range.start, plot.y_range.end],
          panning: plot.toolbar.tools.some((t) => t.active && (t.event_types || []).includes('pan')),
          title: plot.title ? plot.title.text : null};
}"""

MAIN_SCROLL = "() => document.getElementById('main').scrollTop"

# Shown tables whose last column is cut: its right edge past the window or past a box that clips it (a box
# that scrolls sideways is not cutting: the student can scroll it), through shadow roots.
CUT_TABLES = """(selector) => {
  const out = [];
  const up = (n) => n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null);
  const walk = (root) => {
    for (const table of root.querySelectorAll(selector)) {
      const r = table.getBoundingClientRect();
      if (!r.width) continue;
      const cells = table.querySelectorAll('tr:first-child > *');
      const right = cells.length ? cells[cells.length - 1].getBoundingClientRect().right : r.right;
      let limit = document.documentElement.clientWidth;
      for (let n = up(table); n; n = up(n)) {
        const overflow = getComputedStyle(n).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') { limit = null; break; }
        if (overflow !== 'visible') limit = Math.min(limit, n.getBoundingClientRect().right);
      }
      if (limit !== null && right > limit + 1) out.push({table: table.className, right, limit});
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return out;
}"""

# The step axis of a small training chart, as Bokeh would label it for a run of 10 to a million steps (its own
# ticker, formatter and font, on the plot's real frame): the run lengths at which two labels would be closer
# than 4 px, and the labels at a few lengths.
STEP_LABELS = """(name) => {
  const plot = Bokeh.documents.at(-1).get_model_by_name(name), view = Bokeh.index.find_one(plot);
  const axis = view.axis_views.find((v) => v.dimension === 0), width = view.frame.bbox.width;
  const labels = (end) => {
    const ticks = axis.model.ticker.get_ticks(0, end, plot.x_range, NaN).major.filter((t) => t >= 0 && t <= end);
    const boxes = axis.compute_labels(ticks);
    boxes.visuals = axis.visuals.major_label_text.values();
    return boxes.items.map((box, i) => ({text: box.text, x: ticks[i] / end * width, width: box.size().width}));
  };
  const crowded = [];
  for (let e = 1; e <= 6.001; e += 0.01) {
    const end = Math.round(10 ** e), row = labels(end);
    if (row.length < 2 || row.some((l, i) => i && l.x - l.width / 2 < row[i - 1].x + row[i - 1].width / 2 + 4))
      crowded.push(row.map((l) => l.text).join(' '));
  }
  return {width, crowded, at: [150, 1100, 25000, 250000].map((end) => labels(end).map((l) => l.text).join(' '))};
}"""


def open_touch_page(browser, site_url, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2, service_workers="block")
    records = watch(context, site_url)
    return context, AppPage(context.new_page(), site_url, records).open()


def in_window(box, size, where):
    assert box is not None, f"{where}: not shown"
    width, height = size
    assert box["left"] >= -1 and box["top"] >= -1 and box["right"] <= width + 1 and box["bottom"] <= height + 1, \
        f"{where}: at {box}, outside the {width}x{height} window"


def assert_finger_sized(page, where):
    """Every shown control is at least 44 x 44 (scrolled away or not), and no two a finger can reach now (on
    screen, not under a sheet or the header: a tap at its centre lands on it) overlap."""
    targets = page.evaluate(TARGETS)
    assert sum(t["reachable"] for t in targets) >= 5, f"{where}: hardly a control within reach: {targets}"
    assert len(targets) >= 10, f"{where}: only {len(targets)} controls found"
    small = [(t["what"], round(t["width"]), round(t["height"])) for t in targets
             if t["width"] < SMALLEST - 0.5 or t["height"] < SMALLEST - 0.5]
    assert small == [], f"{where}: controls under {SMALLEST} x {SMALLEST} px: {small}"
    overlapping, reachable = [], [t for t in targets if t["reachable"]]
    for i, a in enumerate(reachable):
        for b in reachable[i + 1:]:
            dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
            dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            inside = (a["left"] >= b["left"] and a["right"] <= b["right"] and a["top"] >= b["top"]
                      and a["bottom"] <= b["bottom"]) or (b["left"] >= a["left"] and b["right"] <= a["right"]
                                                          and b["top"] >= a["top"] and b["bottom"] <= a["bottom"])
            if dx > 1 and dy > 1 and not inside:    # one inside the other: a part of one control (a field's arrows)
                overlapping.append((a["what"], b["what"]))
    assert overlapping == [], f"{where}: controls overlapping: {overlapping[:5]}"
    return len(targets)


def assert_no_sideways_scroll(page, where):
    layout = page.evaluate(OVERFLOW)
    assert layout["page"][0] <= layout["page"][1], f"{where}: the page scrolls sideways: {layout}"
    assert layout["main"] is None or layout["main"][0] <= layout["main"][1] + 1, f"{where}: {layout}"
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth"), where


def swipe_up(page, point, distance=250, steps=10):
    """A one-finger swipe (the finger moves up: the page should scroll down), as the touch events a screen sends."""
    cdp = page.context.new_cdp_session(page)
    x, y = point["x"], point["y"]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * i / steps}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    page.wait_for_timeout(400)


def middle(box):
    return {"x": (box["left"] + box["right"]) / 2, "y": (box["top"] + box["bottom"]) / 2}


def tap_node_and_find_the_card(page, size, where):
    """Tap the output node in the plot: the edit card opens inside the window with that node picked."""
    page.locator(".graph-plot").first.scroll_into_view_if_needed()
    point = page.evaluate(NODE_POINT, "g")
    assert 0 < point["y"] < size[1], f"{where}: the node g is at {point}, off screen"
    page.touchscreen.tap(point["x"], point["y"])
    card = page.locator(".graph-edit-card.sheet")
    expect(card).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(300)
    in_window(page.evaluate(BOX, ".graph-edit-card"), size, f"{where}: the edit card")
    expect(card.locator("select").nth(2)).to_have_value("g")   # the card's Node menu: the node tapped
    for button in ("Rename", "Delete", "Add operation", "Add leaf"):
        in_window(_box(card.get_by_role("button", name=button).bounding_box()), size, f"{where}: {button}")
    assert_no_sideways_scroll(page, f"{where}, edit card open")
    assert_finger_sized(page, f"{where}, edit card open")
    card.locator(".card-header").tap()     # its header closes it: back in its place, collapsed
    expect(page.locator(".graph-edit-card.sheet")).to_have_count(0, timeout=TIMEOUT)


def _box(bounding):
    """Playwright's bounding box (x, y, width, height; None when not shown) as layout_probe's BOX gives it."""
    if bounding is None:
        return None
    return {"left": bounding["x"], "top": bounding["y"], "right": bounding["x"] + bounding["width"],
            "bottom": bounding["y"] + bounding["height"]}


def assert_a_swipe_scrolls_the_page_not_the_plot(page, plot_name, selector, where):
    before = page.evaluate(PLOT_RANGES, plot_name)
    assert not before["panning"], f"{where}: {plot_name} starts with its pan tool active: a swipe would pan it"
    page.locator(selector).first.scroll_into_view_if_needed()
    box = page.evaluate(BOX, selector)
    scrolled = page.evaluate(MAIN_SCROLL)
    swipe_up(page, middle(box))
    after = page.evaluate(PLOT_RANGES, plot_name)
    assert page.evaluate(MAIN_SCROLL) > scrolled + 50, f"{where}: a swipe over {plot_name} did not scroll the page"
    assert (after["x"], after["y"]) == (before["x"], before["y"]), f"{where}: the swipe moved {plot_name}: {after}"


def test_a_phone(browser, site_url):
    context, app = open_touch_page(browser, site_url, PHONE)
    page, where = app.page, "phone 390x844"

    # The graph view: finger-sized controls, no sideways scroll, the touch hint, a swipe scrolls.
    count = assert_finger_sized(page, where)
    assert_no_sideways_scroll(page, where)
    hint = page.evaluate(PLOT_RANGES, "graph_plot")["title"]
    assert "Pinch" in hint and "tap a node" in hint and "scroll" not in hint, hint
    # The default graph is too big for the phone: the step's explanation says so in the finger's words.
    expect(page.locator(".graph-too-big")).to_contain_text("(\u2725 then drag to pan;", timeout=TIMEOUT)
    assert_a_swipe_scrolls_the_page_not_the_plot(page, "graph_plot", ".graph-plot", where)
    tap_node_and_find_the_card(page, PHONE, where)

    # With the keyboard up (a 390 x 510 window), the program box and its Draw button are in view together.
    page.set_viewport_size({"width": 390, "height": 510})
    program = page.locator(".graph-program textarea")
    program.tap()
    in_window(page.evaluate(BOX, ".graph-program"), (390, 510), f"{where}, keyboard up: the program")
    in_window(page.evaluate(BOX, ".graph-draw"), (390, 510), f"{where}, keyboard up: Draw graph")
    # The student's first program; after Draw the answer and the plot are in view (the program is under them).
    program.fill("a = 2.0\nb = -3.0\nc = a * b")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.locator(".graph-draw button").tap()
    expect(page.locator(".graph-summary")).to_contain_text("Output c = -6.0000", timeout=TIMEOUT)
    page.wait_for_function("""() => { const el = document.getElementById('main'); const t = el.scrollTop;
        return new Promise((done) => setTimeout(() => done(el.scrollTop === t), 200)); }""", timeout=TIMEOUT)
    in_window(page.evaluate(BOX, ".graph-summary"), PHONE, f"{where}, after Draw: the answer")
    in_window(page.evaluate(BOX, ".graph-plot"), PHONE, f"{where}, after Draw: the plot")

    # The training view: finger-sized, a swipe over the data plot scrolls the page, the hints say "Tap".
    app.show_view("training")
    page.wait_for_timeout(500)
    count += assert_finger_sized(page, f"{where}, training")
    assert_no_sideways_scroll(page, f"{where}, training")
    expect(page.get_by_text("Tap on the plot to:")).to_be_visible()
    expect(page.get_by_text("Click on the plot to:")).to_be_hidden()
    assert_a_swipe_scrolls_the_page_not_the_plot(page, "decision_boundary", ".train-boundary", f"{where}, training")
    for curve in ("loss_curve", "accuracy_curve"):
        assert not page.evaluate(PLOT_RANGES, curve)["panning"], f"{where}: a swipe over the {curve} pans it"
        # Their step labels never run into each other, however long the run (short: 1.5k, 25k, 250k).
        steps = page.evaluate(STEP_LABELS, curve)
        assert steps["width"] > 100 and steps["crowded"] == [], f"{where}: {curve}'s step labels overlap: {steps}"
        assert all(text == "0" or text.endswith("k") for text in " ".join(steps["at"][2:]).split()), steps
    # Turned on its side (844 x 390), the phone shows most of the data plot at the top, beside the buttons.
    page.set_viewport_size({"width": PHONE[1], "height": PHONE[0]})
    page.evaluate("() => { document.getElementById('main').scrollTop = 0; }")
    page.wait_for_timeout(500)
    plot = page.evaluate(BOX, ".train-boundary")
    shown = min(plot["bottom"], PHONE[0]) - max(plot["top"], 0)
    assert shown >= 0.6 * (plot["bottom"] - plot["top"]) and shown >= 180, f"{where} on its side: the plot at {plot}"
    in_window(page.evaluate(BOX, ".train-play"), (PHONE[1], PHONE[0]), f"{where} on its side: Play")
    assert_no_sideways_scroll(page, f"{where} on its side, training")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})

    # The Lesson: after Next, scrolled down to the code and the table, Back and Next are still on screen.
    page.locator(".bk-tab", has_text="Lesson").first.tap()
    next_button = page.locator(".lesson-code-next button")
    next_button.tap()
    next_button.tap()
    expect(page.locator(".lesson-code-panel")).to_contain_text("Step 2 of", timeout=TIMEOUT)
    expect(page.locator(".lesson-code-panel .lesson-table").first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(500)    # the tables are drawn again after each Next
    page.locator(".lesson-code-panel .lesson-table").first.scroll_into_view_if_needed()
    in_window(page.evaluate(BOX, ".lesson-code-next"), PHONE, f"{where}, lesson: Next after scrolling to the table")
    in_window(page.evaluate(BOX, ".lesson-code-back"), PHONE, f"{where}, lesson: Back after scrolling to the table")
    cut = page.evaluate(CUT_TABLES, ".lesson-code-panel table")
    assert cut == [], f"{where}, lesson: a table's last column is cut: {cut}"
    assert_no_sideways_scroll(page, f"{where}, lesson")
    count += assert_finger_sized(page, f"{where}, lesson")
    found = axe.violations(page)
    assert found == [], f"{where}, lesson: axe-core:\n{axe.describe(found)}"

    # The guided tour: its Back / Next / Close stay at the window's bottom, wherever the student scrolled.
    page.locator(".tour-start button").tap()
    expect(page.locator(".tour-title")).to_contain_text("lesson 1 of", timeout=TIMEOUT)
    page.locator(".tour-next button").tap()
    expect(page.locator(".tour-title")).to_contain_text("lesson 2 of", timeout=TIMEOUT)
    page.evaluate("() => { const m = document.getElementById('main'); m.scrollTop = m.scrollHeight; }")
    for button in (".tour-back", ".tour-next", ".tour-close"):
        in_window(page.evaluate(BOX, button), PHONE, f"{where}, tour: {button} at the page's end")
    assert page.locator(".bk-Tooltip:visible").count() == 0, f"{where}: a tooltip stays after a tap"
    found = axe.violations(page)
    assert found == [], f"{where}, tour open: axe-core:\n{axe.describe(found)}"
    print(f"{where}: {count} controls measured")
    app.assert_clean()
    context.close()


def test_a_tablet(browser, site_url):
    context, app = open_touch_page(browser, site_url, TABLET)
    page, where = app.page, "tablet 820x1180"
    count = assert_finger_sized(page, where)
    assert_no_sideways_scroll(page, where)
    tap_node_and_find_the_card(page, TABLET, where)
    app.show_view("training")
    page.wait_for_timeout(500)
    count += assert_finger_sized(page, f"{where}, training")
    assert_no_sideways_scroll(page, f"{where}, training")
    page.locator(".bk-tab", has_text="Lesson").first.tap()
    expect(page.locator(".lesson-code-next")).to_be_visible(timeout=TIMEOUT)
    count += assert_finger_sized(page, f"{where}, lesson")
    # Turned on its side (1180 x 820): still nothing to scroll sideways, nothing too small, no table cut.
    page.set_viewport_size({"width": TABLET[1], "height": TABLET[0]})
    page.wait_for_timeout(500)
    assert_no_sideways_scroll(page, f"{where} on its side, lesson")
    count += assert_finger_sized(page, f"{where} on its side, lesson")
    assert page.evaluate(CUT_TABLES, ".lesson-code-panel table") == [], f"{where} on its side: a table is cut"
    print(f"{where}: {count} controls measured")
    app.assert_clean()
    context.close()


def test_a_desktop_keeps_its_mouse_layout(browser, site_url):
    """Without touch nothing of the above applies: compact buttons, the drag pans, the mouse's hints."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    app = AppPage(context.new_page(), site_url, watch(context, site_url)).open()
    page = app.page
    step = page.locator(".graph-step button").bounding_box()
    assert step["height"] < SMALLEST - 4, f"the desktop's Step grew: {step}"
    plot = page.evaluate(PLOT_RANGES, "graph_plot")
    assert plot["panning"] and plot["title"].startswith("Drag: pan"), plot
    expect(page.locator(".graph-too-big")).to_contain_text("(drag to pan;", timeout=TIMEOUT)
    app.assert_clean()
    context.close()
