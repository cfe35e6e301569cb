"""Accessibility of the built site (issue 16): axe-core's WCAG 2.1 A/AA rules, the keyboard, the live region.

test_axe_graph_view_share_and_embed_tools: 0 violations on the graph view loaded, after Backward, mid-Play,
    and with the Share and Embed tools open.
test_axe_training_view: 0 violations on the training view idle, while it trains, and with its data drawer open.
test_axe_embed_options: 0 violations on the page each embedding option opens.
test_keyboard_only: with no mouse: skip link, the view tabs (arrows), Training played and paused with the focus
    kept on Play/Pause, a program typed and drawn, Backward and the steps (buttons and shortcuts); every element
    focused on the way shows a 2 px ring of at least 3:1 against white.
test_live_region_follows_the_steps: the polite live region says each backward step (and the training milestones
    are checked in test_keyboard_only).
test_the_page_runs_every_part_of_the_layer: each script in playground/a11y/ is joined in, watch.js (which starts
    the layer) last.
"""
import re

import pytest
from playwright.sync_api import expect

from playground import a11y
from playground.a11y import SHORTCUTS
from playground.graph.presets import README_EXAMPLE
from playground.version import VERSION
from tests.browser.axe import describe, violations

TIMEOUT = 60_000  # each change goes to the worker's Python and back; the machine may be busy

# The focused element, through shadow roots: its tag, text, and the classes of it and every element (and shadow
# host) around it; its outline as computed.
FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const classes = [];
  for (let n = el; n; n = n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null))
    classes.push(...n.classList, n.id ? '#' + n.id : '');
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 40), classes,
          role: el.getAttribute('role'), selected: el.getAttribute('aria-selected'),
          outline: [style.outlineStyle, style.outlineWidth, style.outlineColor]};
}"""
LIVE = "() => document.getElementById('a11y-live').textContent"
# Records every text the live region gets (a later one may replace it before the test looks).
RECORD_SAID = """() => {
  window.__said = [];
  const live = document.getElementById('a11y-live');
  new MutationObserver(() => window.__said.push(live.textContent)).observe(live, {childList: true, characterData: true, subtree: true});
}"""


def said(page):
    return page.evaluate("() => window.__said")


def wait_said(page, pattern, timeout_ms=TIMEOUT):
    """Wait until the live region has said something matching `pattern`; return all it said so far."""
    for _ in range(timeout_ms // 100):
        if any(re.search(pattern, text) for text in said(page)):
            return said(page)
        page.wait_for_timeout(100)
    raise AssertionError(f"the live region never said {pattern!r}: {said(page)}")


def assert_no_violations(page, state):
    found = violations(page)
    assert found == [], f"axe-core, {state}:\n{describe(found)}"


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(css_color):
    rgb = [int(x) for x in re.findall(r"\d+", css_color)[:3]]
    return 1.05 / (luminance(rgb) + 0.05)


def assert_ring(focused):
    style, width, color = focused["outline"]
    assert style == "solid" and width == "2px", f"no 2 px focus ring on {focused}"
    assert contrast_with_white(color) >= 3, f"focus ring {color} under 3:1 on {focused}"


def focused(page):
    return page.evaluate(FOCUSED)


def focus_moves_to(page, wanted, timeout_ms=TIMEOUT):
    """Wait until the focused element has the class `wanted` (the page may redraw the button first)."""
    for _ in range(timeout_ms // 100):
        now = focused(page)
        if now is not None and wanted in now["classes"]:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the focus is on {focused(page)}, not on .{wanted}")


def tab_to(page, wanted, backwards=False, limit=150):
    """Press Tab (Shift+Tab) until the focused element has the class `wanted`; check each one's focus ring."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if now is None:
            continue
        assert_ring(now)
        if wanted in now["classes"]:
            return now
    raise AssertionError(f"Tab never reached .{wanted}")


def wait_for_graph(page):
    expect(page.locator(".graph-table tbody tr").first).to_be_visible(timeout=TIMEOUT)


def explain(page):
    return page.locator(".graph-explain")


def test_axe_graph_view_share_and_embed_tools(app_page):
    page = app_page.page
    wait_for_graph(page)
    assert_no_violations(page, "graph view loaded")

    page.locator(".graph-backward button").click()
    expect(explain(page)).to_contain_text("Step 46 of 46", timeout=TIMEOUT)
    assert_no_violations(page, "after Backward")

    page.locator(".graph-reset button").click()
    page.locator(".graph-play button").click()
    expect(explain(page)).to_contain_text("Step 2 of 46", timeout=TIMEOUT)
    assert_no_violations(page, "mid-Play")
    expect(page.locator(".graph-play button")).to_have_text("Pause")   # still playing when axe finished
    page.locator(".graph-play button").click()

    page.locator(".share-open button").click()    # the share and embed tools wait in a closed drawer
    page.locator(".share-button button").click()
    page.locator(".embed-button button").click()
    expect(page.locator(".share-link textarea")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".embed-snippet textarea")).to_be_visible(timeout=TIMEOUT)
    assert_no_violations(page, "Share and Embed tools open")
    app_page.assert_clean()


