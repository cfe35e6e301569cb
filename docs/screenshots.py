"""Make the screenshots in docs/ from the built site: the first screen (screenshot.png, 1280 x 800) and a course
page's iframe at each common size (embed-WxH.png), so a teacher can pick one.

    .venv/bin/python build.py && .venv/bin/python docs/screenshots.py
"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitebuild.chromium import CHROMIUM, FLAGS  # noqa: E402
from sitebuild.serve import serve_in_thread, url_of  # noqa: E402
from tests.conftest import INTERACTIVE_TIMEOUT_MS, wait_until_interactive  # noqa: E402

EMBED_SIZES = [(480, 360), (640, 480), (800, 600)]
MARGIN = 16   # the course page around the iframe


def main():
    server = serve_in_thread(ROOT / "dist")
    url = url_of(server)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
        page = context.new_page()
        page.goto(url, timeout=INTERACTIVE_TIMEOUT_MS)
        wait_until_interactive(page)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
        context.close()
        for width, height in EMBED_SIZES:
            context = browser.new_context(viewport={"width": width + 2 * MARGIN, "height": height + 2 * MARGIN},
                                          service_workers="block")
            page = context.new_page()
            page.set_content(f'<body style="margin:{MARGIN}px;background:#f3f3f3"><iframe src="{url}#chrome=minimal" '
                             f'width="{width}" height="{height}" style="border:0;background:#fff" '
                             f'title="micrograd playground"></iframe></body>')
            page.frame_locator("iframe").locator("#loader").wait_for(state="attached", timeout=INTERACTIVE_TIMEOUT_MS)
            wait_until_interactive(page.frames[1])
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ROOT / "docs" / f"embed-{width}x{height}.png"))
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
