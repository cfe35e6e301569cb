"""Make the screenshots of a student's first program on each device from the built site: a phone (390 x 844,
touch), a tablet (820 x 1180, touch) and a desktop (1280 x 800), each after typing `a = 2.0 / b = -3.0 /
c = a * b` into the graph view's program box and pressing Draw graph, scrolled to the plot (the answer above it)
(docs/device-phone.png, device-tablet.png, device-desktop.png; 128 colours, to stay small).

    .venv/bin/python build.py && .venv/bin/python docs/screenshots_devices.py
"""
import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitebuild.chromium import CHROMIUM, FLAGS  # noqa: E402
from sitebuild.serve import serve_in_thread, url_of  # noqa: E402
from tests.browser.test_student_path import DEVICES, FIRST_PROGRAM, draw  # noqa: E402
from tests.conftest import INTERACTIVE_TIMEOUT_MS, wait_until_interactive  # noqa: E402

COLOURS = 128


def main():
    server = serve_in_thread(ROOT / "dist")
    url = url_of(server)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for device, options in DEVICES.items():
            context = browser.new_context(service_workers="block", **options)
            page = context.new_page()
            page.goto(url, timeout=INTERACTIVE_TIMEOUT_MS)
            wait_until_interactive(page)
            draw(page, FIRST_PROGRAM)
            summary = page.locator(".graph-summary")
            summary.filter(has_text="Output c = -6.0000").wait_for(timeout=60_000)
            page.locator(".graph-plot").first.evaluate("e => e.scrollIntoView({block: 'center'})")
            page.wait_for_timeout(1500)  # the page frames the new graph in its own time
            png = Image.open(io.BytesIO(page.screenshot()))
            png.convert("RGB").quantize(COLOURS).save(ROOT / "docs" / f"device-{device}.png", optimize=True)
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
