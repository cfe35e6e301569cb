"""Shared fixtures: the built site, a local server for it, and pages of the playground in Chromium.

How to use them in a browser test (put it under tests/browser/):

    def test_my_view(app_page):
        page = app_page.page                      # the playground, loaded and interactive
        box = page.locator(".leaf-a input")       # CSS selectors reach into Bokeh's shadow DOM
        box.fill("1.5"); box.press("Enter")
        expect(page.locator(".graph-summary")).to_contain_text("Output g")
        app_page.assert_clean()                   # no console errors, no request left the origin

Fixtures
    site_dir         (session)  Path of dist/, built once per session by build.py (downloads cached in .cache/;
                                reused as is when no input of the build changed)
    site_url         (session)  "http://127.0.0.1:PORT/" serving site_dir (right MIME types, background thread)
    app_page         (test)     AppPage for a fresh browser context with the playground opened: each test pays
                                one page load (~3-5 s here, from the saved start): prefer one test checking much
    shared_app_page  (session)  one AppPage loaded once for the whole session: for tests that only read, or
                                that put back what they change; its records (errors, requests) accumulate
    watched_context  (test)     a new context whose console errors and foreign requests are recorded, no page
                                opened yet, for custom set-ups (routes, init scripts):
                                `from tests.conftest import AppPage`, then
                                AppPage(watched_context.new_page(), site_url, watched_context.records).open()
Helpers
    AppPage.open(path="")       navigate to site_url + path and wait until the worker's Python rendered the app
    AppPage.show_view(name)     bring the "graph" or "training" view on screen (click its tab) and wait for it
    AppPage.console_errors      console errors and uncaught page errors seen so far (worker ones included)
    AppPage.foreign_requests    requests that tried to leave the origin (each was blocked)
    AppPage.assert_clean()      assert both lists are empty
    wait_until_interactive(page)  the waiting part of open(), for pages you navigated yourself

The contexts of these fixtures block service workers (each would precache the whole site again);
tests/browser/test_site.py tests the service worker in its own context. A context's first page keeps its
start in the context's OPFS 4 s after starting; later pages of that context read it (see test_site.py).
The browser is Debian's chromium (/usr/bin/chromium), headless; `playwright install` is never needed.
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitebuild.chromium import CHROMIUM, FLAGS as CHROMIUM_FLAGS  # noqa: E402  (the build's own headless Chromium)
# A page restores the build's saved start in ~3-5 s here; from scratch (no saved start) Pyodide boots and imports
# Panel inside wasm: ~15-25 s, more on a busy machine.
INTERACTIVE_TIMEOUT_MS = 180_000
VIEW_TABS = {"graph": "Graph", "training": "Training"}   # view name -> its tab's title in playground/app.py

# True once the worker rendered the app (the loader is hidden) or reported an error.
LOADED_OR_FAILED = """() => {
  const loader = document.getElementById('loader');
  const error = document.getElementById('loader-error');
  return (loader && loader.style.display === 'none') || (error && error.textContent !== '');
}"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """dist/, built if needed, as a snapshot of hard links: another test run rebuilding dist/
    meanwhile (others edit the sources) cannot pull files from under this run's pages."""
    import build

    build.CACHE.mkdir(parents=True, exist_ok=True)  # a fresh clone has no .cache/ yet
    snapshot = Path(tempfile.mkdtemp(prefix="site-", dir=build.CACHE.parent))
    with build.build_lock(build.CACHE):
        if not build.is_current(build.DIST):
            build.build()
        shutil.copytree(build.DIST, snapshot / "dist", copy_function=os.link)
    yield snapshot / "dist"
    shutil.rmtree(snapshot, ignore_errors=True)


@pytest.fixture(scope="session")
def site_url(site_dir):
    from sitebuild.serve import serve_in_thread, url_of

    server = serve_in_thread(site_dir)
    yield url_of(server)
    server.shutdown()


def same_origin(url: str, origin: str) -> bool:
    """Is `url` on `origin`? blob: and data: URLs made by the page itself count as on it."""
    if url.startswith("data:"):
        return True
    if url.startswith("blob:"):
        url = url[len("blob:"):]
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


def wait_until_interactive(page, timeout_ms: int = INTERACTIVE_TIMEOUT_MS) -> None:
    """Wait until the worker's Python has rendered the app; fail with the page's own message if it failed."""
    page.wait_for_function(LOADED_OR_FAILED, timeout=timeout_ms)
    error = page.locator("#loader-error").text_content()
    if error:
        raise AssertionError(f"the playground failed to load: {error}")


class AppPage:
    """A page of the playground with what it logged and what it tried to fetch elsewhere."""

    def __init__(self, page, site_url: str, records: dict):
        self.page = page
        self.site_url = site_url
        self.console_errors = records["console_errors"]
        self.foreign_requests = records["foreign_requests"]

    def open(self, path: str = "") -> "AppPage":
        self.page.goto(self.site_url + path)
        wait_until_interactive(self.page)
        return self

    def show_view(self, name: str) -> None:
        """Bring the view `name` ("graph" or "training") on screen, as a student would by clicking its tab.
        Views may be built only when first shown: call this before touching a view's elements."""
        self.page.locator(".bk-tab", has_text=VIEW_TABS[name]).first.click()
        self.page.locator(f".{name}-view").first.wait_for(state="visible", timeout=INTERACTIVE_TIMEOUT_MS)

    def assert_clean(self) -> None:
        assert self.foreign_requests == [], f"requests left the origin: {self.foreign_requests}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


def watch(context, site_url: str, *other_sites: str) -> dict:
    """Record console errors of every page of `context`, and block and record requests leaving the origin
    (or the origins: a course page's site and the playground's)."""
    origins = [url.rstrip("/") for url in (site_url, *other_sites)]
    records = {"console_errors": [], "foreign_requests": []}

    def ours(url):
        return any(same_origin(url, origin) for origin in origins)

    def record_foreign(url):
        if url not in records["foreign_requests"]:
            records["foreign_requests"].append(url)

    def route(route):
        if ours(route.request.url):
            route.continue_()
        else:
            record_foreign(route.request.url)
            route.abort()

    def on_page(page):
        page.on("console", lambda msg: msg.type == "error" and records["console_errors"].append(msg.text))
        page.on("pageerror", lambda error: records["console_errors"].append(f"uncaught: {error}"))

    context.route("**/*", route)
    context.on("page", on_page)
    # Requests that never reach the router (e.g. from a service worker) are still seen here.
    context.on("request", lambda request: None if ours(request.url) else record_foreign(request.url))
    return records


# Contexts for tests block service workers: each would otherwise download the whole site again
# to precache it, and Playwright's routing sees every request only without one.
# tests/browser/test_site.py tests the service worker in a context of its own.
@pytest.fixture
def watched_context(browser, site_url):
    context = browser.new_context(service_workers="block")
    context.records = watch(context, site_url)
    yield context
    context.close()


@pytest.fixture
def app_page(watched_context, site_url) -> AppPage:
    page = watched_context.new_page()
    return AppPage(page, site_url, watched_context.records).open()


@pytest.fixture(scope="session")
def shared_app_page(browser, site_url) -> AppPage:
    context = browser.new_context(service_workers="block")
    records = watch(context, site_url)
    yield AppPage(context.new_page(), site_url, records).open()
    context.close()
