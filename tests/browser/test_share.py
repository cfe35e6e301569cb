"""Share links, JSON files and embedding, in the real built page (Pyodide worker, headless Chromium).

Page loads cost ~20-40 s here, so each test checks many things on few loads: hostile links are opened one
after another in the same page through `location.hash` (the page follows hash changes, as it does when a
student pastes a link into the address bar of an open playground).
"""
import html
import json
import re
import threading
import zlib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.conftest import AppPage, same_origin, wait_until_interactive
from playground import document as D
from playground.live_document import default_document
from playground.graph.presets import README_EXAMPLE
from playground.share import iframe_snippet

# Any alert/confirm/prompt, and any <img> that fails to load, is recorded: hostile links must cause none.
TRAPS = """
window.__executed = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { window.__executed.push(name + ':' + args.join(',')); };
}
"""
MARKUP = "<img src=x onerror=alert(1)>"


def message(page):
    return page.locator(".share-message pre")


def program(page):
    return page.locator(".graph-program textarea")


def open_hash(page, fragment):
    page.evaluate("(fragment) => { location.hash = fragment; }", fragment)


def injected(page):
    """Elements a hostile link would have injected, searched through every shadow root."""
    return page.evaluate("""() => {
      const found = [];
      const visit = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') found.push('img');
          if (el.tagName === 'SCRIPT' && (el.textContent || '').includes('alert(')) found.push('script');
          if (el.shadowRoot) visit(el.shadowRoot);
        }
      };
      visit(document);
      return found.concat(window.__executed || []);
    }""")


