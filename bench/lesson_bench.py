"""How long the lesson's tools take to answer a click in the built site (dist/), in Chromium; prints JSON.

    .venv/bin/python build.py && .venv/bin/python bench/lesson_bench.py

Each number is the median of a few clicks: from the click until the page shows the answer (the worker's
Python ran and its patch was drawn)."""
import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitebuild.chromium import launch  # noqa: E402
from sitebuild.serve import serve_in_thread, url_of  # noqa: E402
from tests.conftest import wait_until_interactive  # noqa: E402

TIMEOUT = 60_000


def timed(action, check):
    start = time.perf_counter()
    action()
    check()
    return time.perf_counter() - start


def main():
    server = serve_in_thread(ROOT / "dist")
    results = {}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900}).new_page()
            page.goto(url_of(server) + "#tour=micrograd&lesson=2", wait_until="commit")
            wait_until_interactive(page)
            counter = page.locator(".lesson-code-counter")
            expect(counter).to_contain_text("Step 0 of 6", timeout=TIMEOUT)
            times = []
            for k in range(1, 7):
                times.append(timed(lambda: page.locator(".lesson-code-next button").click(),
                                   lambda k=k: expect(counter).to_contain_text(f"Step {k} of 6", timeout=TIMEOUT)))
            results["code panel: Next (5-node graph)"] = statistics.median(times)
            results["tour: Next to 'A value used twice' (opens a document, builds Break it)"] = timed(
                lambda: page.locator(".tour-next button").click(),
                lambda: expect(page.locator(".lesson-break-check")).to_contain_text("ok", timeout=TIMEOUT))
            results["break it: overwrite toggle"] = timed(
                lambda: page.get_by_text("experiment: overwrite (=) instead of accumulate (+=)").click(),
                lambda: expect(page.locator(".lesson-break-check tr.wrong")).to_be_visible(timeout=TIMEOUT))
            page.locator(".tour-next button").click()
            caption = page.locator(".lesson-topo-caption")
            expect(caption).to_contain_text("Press Next", timeout=TIMEOUT)
            results["build_topo: End (10 nodes)"] = timed(
                lambda: page.locator(".lesson-topo-end button").click(),
                lambda: expect(caption).to_contain_text("The sort is done", timeout=TIMEOUT))
            page.locator(".tour-next button").click()
            page.locator(".tour-next button").click()
            expect(page.locator(".lesson-train-next button")).to_be_visible(timeout=TIMEOUT)
            table = page.locator(".lesson-train-weight-table tr.now td").first
            times = []
            for phase in ("forward", "loss", "zero_grad", "backward", "update"):
                times.append(timed(lambda: page.locator(".lesson-train-next button").click(),
                                   lambda phase=phase: expect(table).to_have_text(phase, timeout=TIMEOUT)))
            results["training step: each phase, 30 points, 2-8-1 (forward, loss, zero_grad, backward, update)"] = \
                [round(t, 3) for t in times]
            results["training step: Whole step"] = timed(
                lambda: page.locator(".lesson-train-whole button").click(),
                lambda: expect(page.locator(".lesson-train-after")).to_contain_text("after step 2", timeout=TIMEOUT))
            browser.close()
    finally:
        server.shutdown()
    print(json.dumps({k: v if isinstance(v, list) else round(v, 3) for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
