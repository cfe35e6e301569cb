"""Take the teacher's guide's screenshots (docs/teachers-guide.md) from the built site in dist/.

    .venv/bin/python build.py && .venv/bin/python docs/images/lesson_screenshots.py
"""
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitebuild.chromium import launch  # noqa: E402
from sitebuild.serve import serve_in_thread, url_of  # noqa: E402
from tests.conftest import wait_until_interactive  # noqa: E402

OUT = Path(__file__).parent
TIMEOUT = 60_000


def main():
    server = serve_in_thread(ROOT / "dist")
    try:
        with sync_playwright() as p:
            browser = launch(p)
            context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url_of(server) + "#tour=micrograd&lesson=2&chrome=minimal", wait_until="commit")
            wait_until_interactive(page)
            loop = page.locator(".lesson-code-loop")
            expect(loop).to_be_visible(timeout=TIMEOUT)
            for _ in range(4):
                page.locator(".lesson-code-next button").click()
            expect(page.locator(".lesson-code-closure")).to_contain_text("a.grad = -3.0", timeout=TIMEOUT)
            page.locator(".lesson-code-expand input").check()
            expect(page.locator(".lesson-code-details")).to_contain_text("each addition", timeout=TIMEOUT)
            page.screenshot(path=OUT / "lesson-code.png", full_page=True)

            page.locator(".tour-next button").click()
            page.get_by_text("experiment: overwrite (=) instead of accumulate (+=)").click()
            expect(page.locator(".lesson-break-check tr.wrong")).to_be_visible(timeout=TIMEOUT)
            page.screenshot(path=OUT / "lesson-break.png", full_page=True)

            page.goto(url_of(server) + "#tour=micrograd&lesson=6&chrome=minimal", wait_until="commit")
            wait_until_interactive(page)
            for _ in range(5):
                page.locator(".lesson-train-next button").click()
            expect(page.locator(".lesson-train-after svg")).to_be_visible(timeout=TIMEOUT)
            page.screenshot(path=OUT / "lesson-training-step.png", full_page=True)

            # The training view's own run, one step phase by phase (after a few steps of training).
            page.goto(url_of(server) + "#chrome=minimal", wait_until="commit")
            wait_until_interactive(page)
            page.locator(".bk-tab", has_text="Training").first.click()
            expect(page.locator(".train-step-count")).to_have_text("0", timeout=TIMEOUT)
            for _ in range(3):
                page.locator(".train-step button").click()
            expect(page.locator(".train-step-count")).to_have_text("3", timeout=TIMEOUT)
            page.locator(".train-phases-toggle button").click()
            for _ in range(5):
                page.locator(".train-phase-next button").click()
            expect(page.locator(".train-phase-after svg")).to_be_visible(timeout=TIMEOUT)
            page.locator(".train-phases").first.screenshot(path=OUT / "training-phase-step.png")

            # the graph view at backward step 5: the topo[i] tags, the step naming topo[31] (a fresh context: the
            # device keeps the tour's last graph)
            context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url_of(server) + "#chrome=minimal", wait_until="commit")
            wait_until_interactive(page)
            for _ in range(5):
                page.locator(".graph-step button").click()
            expect(page.locator(".graph-explain")).to_contain_text("Step 5 of 46", timeout=TIMEOUT)
            page.wait_for_timeout(500)
            page.locator(".graph-view").first.screenshot(path=OUT / "graph-topo.png")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