def packed(raw: bytes, prefix="1.") -> str:
    import base64
    return "#d=" + prefix + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def hostile_links():
    base = default_document()
    good = D.make_fragment(base)

    def variant(path, value):
        doc = json.loads(json.dumps(base))
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return packed(zlib.compress(json.dumps(doc).encode()))

    nan_doc = json.dumps(base).replace('"step": 0}', '"step": NaN}', 1).encode()
    return {
        "truncated": (good[: len(good) * 2 // 3], "could not be opened"),
        "bad base64": ("#d=1.$$$not*base64$$$", "not base64url"),
        "bad compression": (packed(b"definitely not zlib"), "bad compression"),
        "zip bomb": (packed(zlib.compress(b" " * (60 * 1024 * 1024), 9)), "more than a document may hold"),
        "unknown version": (variant(["version"], 7), "unknown document version 7"),
        "wrong types": (variant(["training", "hidden_layers"], "16,16"), "must be a list"),
        "huge number": (variant(["graph", "values", "a"], 1e308), "between"),
        "NaN": (packed(zlib.compress(nan_doc)), "is not a number a document may hold"),
        "program outside the language": (variant(["graph", "program"], "__import__('os').system('id')"),
                                         "refused"),
        "markup as a program": (variant(["graph", "program"], MARKUP + " = 1"), "refused"),
        "markup as a leaf name": (variant(["graph", "values"], {MARKUP: 1.0}), "identifier"),
        "replay too long": (variant(["training", "step"], 10**6), "replay"),
    }


def marker_link():
    """A valid, non-default state (another graph, a title)."""
    doc = default_document()
    doc["title"] = "marker"
    doc["graph"] = {"program": "m = 1.5\nn = m * 2\n", "values": {"m": 1.5}, "step": 0}
    return D.make_fragment(doc)


def test_hostile_links_open_the_defaults_with_a_message(watched_context, site_url):
    watched_context.add_init_script(TRAPS)
    links = hostile_links()
    first_link, first_expected = links.pop("truncated")
    # Opened straight from the address bar: message, defaults.
    app = AppPage(watched_context.new_page(), site_url, watched_context.records).open(first_link)
    page = app.page
    expect(message(page)).to_contain_text(first_expected, timeout=30_000)
    expect(program(page)).to_have_value(README_EXAMPLE)
    # From a non-default state: the whole default state comes back.
    open_hash(page, marker_link())
    expect(page.locator(".document-title pre")).to_have_text("marker", timeout=30_000)
    expect(message(page)).to_be_hidden()
    open_hash(page, links.pop("program outside the language")[0])
    expect(message(page)).to_contain_text("refused", timeout=30_000)
    expect(program(page)).to_have_value(README_EXAMPLE)
    expect(page.locator(".document-title pre")).to_be_hidden()

    # The others, cheaply: a typed title marks the state; only the fallback to defaults clears it.
    page.locator(".share-open button").click()   # the title field is in the drawer
    for i, (name, (link, expected)) in enumerate(links.items()):
        title = page.locator(".share-title input")
        before = page.evaluate("location.hash")
        title.fill(f"marker {i}")
        title.press("Enter")
        expect(page.locator(".document-title pre"), name).to_have_text(f"marker {i}", timeout=30_000)
        # The address follows the new title 300 ms later (history.replaceState): wait for it, so that it does
        # not overwrite the link below before the page has read it (a student's paste comes later than that).
        page.wait_for_function("(before) => location.hash !== before", arg=before, timeout=30_000)
        open_hash(page, link)
        expect(message(page), name).to_contain_text(expected, timeout=30_000)
        expect(page.locator(".document-title pre"), name).to_be_hidden()
        expect(program(page), name).to_have_value(README_EXAMPLE)
        assert injected(page) == [], name

    # Markup in the title is valid text: shown as text, never as HTML.
    doc = default_document()
    doc["title"] = MARKUP
    open_hash(page, D.make_fragment(doc))
    expect(page.locator(".document-title pre")).to_have_text(MARKUP, timeout=30_000)
    assert injected(page) == []
    assert_clean(app)


def assert_clean(app):
    """No request left the origin, no console error. One error is known and not ours: the graph view's
    text scaling can ask the browser for a negative font size while a graph is replaced (reported)."""
    assert app.foreign_requests == []
    assert [e for e in app.console_errors if "FontFaceSet" not in e] == []


def test_graph_and_training_round_trip_through_a_link_and_a_json_file(watched_context, site_url):
    watched_context.grant_permissions(["clipboard-read", "clipboard-write"])
    app = AppPage(watched_context.new_page(), site_url, watched_context.records).open()
    page = app.page

    # A graph: a leaf changed, three animation steps.
    leaf = page.locator(".leaf-a input")
    leaf.fill("-3.5")
    leaf.press("Enter")
    expect(program(page)).to_have_value(re.compile(r"^a = -3\.5$", re.M))
    for _ in range(3):
        page.locator(".graph-step button").click()
    expect(page.locator(".graph-explain")).to_contain_text("Step 3 of")
    # A training setup: other layers, another seed, two steps.
    app.show_view("training")
    hidden = page.locator(".train-hidden input")
    hidden.fill("4, 2")
    hidden.press("Enter")
    page.locator(".train-regenerate button").click()
    for expected_step in ("1", "2"):
        page.locator(".train-step button").click()
        expect(page.locator(".train-step-count")).to_have_text(expected_step, timeout=60_000)
    page.locator(".share-open button").click()   # the share tools wait in a closed drawer
    page.locator(".share-title input").fill("Lesson 3")
    page.locator(".share-title input").press("Enter")

    page.locator(".share-button button").click()
    link_field = page.locator(".share-link textarea")
    expect(link_field).to_be_visible(timeout=30_000)
    link = link_field.input_value()
    assert link.startswith(site_url + "#d=1.")
    page.locator(".share-copy button").click()
    expect(page.locator(".share-copy button")).to_have_text("Copied ✓")
    assert page.evaluate("navigator.clipboard.readText()") == link
    table = page.locator(".graph-table").text_content()
    accuracy = page.locator(".train-accuracy").inner_text()

    # The link in a new page: the same graph, values, step; the same settings and trajectory.
    other = AppPage(watched_context.new_page(), site_url, watched_context.records).open(link[len(site_url):])
    second = other.page
    expect(second.locator(".document-title pre")).to_have_text("Lesson 3", timeout=60_000)
    expect(program(second)).to_have_value(program(page).input_value())
    expect(second.locator(".graph-explain")).to_contain_text("Step 3 of")
    assert second.locator(".graph-table").text_content() == table
    expect(second.locator(".train-hidden input")).to_have_value("4, 2")
    expect(second.locator(".train-step-count")).to_have_text("2")
    assert second.locator(".train-accuracy").inner_text() == accuracy

    # The Embed button there: a snippet for the same state with the chosen options.
    second.locator(".share-open button").click()
    second.locator(".embed-view select").select_option("training")
    for part in ("controls", "curves"):
        second.locator(".embed-hide").get_by_text(part, exact=True).click()
    for field, value in ((".embed-width input", "480"), (".embed-height input", "360")):
        second.locator(field).fill(value)
        second.locator(field).press("Enter")
    second.locator(".embed-button button").click()
    snippet_field = second.locator(".embed-snippet textarea")
    expect(snippet_field).to_have_value(re.compile('width="480" height="360"'), timeout=30_000)
    src = html.unescape(re.search(r'src="([^"]*)"', snippet_field.input_value()).group(1))
    assert src.startswith(site_url + "#d=1.")
    embedded, options, error = D.read_fragment(src[src.index("#"):])
    assert error is None and embedded == D.read_fragment(link[link.index("#"):])[0]
    assert options == {"view": "training", "hide": {"controls", "curves"}, "minimal": True, "device": False}

    # Download JSON there; open the file in the first page after changing it: the shared state comes back.
    with second.expect_download() as download_info:
        second.locator(".share-download button, .share-download a").first.click()
    saved = json.loads(open(download_info.value.path()).read())
    assert saved == D.read_fragment(link[link.index("#"):])[0]
    page.locator(".train-reset button").click()
    expect(page.locator(".train-step-count")).to_have_text("0")
    page.locator(".share-upload input[type=file]").set_input_files(download_info.value.path())
    expect(page.locator(".train-step-count")).to_have_text("2", timeout=60_000)
    assert page.locator(".train-accuracy").inner_text() == accuracy
    assert_clean(app)


class HostPage(SimpleHTTPRequestHandler):
    """A course page on another origin: serves one HTML page with the snippet in it."""
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def host_server():
    handler = type("Handler", (HostPage,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, handler
    server.shutdown()


def test_embed_snippet_works_in_a_cross_origin_iframe_at_480x360(browser, site_url, host_server):
    server, handler = host_server
    host_url = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(viewport={"width": 900, "height": 700})
    records = {"console_errors": [], "foreign_requests": []}

    def route(route):   # the two origins may be reached, nothing else
        url = route.request.url
        if same_origin(url, site_url.rstrip("/")) or same_origin(url, host_url.rstrip("/")):
            route.continue_()
        else:
            records["foreign_requests"].append(url)
            route.abort()

    context.route("**/*", route)
    context.on("page", lambda p: p.on("console", lambda m: m.type == "error" and records["console_errors"].append(m.text)))
    try:
        # The snippet the Embed button writes (its browser side is checked in the round-trip test).
        doc = default_document()
        fragment = D.make_fragment(doc, view="training", hide=["controls", "curves"], minimal=True)
        snippet = iframe_snippet(site_url + fragment, "", 480, 360)
        handler.body = (f"<!doctype html><html><head><title>Course</title></head><body><h1>Week 3</h1>"
                        f"{snippet}</body></html>").encode()
        host = context.new_page()
        host.goto(host_url)
        frame = host.frame_locator("iframe")
        inner = host.frames[1]
        wait_until_interactive(inner)
        # The embedded page: training view only, no header, no sidebar, no controls, no curves.
        expect(frame.locator(".training-view")).to_be_visible(timeout=60_000)
        expect(frame.locator(".graph-view")).to_be_hidden()
        expect(frame.locator("#header")).to_be_hidden()
        expect(frame.locator("#sidebar")).to_be_hidden()
        expect(frame.locator(".train-hidden")).to_be_hidden()
        # Usable at 480x360: the play button and the decision boundary start inside the frame.
        box = host.locator("iframe").bounding_box()
        assert (box["width"], box["height"]) == (480, 360)
        play = frame.locator(".train-play button").bounding_box()
        assert play and play["x"] + play["width"] <= box["x"] + box["width"]
        assert play["y"] + play["height"] <= box["y"] + box["height"]
        frame.locator(".train-step button").click()
        expect(frame.locator(".train-step-count")).to_have_text("1", timeout=60_000)
        assert records["foreign_requests"] == []
        assert [e for e in records["console_errors"] if "FontFaceSet" not in e] == []
    finally:
        context.close()