def test_axe_training_view(app_page):
    page = app_page.page
    app_page.show_view("training")
    expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)
    assert_no_violations(page, "training view idle")

    page.locator(".train-play button").click()
    expect(page.locator(".train-step-count")).not_to_have_text("0", timeout=TIMEOUT)
    assert_no_violations(page, "training view training")
    expect(page.locator(".train-pause button")).to_be_enabled()   # still training when axe finished
    page.locator(".train-pause button").click()

    # The data drawer open, with a refused import's message: its file input, paste box and buttons are named.
    page.locator(".train-data-tools button").click()
    page.locator(".train-csv-file input[type=file]").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"1,2,a\n3,x,b\n"}])
    expect(page.locator(".train-csv-message")).to_contain_text("line 2", timeout=TIMEOUT)
    assert_no_violations(page, "training view, data drawer open")
    app_page.assert_clean()


def test_axe_lesson_tools(app_page):
    """Each lesson tool on the page's default graph (33 nodes): its pictures are wider than their column and
    scroll, so each scroll box takes the focus and is named (axe: scrollable-region-focusable)."""
    page = app_page.page
    page.locator(".bk-tab", has_text="Lesson").first.click()
    for tool, picture in [("The code of backward", ".lesson-code-picture svg"), ("build_topo", ".lesson-topo-picture svg"),
                          ("Break it", ".lesson-break-pictures svg"), ("Nudge", ".lesson-nudge-picture svg")]:
        page.locator(".lesson-modes button", has_text=tool).click()
        expect(page.locator(picture).first).to_be_visible(timeout=TIMEOUT)
        assert_no_violations(page, f"lesson: {tool}")
    expect(page.get_by_role("region", name="Picture of the graph (scrolls sideways)").first).to_have_attribute(
        "tabindex", "0")
    app_page.assert_clean()


@pytest.mark.parametrize("fragment", ["#view=graph", "#view=training", "#hide=header", "#hide=controls",
                                      "#hide=editor", "#view=training&hide=curves", "#chrome=minimal"])
def test_axe_embed_options(watched_context, site_url, fragment):
    from tests.conftest import AppPage

    app_page = AppPage(watched_context.new_page(), site_url, watched_context.records).open(fragment)
    page = app_page.page
    view = "training" if "view=training" in fragment else "graph"
    page.locator(f".{view}-view").first.wait_for(state="visible", timeout=TIMEOUT)
    if view == "training":
        expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)
    else:
        wait_for_graph(page)
    assert_no_violations(page, fragment)
    if "minimal" in fragment or "hide=header" in fragment:
        # No header, so no header button: the help is the keyboard's second stop, beside the skip link.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Keyboard help"
        page.keyboard.press("Enter")
        expect(page.locator("#a11y-help")).to_be_visible()
        assert_no_violations(page, fragment + ", keyboard help open")
        page.keyboard.press("Escape")
        expect(page.locator("#a11y-help")).to_be_hidden()
        assert focused(page)["text"] == "Keyboard help"
    app_page.assert_clean()


