"""A student's core flows in the three engines: Chromium (Debian's, through Playwright), Firefox ESR (WebDriver
BiDi) and WebKitGTK (Safari's engine, through WebKitWebDriver). tests/browser/ holds Chromium's full suite;
these flows are the ones every browser a student has must pass (issue 31).

One browser per engine for the whole module, a handful of page loads each: a first visit with a program typed
while Python starts, a reload with the same, the flows on one live page and a reload that keeps the work, a
share link opened in a course page's iframe. The browsers and drivers come from Debian (`make engines`).
"""
import re

import pytest

from playground import document as D
from playground.live_document import default_document
from tests.browser.test_document import HOLD_WORKER
from tests.browser.test_first_contact import PLOT_STATE
from tests.browser.test_training_view import HEATMAP_SUM
from tests.engines import launch
from tests.engines.site import RecordingSite

ENGINES = ["chromium", "firefox", "webkit"]
ANSWER_S = 90          # one answer of Python (WebKit on a busy 2-core machine is slow)
LIVE_S = 300           # WebKit starts from scratch (its saved start fails): 25-60 s alone, minutes on a busy machine
EDITOR = ".graph-program textarea"
SUMMARY = ".graph-summary"
EXPLAIN = ".graph-explain"
EARLY = "e1 = 2.0\ne2 = e1 * 3.0\nearly = e2 + 1.0\n"        # early = 7
ON_RELOAD = "r1 = 1.5\nr2 = r1 * r1\nreloaded = r2 - 0.25\n"   # reloaded = 2


@pytest.fixture(scope="module", params=ENGINES)
def browser_and_site(request, site_dir):
    """(a browser page of one engine, its recording site), shared by this module's tests in that engine."""
    site = RecordingSite(site_dir)
    playwright = request.getfixturevalue("playwright") if request.param == "chromium" else None
    page = launch(request.param, origins=(site.origin, site.course_origin), playwright=playwright)
    yield page, site
    page.close()
    site.shutdown()


@pytest.fixture
def engine(browser_and_site):
    """The module's browser of one engine, with the records of earlier tests cleared."""
    page, site = browser_and_site
    for records in (site.records, page.worker_errors, page.foreign_requests):
        if isinstance(records, list):
            records.clear()
    yield page, site
    site.settings["worker_prefix"] = ""    # a test that failed while the worker was held must not hold the next


def assert_clean(page, site):
    """No console error on any page or worker; no request left the origins (where the engine can tell)."""
    errors = site.errors() + page.worker_errors
    assert errors == [], f"{page.name}: console errors: {errors}"
    assert not page.foreign_requests, f"{page.name}: requests left the origin: {page.foreign_requests}"


def assert_whole_graph_in_view(page, names):
    """The plot draws the graph of `names` with every node inside its visible ranges (the picture)."""
    state = page.evaluate(PLOT_STATE)
    assert set(names) <= set(state["names"]), state
    assert state["inside"] == state["count"], f"{page.name}: {state['inside']} of {state['count']} nodes in view"


def step_counter(page) -> tuple[int, int]:
    match = re.search(r"Step (\d+) of (\d+)", page.text(EXPLAIN))
    assert match, page.text(EXPLAIN)
    return int(match.group(1)), int(match.group(2))


# In the page: wait until the prerendered editor shows, then at once type `program`, click Draw and Step (one
# script: a WebDriver round trip can take a second on a busy machine); say when, and whether Python was live.
TYPE_EARLY = """async (program) => {
  const editor = () => find('.graph-program textarea').find(shown);
  while (!editor()) await new Promise((wait) => setTimeout(wait, 10));
  const shownAt = performance.now();
  const takesInput = !document.documentElement.hasAttribute('data-opening') && !document.body.inert;
  const box = editor();
  box.focus();
  box.value = program;
  box.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  box.dispatchEvent(new Event('change', {bubbles: true, composed: true}));
  one('.graph-draw button').click();
  one('.graph-step button').click();
  return {shownAt, takesInput, now: performance.now(), live: document.getElementById('loader').style.display === 'none',
          paint: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime ?? null};
}"""


def type_while_python_starts(page, site, program: str) -> None:
    """As soon as the prerendered editor shows (Python held back by the server), type `program`, draw it and
    take one backward step; then let Python start."""
    timing = page.evaluate(TYPE_EARLY, program)
    assert timing["takesInput"], "the page takes no input (it is opening a document)"
    assert not timing["live"], "Python was live before the input: the test did not test early input"
    print(f"{page.name}: typed, drawn and stepped {timing['now'] - timing['shownAt']:.0f} ms after the editor "
          f"showed (first paint at {timing['paint']} ms, editor at {timing['shownAt']:.0f} ms)")
    site.settings["worker_prefix"] = ""
    page.evaluate("() => window.earlyWorker.postMessage('go')")


def assert_early_program_answered(page, program: str, output: str, value: str) -> None:
    page.wait_until_live(LIVE_S)
    page.wait_for_text(SUMMARY, f"Output {output} = {value}", timeout_s=ANSWER_S)
    page.wait_for_text(EXPLAIN, "Step 1 of", timeout_s=ANSWER_S)
    assert page.value(EDITOR) == program
    assert_whole_graph_in_view(page, [name.split(" =")[0] for name in program.splitlines()])


def test_a_program_typed_while_python_starts_is_answered_on_a_first_visit(engine):
    page, site = engine
    site.settings["worker_prefix"] = HOLD_WORKER
    page.open(site.url)
    type_while_python_starts(page, site, EARLY)
    assert_early_program_answered(page, EARLY, "early", "7.0000")
    assert_clean(page, site)


