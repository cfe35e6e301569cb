"""The playground embedded in course pages as the platforms leave our snippet (docs/embedding.md): without
scripts (TinyMCE 7's sandbox=""), with scripts but an opaque origin (WordPress's sandbox="allow-scripts"),
several on one page, resized by static/embed.js. The course pages are served on another origin (localhost;
the playground is on 127.0.0.1), as a course platform's are."""
import functools
import threading
import time
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from sitebuild.serve import SiteHandler, url_of
from tests.conftest import wait_until_interactive
from tests.browser.test_site import readme_output, set_leaf_a

TEACHER_FIX = 'sandbox="allow-scripts allow-same-origin allow-popups"'
TIMEOUT = 60_000


class CorsHandler(SiteHandler):
    """A host that lets any origin fetch its files, as GitHub Pages does (Access-Control-Allow-Origin: *)."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def serve(folder, handler=SiteHandler) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def cors_site_url(site_dir):
    """The same built site on a host that sends CORS headers."""
    server = serve(site_dir, CorsHandler)
    yield url_of(server)
    server.shutdown()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course site on another origin: course(html) -> the address of a new page of it holding `html`."""
    folder = tmp_path_factory.mktemp("course")
    server = serve(folder)
    base = url_of(server).replace("127.0.0.1", "localhost")

    def page(body: str) -> str:
        name = f"lesson-{len(list(folder.iterdir()))}.html"
        (folder / name).write_text(f'<!doctype html><title>Lesson</title><link rel="icon" href="data:,">'
                                   f'<body style="margin:8px">{body}</body>')
        return base + name

    yield page
    server.shutdown()


def frame_of(page, url_start: str, index: int = 0):
    """The index-th frame, in the course page's order, whose address starts with url_start, once it is there
    (page.frames lists frames in the order they attached, which lazy loading makes another order)."""
    page.wait_for_function(f"document.querySelectorAll('iframe').length > {index}")
    for _ in range(300):
        frames = [handle.content_frame() for handle in page.query_selector_all("iframe")]
        frames = [frame for frame in frames if frame is not None and frame.url.startswith(url_start)]
        if len(frames) > index:
            frames[index].wait_for_selector("#loader", state="attached", timeout=TIMEOUT)
            return frames[index]
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame {index} of {url_start} in the course page")


def assert_shows_the_still(frame, why: str):
    """The picture (loaded, at a readable size), why it does not run, what the teacher can change, a link to
    a tab of its own, and nothing of a start that will never come."""
    still = frame.locator(".playground-still")
    expect(still).to_be_visible(timeout=TIMEOUT)
    expect(still).to_contain_text(why)
    expect(still).to_contain_text(TEACHER_FIX)
    picture = still.locator("img")
    expect(picture).to_be_visible()
    frame.wait_for_function("(img) => img.complete && img.naturalWidth === 800", arg=picture.element_handle())
    assert picture.bounding_box()["width"] >= 400
    link = still.get_by_role("link", name="Open the playground in a new tab")
    expect(link).to_have_attribute("target", "_blank")
    for hidden in ("#loader", "#container", ".spinner"):
        expect(frame.locator(hidden).first).to_be_hidden()
    assert "you can type already" not in frame.locator("body").inner_text()
    return link


def test_without_scripts_the_frame_shows_a_picture_why_and_a_link(browser, site_url, course):
    """sandbox="" (TinyMCE 7's default): no scripts run. With allow-popups (still no scripts) the link opens
    the playground in a tab of its own; a browser with JavaScript off shows the same page."""
    fragment = "#chrome=minimal"
    url = course(f'<iframe src="{site_url}{fragment}" width="800" height="700" sandbox=""></iframe>'
                 f'<iframe src="{site_url}{fragment}" width="800" height="700" sandbox="allow-popups"></iframe>')
    context = browser.new_context(service_workers="block", viewport={"width": 900, "height": 1600})
    try:
        page = context.new_page()
        page.goto(url)
        for index in (0, 1):
            link = assert_shows_the_still(frame_of(page, site_url, index), "This frame runs no scripts")
        with context.expect_page(timeout=TIMEOUT) as opened:
            link.click()
        # Without scripts the frame cannot read its fragment: the link opens the playground's address.
        assert opened.value.url == site_url
    finally:
        context.close()

    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url)
        assert_shows_the_still(page, "This frame runs no scripts")
    finally:
        context.close()


