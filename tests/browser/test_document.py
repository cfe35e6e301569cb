"""The live document in the real page: early input, the address bar, the device, refused values, hostile input.

Each test pays one or two page loads; each checks much on them. The document Python holds is read back
from the address bar (it follows every change) and compared with what the page shows.
"""
import json
import re
import zlib

import pytest
from playwright.sync_api import expect

from tests.conftest import AppPage, wait_until_interactive
from playground import document as D
from playground.graph.language import MAX_DEPTH
from playground.live_document import default_document

SETTLED_MS = 60_000


def program(page):
    return page.locator(".graph-program textarea")


def summary(page):
    return page.locator(".graph-summary")


def draw(page):
    page.locator(".graph-draw button").click()


def graph_error(page):
    return page.locator(".graph-error")


def share_message(page):
    return page.locator(".share-message pre")


def upload_note(page):
    return page.locator(".upload-refused")


def sum_program(terms, output="s"):
    return "a = 1.0\n" + f"{output} = " + " + ".join(["a"] * terms) + "\n"


def address_document(page):
    """The document in the page's address bar (None when there is none)."""
    fragment = page.evaluate("location.hash")
    doc, _, error = D.read_fragment(fragment)
    assert error is None, error
    return doc


def wait_for_address(page, check, timeout_ms=SETTLED_MS):
    """Wait until the address bar's document passes check(doc) (the address follows ~300 ms after a change)."""
    page.wait_for_function("() => location.hash.includes('d=')", timeout=timeout_ms)
    deadline = page.evaluate("Date.now()") + timeout_ms
    while True:
        doc = address_document(page)
        if doc is not None and check(doc):
            return doc
        if page.evaluate("Date.now()") > deadline:
            shown = doc and doc["graph"]["program"][:80]
            raise AssertionError(f"the address never held the expected document: {shown}")
        page.wait_for_timeout(200)


def packed_link(raw: bytes) -> str:
    import base64
    return "#d=1." + base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


def with_program(text):
    doc = default_document()
    doc["graph"] = {"program": text, "values": {}, "step": 0}
    return doc


def assert_still_working(page, value):
    """The page still answers: a small program drawn, then a leaf changed."""
    program(page).fill(f"w = {value}\nq = w * 2.0\n")
    draw(page)
    expect(summary(page)).to_contain_text(f"Output q = {2 * value:.4f}", timeout=SETTLED_MS)
    expect(page.locator(".leaf-w input")).to_have_value(f"{value:g}")
    leaf = page.locator(".leaf-w input")
    leaf.fill("4.5")
    leaf.press("Enter")
    expect(summary(page)).to_contain_text("= 9.0000", timeout=SETTLED_MS)


def assert_clean(app):
    """No request left the origin, no console error (one known Bokeh font-size warning aside, see test_share)."""
    assert app.foreign_requests == []
    assert [e for e in app.console_errors if "FontFaceSet" not in e] == []


# --- hostile input never kills the page -----------------------------------------------------------------

def test_deep_nesting_and_long_sums_are_refused_by_link_file_and_editor(app_page, tmp_path):
    page = app_page.page
    links = {
        "a link nesting 10,000 deep": (packed_link(b"[" * 10_000 + b"]" * 10_000), "nested deeper"),
        "a link nesting 200,000 deep": (packed_link(b"[" * 200_000 + b"]" * 200_000), "more than a document"),
        "a 20,000-term sum by link": (D.make_fragment(with_program(sum_program(20_000))), "nested too deeply"),
        "a 100,000-term sum by link": (packed_link(json.dumps(with_program(sum_program(100_000))).encode()),
                                       "could not be opened"),
    }
    for i, (name, (link, expected)) in enumerate(links.items()):
        page.evaluate("(fragment) => { location.hash = fragment }", link)
        expect(share_message(page), name).to_contain_text(expected, timeout=SETTLED_MS)
        assert_still_working(page, float(i + 2))

    # Files over 256 KiB are refused by the page before it reads them (.upload-refused); the others by Python.
    files = {
        "a file nesting 10,000 deep": (b"[" * 10_000 + b"]" * 10_000, share_message, "nested deeper"),
        "a file nesting 200,000 deep": (b"[" * 200_000 + b"]" * 200_000, upload_note, "at most 256 KB"),
        "a 20,000-term sum in a file": (json.dumps(with_program(sum_program(20_000))).encode(), share_message,
                                        "nested too deeply"),
        "a 100,000-term sum in a file": (json.dumps(with_program(sum_program(100_000))).encode(), upload_note,
                                         "at most 256 KB"),
    }
    for i, (name, (content, where, expected)) in enumerate(files.items()):
        path = tmp_path / f"hostile-{i}.json"
        path.write_bytes(content)
        page.locator(".share-upload input[type=file]").set_input_files(str(path))
        expect(where(page), name).to_contain_text(expected, timeout=SETTLED_MS)
        assert_still_working(page, float(i + 10))

    for terms, expected in ((20_000, "nested too deeply"), (100_000, "too long")):
        program(page).fill(sum_program(terms))
        draw(page)
        expect(graph_error(page), f"{terms} terms typed").to_contain_text(expected, timeout=SETTLED_MS)
        assert_still_working(page, float(terms))
    # The longest sum the language takes is drawn.
    program(page).fill(sum_program(MAX_DEPTH))
    draw(page)
    expect(summary(page)).to_contain_text(f"Output s = {MAX_DEPTH}.0000", timeout=SETTLED_MS)
    assert_clean(app_page)