def test_a_program_typed_while_python_starts_is_answered_on_a_reload(engine):
    """A reload of a page that holds no document: the second start (caches warm, the start kept by the first
    visit). A page that holds one (in its address or on the device) takes no input until Python has opened it
    (templates/early_worker.html): the last test's reload covers that."""
    page, site = engine
    page.evaluate("() => { localStorage.clear(); history.replaceState(null, '', location.pathname); }")
    site.settings["worker_prefix"] = HOLD_WORKER
    page.reload_page()
    type_while_python_starts(page, site, ON_RELOAD)
    assert_early_program_answered(page, ON_RELOAD, "reloaded", "2.0000")
    assert_clean(page, site)


def test_step_run_all_training_lesson_and_a_reload_keeps_the_work(engine):
    page, site = engine
    page.open(site.url)
    page.wait_until_live(LIVE_S)
    # A typed program is answered, drawn whole.
    typed = "w = 1.5\nq = w * 2.0\nout = q + w\n"
    page.set_value(EDITOR, typed)
    page.click(".graph-draw button")
    page.wait_for_text(SUMMARY, "Output out = 4.5000", timeout_s=ANSWER_S)
    assert_whole_graph_in_view(page, ["w", "q", "out"])
    page.set_value(".leaf-w input", "2.5", enter=True)
    page.wait_for_text(SUMMARY, "Output out = 7.5000", timeout_s=ANSWER_S)

    # Step, then Run all steps.
    page.click(".graph-step button")
    page.wait_for_text(EXPLAIN, "Step 1 of", timeout_s=ANSWER_S)
    page.click(".graph-backward button")
    page.wait_for("() => /Step (\\d+) of \\1\\b/.test(textOf(one('.graph-explain')))", timeout_s=ANSWER_S,
                  what="the last step")
    done, total = step_counter(page)
    assert done == total >= 4

    # The Training tab: Play trains (the counter runs, the heatmap is redrawn), Pause stops it.
    page.show_view("Training", "training-view", timeout_s=ANSWER_S)
    page.wait_for("() => /^\\d+$/.test(textOf(one('.train-step-count')).trim())", timeout_s=ANSWER_S,
                  what="the step counter")
    before = int(page.text(".train-step-count"))
    heatmap = page.evaluate(HEATMAP_SUM)
    page.click(".train-play button")
    page.wait_for(f"() => +textOf(one('.train-step-count')) >= {before + 5} && ({HEATMAP_SUM})() !== {heatmap}",
                  timeout_s=ANSWER_S, what="training to run")
    page.click(".train-pause button")
    page.wait_for("() => !one('.train-play button').disabled", timeout_s=ANSWER_S, what="Play enabled again")
    paused_at = page.text(".train-step-count")
    page.evaluate("() => new Promise((done) => setTimeout(done, 1500))")
    assert page.text(".train-step-count") == paused_at, "the counter moved after Pause"
    assert int(paused_at) >= before + 5

    # The Lesson tab: the code of backward, stepped, on the graph drawn above.
    page.show_view("Lesson", "lesson-view", timeout_s=ANSWER_S)
    page.wait_for("() => find('.lesson-code-picture svg').some(shown)", timeout_s=ANSWER_S, what="the lesson's picture")
    page.click(".lesson-code-next button")
    page.wait_for_text(".lesson-code-loop .line.now", "self.grad = 1.0", timeout_s=ANSWER_S)

    # A reload keeps the work: the program, its value and the training's step.
    page.show_view("Training", "training-view", timeout_s=ANSWER_S)
    page.wait_for("() => location.hash.includes('d=')", timeout_s=ANSWER_S, what="the address to hold the work")
    page.reload_page()
    page.wait_until_live(LIVE_S)
    page.wait_for_text(".train-step-count", paused_at, timeout_s=ANSWER_S, exact=True)
    page.show_view("Graph", "graph-view", timeout_s=ANSWER_S)
    page.wait_for_value(EDITOR, typed.replace("w = 1.5", "w = 2.5"), timeout_s=ANSWER_S)
    page.wait_for_text(SUMMARY, "Output out = 7.5000", timeout_s=ANSWER_S)
    assert_clean(page, site)


def test_a_share_link_opens_its_graph_in_a_course_pages_iframe(engine, request):
    page, site = engine
    if page.name == "webkit":
        # Known failure, reported on issue 31 (2026-12-07): in WebKitGTK the frame's WebDriver context is lost
        # (NoSuchWindowException on every script in it) before the embed goes live; it passed on some runs.
        request.applymarker(pytest.mark.xfail(reason="WebKitGTK: the frame's WebDriver context is lost (issue 31)",
                                              strict=False))
    linked = "early = 2.5\nlate = early * 3.0\n"
    doc = default_document()
    doc["graph"] = {"program": linked, "values": {}, "step": 0}
    page.open(site.course_url(site.url + D.make_fragment(doc), 800, 600),
              ready="() => document.querySelectorAll('iframe').length === 1")
    with page.in_frame(0):
        page.wait_until_live(LIVE_S)
        page.wait_for_value(EDITOR, linked, timeout_s=ANSWER_S)
        page.wait_for_text(SUMMARY, "Output late = 7.5000", timeout_s=ANSWER_S)
        assert_whole_graph_in_view(page, ["early", "late"])
        page.click(".graph-step button")
        page.wait_for_text(EXPLAIN, "Step 1 of", timeout_s=ANSWER_S)
        assert page.evaluate("() => window.top !== window && document.referrer.startsWith('http://localhost')")
    assert_clean(page, site)