def test_with_scripts_in_an_opaque_origin_it_runs_where_the_host_sends_cors(browser, site_url, cors_site_url, course):
    """sandbox="allow-scripts" (WordPress's embeds): on a host sending CORS headers the playground runs
    (by itself: the other embed cannot start, so it does not claim the page's one start); on a host that
    sends none it shows the still picture, whose link carries the frame's whole address."""
    fragment = "#chrome=minimal"
    url = course(f'<iframe src="{cors_site_url}{fragment}" width="800" height="600" sandbox="allow-scripts"></iframe>'
                 f'<iframe src="{site_url}{fragment}" width="800" height="600" sandbox="allow-scripts"></iframe>')
    context = browser.new_context(service_workers="block", viewport={"width": 900, "height": 1400})
    errors = []
    try:
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        page.goto(url)
        without_cors = frame_of(page, site_url)
        link = assert_shows_the_still(without_cors, "does not let such a frame load Python")
        expect(link).to_have_attribute("href", site_url + fragment)

        running = frame_of(page, cors_site_url)      # the one embed of the page that can start: it does
        wait_until_interactive(running)
        set_leaf_a(running, 1.5)
        expect(running.locator(".graph-summary")).to_contain_text(f"= {readme_output(1.5):.4f}", timeout=TIMEOUT)
        # The only errors: the failed import on the host without CORS (the browser logs it).
        assert all("CORS" in error or "Failed to load resource" in error for error in errors), errors
    finally:
        context.close()


def badge(frame) -> str:
    """What the loader's badge says (CSS generated text: templates/page.html, embed_start.html)."""
    return frame.evaluate("""() => {
        const loader = document.getElementById('loader');
        if (getComputedStyle(loader).display === 'none') { return ''; }
        const msg = document.getElementById('loader-msg').textContent;
        return msg || getComputedStyle(loader, '::after').content.replace(/^"|"$/g, '');
    }""")


# The index-th iframe's element box and what the frame says its content needs.
FRAME_HEIGHT = "(index) => document.querySelectorAll('iframe')[index].getBoundingClientRect().height"
CONTENT_HEIGHT = "(() => Math.ceil(document.getElementById('container').getBoundingClientRect().height))"


def settled_height(page, frame, until, index: int = 0) -> float:
    """The height of the course page's index-th iframe (`frame` is its content) once until(height) holds and
    it stopped changing for 1.5 s: it follows its content over a few layouts (Bokeh lays the page out again
    after each resize). Checks that the frame is then as high as its content: nothing hidden, no gap."""
    last, since = None, time.monotonic()
    deadline = since + TIMEOUT / 1000
    while time.monotonic() < deadline:
        height = page.evaluate(FRAME_HEIGHT, index)
        if height != last:
            last, since = height, time.monotonic()
        elif until(height) and time.monotonic() - since >= 1.5:
            break
        page.wait_for_timeout(250)
    else:
        told = page.evaluate("window.told ?? 'not recorded'")
        raise AssertionError(f"the frame's height never settled as expected: {last} (told {told})")
    height = page.evaluate(FRAME_HEIGHT, index)
    frame.wait_for_function(f"Math.abs({CONTENT_HEIGHT}() - {height}) <= 2", timeout=10_000)
    assert frame.evaluate("document.documentElement.scrollHeight") <= height + 2
    return height