def test_a_100_mb_upload_is_refused_with_a_message(app_page, tmp_path):
    page = app_page.page
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(100 * 1024 * 1024)   # 100 MB (sparse on disk)
    page.locator(".share-upload input[type=file]").set_input_files(str(big))
    expect(page.locator(".upload-refused")).to_contain_text("104.9 MB", timeout=SETTLED_MS)
    assert_still_working(page, 3.0)
    assert_clean(app_page)


# --- early input ---------------------------------------------------------------------------------------

# Prepended to the worker's script in the early-input test: Python does not start until the page says "go",
# so the input below is made before Python is live however fast or slow the machine is.
HOLD_WORKER = ("await new Promise((go) => self.addEventListener('message', "
               "(event) => { if (event.data === 'go') { go() } }));\n")


# Records, at every change of the loader, how many texts it shows: its message, and the line its ::after shows
# while there is none yet (templates/page.html). WebKit showed both: it does not re-evaluate a :has() rule.
COUNT_BADGE_TEXTS = """
window.__badgeTexts = [];
new MutationObserver(() => {
  const loader = document.getElementById('loader');
  if (!loader || loader.style.display === 'none' || loader.classList.contains('error')) { return; }
  const message = document.getElementById('loader-msg').textContent !== '';
  const line = getComputedStyle(loader, '::after').content;
  window.__badgeTexts.push([message ? 1 + (line !== 'none') : (line !== 'none' ? 1 : 0), line]);
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


@pytest.mark.parametrize("start", ["saved start", "from scratch"])
def test_a_program_typed_and_drawn_before_python_is_live_is_answered(watched_context, site_url, start):
    """On both start paths: a start from scratch (a browser that cannot use the saved start) draws a document of
    its own, and what the student did on the prerendered one is made again on it (send_in_order.js)."""
    def held_worker(route):
        response = route.fetch()
        route.fulfill(response=response, body=HOLD_WORKER + response.text())

    def without_saved_start(route):
        response = route.fetch()
        body, found = re.subn(r"^const SNAPSHOT = .*$", "const SNAPSHOT = null", response.text(), flags=re.M)
        assert found == 1
        route.fulfill(response=response, body=body)

    watched_context.route(f"{site_url}app.js", held_worker)
    if start == "from scratch":
        watched_context.route(f"{site_url}saved-start.js", without_saved_start)
    watched_context.add_init_script(COUNT_BADGE_TEXTS)
    page = watched_context.new_page()
    app = AppPage(page, site_url, watched_context.records)
    page.goto(site_url, wait_until="commit")
    editor = program(page)
    editor.wait_for(state="visible", timeout=SETTLED_MS)   # the prerendered page, Python not live yet
    typed = "e1 = 2.0\ne2 = e1 * 3.0\nearly = e2 + 1.0\n"
    # The loader is a badge that lets clicks through: a student clicks into the box, types, clicks Draw.
    editor.click()
    editor.fill(typed)
    page.locator(".graph-draw button").click()
    page.locator(".bk-btn", has_text="Step").first.click()     # and one step of backward on it
    timing = page.evaluate("""() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      now: performance.now(),
      live: document.getElementById('loader').style.display === 'none'})""")
    assert not timing["live"], "Python was live before the input: the test did not test early input"
    print(f"typed and drawn {timing['now'] - timing['paint']:.0f} ms after the first paint")
    page.evaluate("window.earlyWorker.postMessage('go')")
    wait_until_interactive(page)
    if start == "from scratch":   # the page drew the worker's document in place of the prerendered one
        assert page.evaluate("pyodideWorker.early && pyodideWorker.jsdoc !== pyodideWorker.early")
    expect(summary(page)).to_contain_text("Output early", timeout=SETTLED_MS)
    expect(summary(page)).to_contain_text("= 7.0000")
    expect(page.locator(".graph-explain")).to_contain_text("Step 1 of", timeout=SETTLED_MS)
    expect(editor).to_have_value(typed)
    expect(page.locator(".early-not-kept")).to_have_count(0)   # nothing typed was lost
    badges = page.evaluate("window.__badgeTexts")
    assert badges and all(count == 1 for count, _ in badges), badges   # one text at a time
    assert any(line != "none" for _, line in badges), badges   # the line before the first message was seen
    # From then on the page and Python agree: Draw draws what is in the box.
    draw(page)
    expect(summary(page)).to_contain_text("Output early")
    doc = wait_for_address(page, lambda doc: doc["graph"]["program"] == typed)
    assert doc["graph"]["values"] == {"e1": 2.0}
    editor.fill("late = 5.0\nlater = late * late\n")
    draw(page)
    expect(summary(page)).to_contain_text("Output later", timeout=SETTLED_MS)
    assert_clean(app)


def test_fast_alternating_input_ends_with_page_and_python_in_agreement(app_page):
    page = app_page.page
    editor = program(page)
    for i in range(50):   # 100 actions, none waiting for an answer
        editor.fill(f"a = {i}.0\nb = a * 2.0\nfast{i % 3} = b + 1.0\n")
        page.locator(".graph-draw button").click()
    last = "a = 49.0\nb = a * 2.0\nfast1 = b + 1.0\n"
    expect(summary(page)).to_contain_text("Output fast1", timeout=SETTLED_MS)
    expect(summary(page)).to_contain_text("= 99.0000")
    expect(editor).to_have_value(last)
    expect(page.locator(".leaf-a input")).to_have_value("49")
    expect(page.locator(".graph-table")).to_contain_text("99.0000")
    doc = wait_for_address(page, lambda doc: doc["graph"]["program"] == last)
    assert doc["graph"]["values"] == {"a": 49.0}
    # Leaf values typed fast, then clicks on Draw between them.
    leaf = page.locator(".leaf-a input")
    for i in range(25):
        leaf.fill(f"{i}.5")
        leaf.press("Enter")
        page.locator(".graph-draw button").click()
    expect(editor).to_have_value(re.compile(r"^a = 24\.5$", re.M), timeout=SETTLED_MS)
    expect(summary(page)).to_contain_text("= 50.0000")
    wait_for_address(page, lambda doc: doc["graph"]["values"] == {"a": 24.5} and doc["graph"]["program"] ==
                     editor.input_value())
    assert_clean(app_page)


# --- the address bar and the device ----------------------------------------------------------------------

def test_reload_and_the_address_keep_program_settings_and_step(watched_context, site_url, browser):
    app = AppPage(watched_context.new_page(), site_url, watched_context.records).open()
    page = app.page
    typed = "kept = 1.5\nkept2 = tanh(kept)\n"
    program(page).fill(typed)
    draw(page)
    expect(summary(page)).to_contain_text("Output kept2", timeout=SETTLED_MS)
    app.show_view("training")
    rate = page.locator(".field-learning-rate input")
    rate.fill("0.05")
    rate.press("Enter")
    step = page.locator(".train-step button")
    for _ in range(50):
        step.click()
    expect(page.locator(".train-step-count")).to_have_text("50", timeout=SETTLED_MS)
    accuracy = page.locator(".train-accuracy").inner_text()
    doc = wait_for_address(page, lambda doc: doc["training"]["step"] == 50)
    assert doc["graph"]["program"] == typed and doc["training"]["learning_rate"] == 0.05
    assert doc["view"] == "training" and doc["training"]["weights"] is not None   # Share's rule: weights in

    def same_state(other):
        expect(other.locator(".train-step-count")).to_have_text("50", timeout=SETTLED_MS)
        expect(other.locator(".field-learning-rate input")).to_have_value("0.05")
        expect(other.locator(".train-accuracy")).to_have_text(accuracy, timeout=SETTLED_MS)
        expect(program(other)).to_have_value(typed)

    # Reload: the address carries the document.
    page.reload()
    wait_until_interactive(page)
    same_state(page)
    # The address, in a new page of another browser context (nothing on its device): the same state.
    fresh = browser.new_context(service_workers="block")
    try:
        other = fresh.new_page()
        other.goto(page.url)
        wait_until_interactive(other)
        same_state(other)
    finally:
        fresh.close()
    # The bare address, in this context: the device's copy opens.
    page.goto(site_url)
    wait_until_interactive(page)
    same_state(page)
    assert "from=device" not in page.url
    # Start over (in the share drawer): the defaults, here and on the device.
    page.locator(".share-open button").click()
    page.locator(".start-over button").click()
    expect(program(page)).to_have_value(default_document()["graph"]["program"], timeout=SETTLED_MS)
    defaults = default_document()
    wait_for_address(page, lambda doc: doc["graph"] == defaults["graph"] and doc["training"]["step"] == 0 and all(
        doc["training"].get(name) == defaults["training"].get(name) for name in D.SETTINGS_KEYS))
    page.goto(site_url)
    wait_until_interactive(page)
    app.show_view("training")
    expect(page.locator(".train-step-count")).to_have_text("0", timeout=SETTLED_MS)
    expect(program(page)).to_have_value(default_document()["graph"]["program"])
    assert_clean(app)



# The page's 'rendered' message never reaches the worker (the page still sends it; the worker no longer
# waits for it: templates/worker.js links the document as it sends its render).
DROP_RENDERED = """
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (msg, ...rest) {
  if (msg && msg.type === 'rendered') { return; }
  return post.call(this, msg, ...rest);
};
"""


def test_a_link_opens_without_waiting_for_the_page_to_say_it_rendered(watched_context, site_url):
    """What opening a link changed reaches the page right behind the render, not a round trip later."""
    typed = "early = 2.5\nlate = early * 3.0\n"
    watched_context.add_init_script(DROP_RENDERED)
    page = watched_context.new_page()
    page.goto(site_url + D.make_fragment(with_program(typed)))
    wait_until_interactive(page)
    expect(program(page)).to_have_value(typed, timeout=SETTLED_MS)
    expect(summary(page)).to_contain_text("Output late = 7.5000", timeout=SETTLED_MS)
    page.wait_for_function("() => !document.documentElement.hasAttribute('data-opening') && !document.body.inert",
                           timeout=SETTLED_MS)
    assert_still_working(page, 1.5)


def test_a_link_opens_on_a_page_that_starts_from_scratch(watched_context, site_url):
    """Without the saved start the page draws the worker's own render (which takes a while) and only then
    applies what opening the link changed: the worker's messages are taken one at a time, in order."""
    watched_context.route("**/snapshot/memory.bin", lambda route: route.fulfill(status=404, body="gone"))
    typed = "scratch = 1.25\nout = scratch + 1.0\n"
    app = AppPage(watched_context.new_page(), site_url + D.make_fragment(with_program(typed)),
                  watched_context.records).open()
    page = app.page
    expect(program(page)).to_have_value(typed, timeout=SETTLED_MS)
    expect(summary(page)).to_contain_text("Output out = 2.2500", timeout=SETTLED_MS)
    assert_still_working(page, 3.0)
    errors = watched_context.records["console_errors"]
    assert all("404" in e or "saved start could not be used" in e for e in errors), errors

