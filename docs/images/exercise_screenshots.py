"""Take the teacher's guide's pictures of predict mode (the graph view's and the training step's) and of an
exercise (docs/teachers-guide.md) from the built site in dist/.

    .venv/bin/python build.py && .venv/bin/python docs/images/exercise_screenshots.py
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


def answer(page, text):
    box = page.locator(".predict-answer input")
    box.fill(text)
    box.press("Enter")


def main():
    server = serve_in_thread(ROOT / "dist")
    try:
        with sync_playwright() as p:
            browser = launch(p)
            # Predict mode: two steps answered, the third answered wrong (its hint shown).
            context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url_of(server) + "#chrome=minimal", wait_until="commit")
            wait_until_interactive(page)
            page.locator(".graph-predict-toggle input").check()
            for k, text in ((1, "1"), (2, "1"), (3, "1"), (4, None), (5, "0.5")):
                page.locator(".graph-step button").click()
                expect(page.locator(".graph-explain")).to_contain_text(f"Step {k} of", timeout=TIMEOUT)
                if text:
                    expect(page.locator(".predict-answer input")).to_be_enabled(timeout=TIMEOUT)
                    answer(page, text)
            expect(page.locator(".predict-feedback")).to_contain_text("Hint", timeout=TIMEOUT)
            page.wait_for_timeout(500)
            page.locator(".graph-view").first.screenshot(path=OUT / "predict-hint.png")
            context.close()

            # An exercise: the dead ReLU, solved.
            context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url_of(server) + "#tour=exercises&lesson=4&chrome=minimal", wait_until="commit")
            wait_until_interactive(page)
            expect(page.locator(".exercise-status")).to_contain_text("Not solved yet", timeout=TIMEOUT)
            box = page.locator(".leaf-w input")
            box.fill("-1")
            box.press("Enter")
            expect(page.locator(".exercise-status")).to_contain_text("Solved", timeout=TIMEOUT)
            page.wait_for_timeout(500)
            page.screenshot(path=OUT / "exercise-solved.png", clip={"x": 0, "y": 0, "width": 1280, "height": 620})
            context.close()

            # One training step predicting: the weight's grad after backward, answered wrong (its hint shown).
            context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url_of(server) + "#tour=micrograd&lesson=6&chrome=minimal", wait_until="commit")
            wait_until_interactive(page)
            page.locator(".lesson-train-predict-toggle input").check()
            for phase in range(1, 5):
                page.locator(".lesson-train-next button").click()
                expect(page.locator(".lesson-train-caption")).to_contain_text(f"phase {phase} of 5", timeout=TIMEOUT)
            box = page.locator(".lesson-train-predict-answer input")
            box.fill("0.1")
            box.press("Enter")
            expect(page.locator(".lesson-train-predict-feedback")).to_contain_text("Hint", timeout=TIMEOUT)
            page.wait_for_timeout(500)
            page.locator(".lesson-train").first.screenshot(path=OUT / "lesson-training-predict.png")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
