"""The picture of the playground's start page that a page without scripts shows (templates/embed_still.html).

Bokeh draws the whole app with scripts, so a frame that runs none (sandbox="" as TinyMCE 7 sets it, or
JavaScript off) would show an empty page. The build opens the built page once in Chromium, as an embed
shows it (#chrome=minimal, 800 x 600), and keeps a screenshot as PREVIEW in the site. Run in a process of
its own (Playwright's sync API cannot run where an asyncio loop runs).
"""
import subprocess
import sys
from pathlib import Path

from sitebuild import chromium
from sitebuild.serve import serve_in_thread, url_of

PREVIEW = "preview.png"
SIZE = {"width": 800, "height": 600}   # the Embed button's default size (playground/share.py)
TIMEOUT_MS = 300_000
# The app is drawn and Python answered (Panel's loader hidden), or the start failed.
UP_OR_FAILED = """() => {
  const loader = document.getElementById('loader');
  const error = document.getElementById('loader-error');
  return (loader && loader.style.display === 'none') || (error && error.textContent !== '');
}"""


def make(site: Path) -> None:
    subprocess.run([sys.executable, "-m", "sitebuild.preview", str(site)], check=True,
                   cwd=Path(__file__).resolve().parents[1])


def _make(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = serve_in_thread(site)
    try:
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            try:
                page = browser.new_context(viewport=SIZE, service_workers="block").new_page()
                page.goto(url_of(server) + "#chrome=minimal")
                page.wait_for_function(UP_OR_FAILED, timeout=TIMEOUT_MS)
                error = page.locator("#loader-error").text_content()
                if error:
                    raise SystemExit(f"the page failed to start, no preview made: {error}")
                page.wait_for_timeout(500)   # the graph's first frame
                page.screenshot(path=site / PREVIEW)
            finally:
                browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    _make(Path(sys.argv[1]))