def test_a_bad_document_on_the_device_is_discarded_with_a_notice(watched_context, site_url):
    bad = with_program("import os")
    fragment = D.make_fragment(bad)
    watched_context.add_init_script(
        "try { if (!sessionStorage.getItem('planted')) { sessionStorage.setItem('planted', '1');"
        f" localStorage.setItem('micrograd-playground:/', {json.dumps(fragment)}) }} }} catch (e) {{}}")
    app = AppPage(watched_context.new_page(), site_url, watched_context.records).open()
    page = app.page
    expect(share_message(page)).to_contain_text("kept on this device could not be opened", timeout=SETTLED_MS)
    expect(share_message(page)).to_contain_text("discarded")
    expect(program(page)).to_have_value(default_document()["graph"]["program"])
    page.wait_for_function("() => localStorage.getItem('micrograd-playground:/') !== " + json.dumps(fragment),
                           timeout=SETTLED_MS)
    page.goto(site_url)    # the next visit opens the defaults without a word
    wait_until_interactive(page)
    expect(program(page)).to_have_value(default_document()["graph"]["program"])
    expect(share_message(page)).to_be_hidden()
    assert_clean(app)


def test_with_storage_blocked_the_page_works_and_says_it_is_not_saving(watched_context, site_url):
    watched_context.add_init_script("""
      Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('blocked', 'SecurityError') }})
    """)
    app = AppPage(watched_context.new_page(), site_url, watched_context.records).open()
    page = app.page
    assert_still_working(page, 2.0)
    expect(page.locator(".storage-note")).to_contain_text("Not saved on this device", timeout=SETTLED_MS)
    wait_for_address(page, lambda doc: doc["graph"]["values"] == {"w": 4.5})   # the address still follows
    assert_clean(app)