def test_keyboard_only(app_page):
    page = app_page.page
    wait_for_graph(page)
    keys = {key: css for key, css, _ in SHORTCUTS}
    page.evaluate(RECORD_SAID)

    # The skip link comes first and leads to the view tabs.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to the playground"
    page.keyboard.press("Enter")
    tab = focused(page)
    assert tab["role"] == "tab" and tab["text"] == "Graph" and tab["selected"] == "true"

    # The arrow opens the Training tab; Home goes back to the first tab, End to the last.
    page.keyboard.press("ArrowRight")
    assert focused(page)["text"] == "Training" and focused(page)["selected"] == "true"
    page.locator(".training-view").first.wait_for(state="visible", timeout=TIMEOUT)
    page.keyboard.press("Home")
    expect(page.locator(".graph-view").first).to_be_visible()
    page.keyboard.press("End")        # the last tab is the Lesson; the arrow back to the left is Training
    assert focused(page)["text"] == "Lesson" and focused(page)["selected"] == "true"
    page.keyboard.press("ArrowLeft")
    assert focused(page)["text"] == "Training" and focused(page)["selected"] == "true"
    page.locator(".training-view").first.wait_for(state="visible", timeout=TIMEOUT)
    expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)

    # Train and pause: the focus moves from Play to Pause and back (each is disabled in turn), never to <body>.
    tab_to(page, "train-play")
    page.keyboard.press("Enter")
    expect(page.locator(".train-step-count")).not_to_have_text("0", timeout=TIMEOUT)
    focus_moves_to(page, "train-pause")
    wait_said(page, r"^Training started at step 0\.$")
    page.keyboard.press("Enter")
    expect(page.locator(".train-play button")).to_be_enabled(timeout=TIMEOUT)
    focus_moves_to(page, "train-play")
    texts = wait_said(page, r"^Training paused at step \d+: train accuracy \d")
    assert not any(text.startswith("Step 1:") for text in texts), "not every step is a milestone"

    # Back to the graph view, type a program, draw it.
    tab_to(page, "bk-tab", backwards=True)
    page.keyboard.press("ArrowLeft")
    page.locator(".graph-view").first.wait_for(state="visible", timeout=TIMEOUT)
    tab_to(page, "graph-program")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(README_EXAMPLE)
    tab_to(page, "graph-draw")
    page.keyboard.press("Enter")
    expect(page.locator(".graph-summary")).to_contain_text("Output g = 24.7041", timeout=TIMEOUT)

    # Backward, then the steps with the buttons and with the shortcuts.
    tab_to(page, "graph-backward")
    page.keyboard.press("Enter")
    expect(explain(page)).to_contain_text("Step 46 of 46", timeout=TIMEOUT)
    page.keyboard.press(next(k for k, css in keys.items() if css == "graph-reset"))
    expect(explain(page)).to_contain_text("Step 0 of 46")
    tab_to(page, "graph-step")
    page.keyboard.press("Enter")
    expect(explain(page)).to_contain_text("Step 1 of 46")
    page.keyboard.press("Space")
    expect(explain(page)).to_contain_text("Step 2 of 46")
    page.keyboard.press(next(k for k, css in keys.items() if css == "graph-step"))
    expect(explain(page)).to_contain_text("Step 3 of 46")
    page.keyboard.press(next(k for k, css in keys.items() if css == "graph-back"))
    expect(explain(page)).to_contain_text("Step 2 of 46")

    # Play and Pause from the Play button: Bokeh redraws it relabelled, the focus stays on it.
    page.emulate_media(reduced_motion="reduce")
    tab_to(page, "graph-play", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".graph-play button")).to_have_text("Pause")
    focus_moves_to(page, "graph-play")
    page.keyboard.press("Enter")
    expect(page.locator(".graph-play button")).to_have_text("Play")
    assert "graph-play" in focused(page)["classes"]

    # The help popover lists the shortcuts; Escape closes it and gives the focus back.
    page.keyboard.press("Shift+Tab")
    tab_to(page, "a11y-help-button", backwards=True)
    page.keyboard.press("Enter")
    help_text = page.locator("#a11y-help").inner_text()
    assert all(key.upper() in help_text for key, _, _ in SHORTCUTS)
    assert f"micrograd playground {VERSION}" in help_text   # which version this page is
    page.keyboard.press("Escape")
    expect(page.locator("#a11y-help")).to_be_hidden()
    assert "a11y-help-button" in focused(page)["classes"]
    app_page.assert_clean()


def test_live_region_follows_the_steps(app_page):
    page = app_page.page
    wait_for_graph(page)
    live = page.locator("#a11y-live")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    page.locator(".graph-step button").click()
    expect(live).to_contain_text("Step 1 of 46", timeout=TIMEOUT)
    expect(live).to_contain_text("starts at the output")
    for k in range(2, 6):
        page.locator(".graph-step button").click()
        expect(live).to_contain_text(f"Step {k} of 46", timeout=TIMEOUT)
        # The live region says what the explanation shows: the edge and the receiver's new grad.
        shown = explain(page).locator("p.chain-rule").inner_text()
        said = page.evaluate(LIVE)
        assert said == " ".join(shown.split())
        giver, receiver = re.search(r"flows from (\S+) back to (\S+)\.", said).groups()
        assert giver != receiver
    page.locator(".graph-back button").click()
    expect(live).to_contain_text("Step 4 of 46", timeout=TIMEOUT)
    app_page.assert_clean()


def test_the_page_runs_every_part_of_the_layer():
    """A script added to playground/a11y/ but not to PARTS would never run: every one is joined in, once, with
    watch.js last (it uses the others and starts the layer)."""
    scripts = sorted(path.name for path in a11y.HERE.glob("*.js"))
    assert sorted(a11y.PARTS) == scripts and len(set(a11y.PARTS)) == len(scripts) == 9
    assert a11y.PARTS[-1] == "watch.js" and a11y.A11Y_JS.rstrip().endswith("watch(document);")
    for name in a11y.PARTS:
        assert (a11y.HERE / name).read_text() in a11y.A11Y_JS