def test_embed_js_makes_the_frame_follow_its_content(browser, site_url, course):
    """With the site's embed.js on the course page the frame grows to its content and shrinks with it (a
    3-node graph after the 33-node one); nothing of the page scrolls inside the frame."""
    url = course(f'<h1>Backpropagation</h1><iframe src="{site_url}#chrome=minimal" width="800" height="300" '
                 f'style="border:0" title="playground"></iframe><script src="{site_url}embed.js" async></script>')
    context = browser.new_context(service_workers="block", viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        page.evaluate("window.told = []; addEventListener('message', (e) => told.push(e.data.height))")
        frame = frame_of(page, site_url)
        wait_until_interactive(frame)

        graph = settled_height(page, frame, lambda height: height > 600)
        assert graph > 600, graph                      # grew from 300 px to the graph view's content
        presets = frame.locator(".graph-view select").first
        presets.select_option("a value used twice")    # 3 nodes: a smaller plot, a shorter table
        expect(frame.locator(".graph-summary")).to_contain_text("3 nodes", timeout=TIMEOUT)
        small = settled_height(page, frame, lambda height: height < graph - 100)
        presets.select_option("micrograd README example")
        expect(frame.locator(".graph-summary")).to_contain_text("33 nodes", timeout=TIMEOUT)
        # The way back (playground/undo.py) now shows its bar above the views: the frame grows by it too...
        expect(frame.locator(".saved-work-message")).to_contain_text("micrograd README example", timeout=TIMEOUT)
        with_bar = settled_height(page, frame, lambda height: height > graph + 20)
        # ...and comes back to the first height once the student dismisses it.
        frame.locator(".saved-work-dismiss button").click()
        graph_again = settled_height(page, frame, lambda height: abs(height - graph) <= 4)
        print(f"frame heights: README graph {graph:.0f} px, 3 nodes {small:.0f} px, README again with the Undo bar "
              f"{with_bar:.0f} px, without {graph_again:.0f} px (told: {page.evaluate('told')})")
        assert small < graph - 100                    # shrank with the content
        assert graph + 20 < with_bar < graph + 120    # grew back, and by the bar
        assert abs(graph_again - graph) <= 4          # and shrank by the bar when it went
    finally:
        context.close()


# The run as the page's document holds it: the step in the status line, and whether Pause is disabled.
RUN_STATE = """(() => {
    const models = [...window.earlyWorker.jsdoc.all_models];
    const status = models.find((model) => model.css_classes?.includes('train-status'));
    const pause = models.find((model) => model.css_classes?.includes('train-pause'));
    const html = new DOMParser().parseFromString(status.text, 'text/html').documentElement.textContent;  // unescaped
    return {step: parseInt(html.match(/train-step-count'>(\\d+)</)[1]), paused: pause.disabled};
})"""


def test_an_embed_out_of_view_does_not_train(browser, site_url, course):
    """Training pauses while the frame is scrolled out of view and goes on when it is seen again."""
    url = course(f'<iframe src="{site_url}#chrome=minimal&view=training" width="900" height="700" '
                 f'title="playground"></iframe><div style="height:3000px"></div><p id="end">end</p>')
    context = browser.new_context(service_workers="block", viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(url)
        frame = frame_of(page, site_url)
        wait_until_interactive(frame)
        steps = frame.locator(".train-step-count")   # on screen
        frame.locator(".train-play button").click()
        expect(steps).not_to_have_text("0", timeout=TIMEOUT)

        page.locator("#end").scroll_into_view_if_needed()
        # Out of view the browser may put off drawing the frame: what Python sent is read from the page's
        # document (Bokeh's models), not from the screen.
        # (polled by a timer: an out-of-view frame gets no animation frames)
        frame.wait_for_function(f"{RUN_STATE}().paused", timeout=TIMEOUT, polling=250)
        frame.wait_for_timeout(1000)
        hidden_at = frame.evaluate(RUN_STATE)["step"]
        frame.wait_for_timeout(2000)
        assert frame.evaluate(RUN_STATE)["step"] == hidden_at     # no step while out of view

        page.locator("iframe").scroll_into_view_if_needed()
        expect(frame.locator(".train-pause button")).to_be_enabled(timeout=TIMEOUT)   # playing again
        frame.wait_for_function(f"{RUN_STATE}().step > {hidden_at}", timeout=TIMEOUT, polling=250)
        frame.locator(".train-pause button").click()
    finally:
        context.close()


def test_six_embeds_on_a_page_start_one_python_and_answer_a_click(browser, site_url, course):
    """Six embeds of the README's snippet: the first in view starts Python by itself, the others wait for
    the student (saying so); a click on Step in a waiting one starts it and is answered."""
    frames = "".join(f'<h2>Section {n}</h2><iframe src="{site_url}#chrome=minimal" width="100%" height="700" '
                     f'style="border:0" loading="lazy" title="micrograd playground"></iframe>' for n in range(6))
    context = browser.new_context(service_workers="block", viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        page.goto(course(frames))
        first = frame_of(page, site_url)
        wait_until_interactive(first)
        for n in range(6):                                      # scrolled through, a second on each
            page.locator("iframe").nth(n).scroll_into_view_if_needed()
            page.wait_for_timeout(1000)
        states = [frame_of(page, site_url, n).evaluate("document.documentElement.dataset.python") for n in range(6)]
        assert states[0] == "live" and states[1:] == ["waiting"] * 5, states
        third = frame_of(page, site_url, 2)
        assert badge(third) == "Python starts when you click here"
        third.locator(".graph-step button").click()
        wait_until_interactive(third)
        expect(third.locator(".graph-explain")).to_contain_text("Step 1 of 46", timeout=TIMEOUT)
    finally:
        context.close()
