"""The built site in a real browser (Debian's Chromium): it loads with visible progress, its Python
worker answers UI actions with the engine, nothing leaves the origin, and it works offline."""
from playwright.sync_api import expect

from tests.conftest import AppPage, wait_until_interactive
from playground.app import describe

# Records every text the loader shows, from the first byte of the page on.
RECORD_LOADER_STAGES = """
window.__loaderStages = [];
new MutationObserver(() => {
  const msg = document.getElementById('loader-msg');
  const text = msg ? msg.textContent : '';
  const stages = window.__loaderStages;
  if (text && stages[stages.length - 1] !== text) { stages.push(text); }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def set_x(page, value: float) -> None:
    box = page.locator(".x-input input")
    box.fill(repr(value))
    box.press("Enter")


def test_page_shows_progress_answers_with_the_engine_and_stays_on_origin(watched_context, site_url):
    watched_context.add_init_script(RECORD_LOADER_STAGES)
    app = AppPage(watched_context.new_page(), site_url, watched_context.records).open()
    page = app.page

    stages = page.evaluate("window.__loaderStages")
    assert stages[0].startswith("Loading the Python runtime"), stages
    assert any("Python packages" in stage for stage in stages), stages
    assert stages[-1].startswith("Starting the app"), stages

    result = page.locator(".tanh-result pre")
    expect(result).to_have_text(describe(0.5))
    set_x(page, -1.25)  # answered by Python in the worker: the page itself holds no engine
    expect(result).to_have_text(describe(-1.25), timeout=30_000)

    app.assert_clean()


def test_a_load_failure_shows_a_readable_error(watched_context, site_url):
    watched_context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="gone"))
    page = watched_context.new_page()
    page.goto(site_url)
    error = page.locator("#loader-error")
    expect(error).to_contain_text("Loading the Python runtime failed", timeout=60_000)
    expect(error).to_contain_text("Reload the page")
    assert watched_context.records["foreign_requests"] == []


def test_works_offline_after_one_visit(browser, site_url):
    context = browser.new_context()  # service workers allowed; no routing, so the cache is the real one
    records = {"console_errors": [], "foreign_requests": []}
    try:
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and records["console_errors"].append(msg.text))
        page.goto(site_url)
        wait_until_interactive(page)
        # ready: the service worker installed, so its precache of the whole site is complete.
        installed = page.evaluate("Promise.race([navigator.serviceWorker.ready.then(() => true),"
                                  " new Promise(resolve => setTimeout(() => resolve(false), 120000))])")
        assert installed, "the service worker did not install: its precache failed"
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)

        context.set_offline(True)
        page.reload()
        wait_until_interactive(page)
        set_x(page, 2.0)
        expect(page.locator(".tanh-result pre")).to_have_text(describe(2.0), timeout=30_000)
        assert records["console_errors"] == []
    finally:
        context.close()
