"""How the page starts where students meet it: embedded in course pages' (sandboxed) iframes, on a
slow link, and on a phone."""
import re

import pytest
from playwright.sync_api import expect

from sitebuild import snapshot
from tests.conftest import INTERACTIVE_TIMEOUT_MS, AppPage, wait_until_interactive
from tests.browser.test_site import readme_output, set_leaf_a

NEEDS = 'sandbox="allow-scripts allow-same-origin'


@pytest.fixture(scope="module")
def course_site(tmp_path_factory):
    """Another site, as a course platform is: served on localhost (the playground is on 127.0.0.1)."""
    from sitebuild.serve import serve_in_thread, url_of

    folder = tmp_path_factory.mktemp("course")
    server = serve_in_thread(folder)
    yield folder, url_of(server).replace("127.0.0.1", "localhost")
    server.shutdown()


def course_page_embedding(browser, course_site, site_url: str, sandbox: str | None):
    """A course page with the playground in an iframe, sandboxed as `sandbox` says (or not): the context,
    the playground's frame, and the errors logged by either."""
    folder, course_url = course_site
    attribute = "" if sandbox is None else f' sandbox="{sandbox}"'
    name = f"lesson-{len(list(folder.iterdir()))}.html"
    (folder / name).write_text(f'<!doctype html><title>Lesson</title><link rel="icon" href="data:,">'
                               f'<h1>Backpropagation</h1><iframe src="{site_url}" width="800" height="600"'
                               f'{attribute}></iframe>')
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.goto(course_url + name, wait_until="commit")
    for _ in range(600):
        frames = [frame for frame in page.frames if frame.url.startswith(site_url)]
        if frames:
            frames[0].wait_for_selector("#loader", state="attached", timeout=60_000)
            return context, frames[0], errors
        page.wait_for_timeout(100)
    raise AssertionError("the course page's iframe never loaded the playground")


@pytest.mark.parametrize("sandbox", [None, "allow-scripts allow-same-origin",
                                     "allow-scripts allow-same-origin allow-popups allow-forms"])
def test_embedded_in_a_course_page_it_starts(browser, course_site, site_url, sandbox):
    context, frame, errors = course_page_embedding(browser, course_site, site_url, sandbox)
    try:
        wait_until_interactive(frame)
        set_leaf_a(frame, 1.5)
        expect(frame.locator(".graph-summary")).to_contain_text(f"= {readme_output(1.5):.4f}", timeout=30_000)
        assert errors == []
    finally:
        context.close()


def test_in_a_sandbox_without_same_origin_it_says_at_once_what_the_iframe_needs(browser, course_site, site_url):
    """Without allow-same-origin the frame's origin is opaque: Python could start only from a host that sends
    CORS headers (tests/browser/test_embedding.py), which this one does not. The page says at once which
    attributes the embedding iframe needs, beside a picture of the playground (no endless loader)."""
    context, frame, errors = course_page_embedding(browser, course_site, site_url, "allow-scripts")
    try:
        still = frame.locator(".playground-still")
        expect(still).to_be_visible(timeout=5_000)
        expect(still).to_contain_text(NEEDS)
        expect(frame.locator(".spinner")).to_be_hidden()
        # The browser's own refusal of the cross-origin check is the only error.
        assert errors and all("CORS" in e or "Failed to" in e for e in errors), errors
    finally:
        context.close()


# The loader's messages with when they showed and whether the page's own scripts had run yet
# (DOMContentLoaded waits for its deferred BokehJS and Panel).
RECORD_TIMED_STAGES = """
window.__timedStages = [];
window.__scriptsRan = false;
document.addEventListener('DOMContentLoaded', () => { window.__scriptsRan = true; });
new MutationObserver(() => {
  const msg = document.getElementById('loader-msg');
  const text = msg ? msg.textContent : '';
  const stages = window.__timedStages;
  if (text && (!stages.length || stages[stages.length - 1][0] !== text)) {
    stages.push([text, performance.now(), window.__scriptsRan]);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
COUNT = re.compile(r"Starting the app… downloading ([\d.]+) of ([\d.]+) MB")
SCHOOL_LINK = {"offline": False, "latency": 150, "downloadThroughput": 187_500, "uploadThroughput": 94_000}
NO_THROTTLING = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def start_download_mb(site_dir) -> float:
    """Everything a restoring worker downloads, as saved-start.js counts it."""
    manifest = snapshot.manifest(site_dir)
    return (manifest["memory"]["download"] + manifest["files"]["download"] + sum(manifest["runtime"].values())) / 1e6


def test_progress_on_a_slow_link(browser, site_url, site_dir):
    """On a school link (emulated: 1.5 Mbit/s, 150 ms) the loader counts the start's download up from the
    first seconds, while the page's own scripts still download; the rest of the start runs unthrottled."""
    total_mb = round(start_download_mb(site_dir), 1)
    context = browser.new_context(service_workers="block")
    try:
        context.add_init_script(RECORD_TIMED_STAGES)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SCHOOL_LINK)
        page.goto(site_url, wait_until="commit")
        # Three counts that moved, the first within 20 s (the whole start would take ~4 minutes here).
        page.wait_for_function("""() => new Set(window.__timedStages.map(([text]) => text)
                                  .filter((text) => text.includes('downloading'))).size >= 3""", timeout=60_000)
        early = page.evaluate("window.__timedStages")
        counts = [(COUNT.fullmatch(text), at, ran) for text, at, ran in early]
        counts = [(float(m.group(1)), float(m.group(2)), at, ran) for m, at, ran in counts if m]
        assert counts and counts[0][2] < 20_000, early
        assert not counts[0][3], f"the count showed only after the page's scripts ran: {early}"
        assert {of for _, of, _, _ in counts} == {total_mb}, early
        assert counts[-1][0] < total_mb, early

        cdp.send("Network.emulateNetworkConditions", NO_THROTTLING)
        wait_until_interactive(page, INTERACTIVE_TIMEOUT_MS)
        stages = [text for text, _, _ in page.evaluate("window.__timedStages")]
        done = [float(m.group(1)) for m in map(COUNT.fullmatch, stages) if m]
        assert done == sorted(done) and done[-1] == total_mb, stages
        assert stages[-1] == "Starting the app…", stages
    finally:
        context.close()


def test_a_phone_lays_the_page_out_at_its_own_width(browser, site_url):
    """The viewport meta tag: a 390 px phone lays the page out at 390 px (not 980 px shrunk), and the
    app works there."""
    context = browser.new_context(service_workers="block", viewport={"width": 390, "height": 844},
                                  device_scale_factor=3, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        app = AppPage(page, site_url, {"console_errors": [], "foreign_requests": []}).open()
        assert page.locator('meta[name="viewport"]').count() == 1
        assert page.evaluate("document.documentElement.clientWidth") == 390
        # The sidebar starts closed there, so the lesson has the width, and nothing scrolls sideways.
        expect(page.locator("#sidebar")).to_be_hidden()
        assert page.locator("#main").bounding_box()["width"] >= 350
        assert page.evaluate("document.documentElement.scrollWidth") == 390
        page.locator("#sidebar-toggle").click()   # the header's menu button opens it
        expect(page.locator(".share-button")).to_be_visible()
        page.locator("#sidebar-toggle").click()
        set_leaf_a(page, -2.0)
        expect(page.locator(".graph-summary")).to_contain_text(f"= {readme_output(-2.0):.4f}", timeout=30_000)
        size = page.locator(".graph-summary").first.evaluate("(element) => parseFloat(getComputedStyle(element).fontSize)")
        assert size >= 12
        assert app.console_errors == []
    finally:
        context.close()