# --- long programs and refused values --------------------------------------------------------------------

def long_program(chars=20_000):
    lines = ["long_descriptive_name_0000 = 1.0"]
    while sum(len(line) + 1 for line in lines) < chars:
        k = len(lines)
        lines.append(f"long_descriptive_name_{k:04d} = long_descriptive_name_{k - 1:04d} * 1.0001")
    return "\n".join(lines) + "\n"


def test_a_20000_character_program_is_pasted_edited_and_drawn(app_page):
    page = app_page.page
    text = long_program()
    assert len(text) >= 20_000
    page.evaluate("(text) => navigator.clipboard?.writeText?.(text).catch(() => {})", text)
    editor = program(page)
    editor.fill(text)   # as a paste does: the whole text at once
    editor.press("Control+End")
    page.keyboard.type("edited = long_descriptive_name_0001 * 2.0\n")   # typed characters are inserted
    expect(editor).to_have_value(text + "edited = long_descriptive_name_0001 * 2.0\n")
    draw(page)
    expect(summary(page)).to_contain_text("Output edited", timeout=SETTLED_MS)
    expect(summary(page)).to_contain_text("= 2.0002")
    assert_clean(app_page)


def test_out_of_range_values_are_refused_at_the_widget_and_share_and_download_work(app_page):
    page = app_page.page

    def typed(selector, value):
        field = page.locator(selector)
        field.fill(value)
        field.press("Enter")
        return field

    leaf = typed(".leaf-a input", "1e300")
    expect(graph_error(page)).to_contain_text("between", timeout=SETTLED_MS)
    expect(leaf).to_have_value("-4")   # the README example's a = -4.0, kept
    app_page.show_view("training")
    for selector, value, kept, note in (
            (".field-learning-rate input", "-5", "0.5", ".field-learning-rate-refused"),
            (".field-learning-rate input", "0", "0.5", ".field-learning-rate-refused"),
            (".field-decay input", "1e9", "0", ".field-decay-refused"),
            (".field-l2 input", "-1", "0.0001", ".field-l2-refused"),
            (".field-seed input", "-3", "1337", ".field-seed-refused"),
            (".field-batch-size input", "99999", "0", ".field-batch-size-refused")):
        field = typed(selector, value)
        expect(page.locator(note), selector + " " + value).to_contain_text("refused", timeout=SETTLED_MS)
        expect(field, selector + " " + value).to_have_value(kept)
    typed(".field-learning-rate input", "1e-9")   # tiny, but a learning rate: taken, and shown as taken
    expect(page.locator(".field-learning-rate-refused")).to_be_hidden(timeout=SETTLED_MS)
    hidden = typed(".train-hidden input", "4, 99")
    expect(page.locator(".train-hidden-refused")).to_contain_text("1 to 16 neurons", timeout=SETTLED_MS)
    expect(hidden).to_have_value("16, 16")
    # Share and Download (in the share drawer) work on what the page shows.
    page.locator(".share-open button").click()
    page.locator(".share-button button").click()
    link = page.locator(".share-link textarea")
    expect(link).to_be_visible(timeout=SETTLED_MS)
    shared, _, error = D.read_fragment(link.input_value()[link.input_value().index("#"):])
    assert error is None and shared["training"]["learning_rate"] == 1e-9
    assert shared["training"]["hidden_layers"] == [16, 16] and shared["graph"]["values"]["a"] == -4.0
    with page.expect_download() as download_info:
        page.locator(".share-download button, .share-download a").first.click()
    saved = json.loads(open(download_info.value.path()).read())
    assert saved == shared
    expect(share_message(page)).to_be_hidden()
    assert_clean(app_page)
