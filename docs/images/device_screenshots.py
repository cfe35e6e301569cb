"""Make the phone and tablet pictures of docs/devices.md from the built site, in Chromium with touch emulated:

    device-phone-graph.png      390 x 844: the graph view's first screen (44 px buttons, the touch hint)
    device-phone-card.png       390 x 844: a node tapped, its edit card as a sheet over the window's bottom
    device-phone-lesson.png     390 x 844: the Lesson after Next, scrolled to the table, the step buttons on top
    device-phone-landscape.png  844 x 390: the training view, the plot beside the buttons
    device-tablet-graph.png     820 x 1180: the graph view's first screen

    .venv/bin/python build.py && .venv/bin/python docs/images/device_screenshots.py
"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from sitebuild.chromium import launch  # noqa: E402
from sitebuild.serve import serve_in_thread, url_of  # noqa: E402
from tests.browser.test_touch import NODE_POINT  # noqa: E402  (a node's point on the screen)
from tests.conftest import INTERACTIVE_TIMEOUT_MS, wait_until_interactive  # noqa: E402


def open_page(browser, url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True,
                                  service_workers="block")   # scale 1: small files
    page = context.new_page()
    page.goto(url, timeout=INTERACTIVE_TIMEOUT_MS)
    wait_until_interactive(page)
    page.wait_for_timeout(1500)
    return context, page


def shoot(page, name):
    page.wait_for_timeout(800)
    page.screenshot(path=str(HERE / name))


def main():
    server = serve_in_thread(ROOT / "dist")
    url = url_of(server)
    with sync_playwright() as p:
        browser = launch(p)
        context, page = open_page(browser, url, 390, 844)
        shoot(page, "device-phone-graph.png")
        page.locator(".graph-plot").first.scroll_into_view_if_needed()
        point = page.evaluate(NODE_POINT, "g")
        page.touchscreen.tap(point["x"], point["y"])
        page.locator(".graph-edit-card.sheet").wait_for(timeout=INTERACTIVE_TIMEOUT_MS)
        shoot(page, "device-phone-card.png")
        page.locator(".graph-edit-card .card-header").tap()
        page.locator(".bk-tab", has_text="Lesson").first.tap()
        for _ in range(2):
            page.locator(".lesson-code-next button").tap()
            page.wait_for_timeout(500)
        page.wait_for_timeout(1500)   # the tables are drawn again after each Next
        table = page.locator(".lesson-code-panel .lesson-table").first
        table.wait_for(timeout=INTERACTIVE_TIMEOUT_MS)
        table.scroll_into_view_if_needed()
        shoot(page, "device-phone-lesson.png")
        page.set_viewport_size({"width": 844, "height": 390})
        page.locator(".bk-tab", has_text="Training").first.tap()
        page.locator(".train-boundary").first.wait_for(timeout=INTERACTIVE_TIMEOUT_MS)
        page.evaluate("() => { document.getElementById('main').scrollTop = 0; }")
        shoot(page, "device-phone-landscape.png")
        context.close()
        context, page = open_page(browser, url, 820, 1180)
        shoot(page, "device-tablet-graph.png")
        context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
