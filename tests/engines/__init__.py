"""The browser suite's other engines, behind one small adapter each (tests/engines/test_student_flows.py
uses them; bench/load_bench.py --browser too):

    page = launch("firefox")              # or "webkit", or "chromium" (with playwright=...)
    page.open(site_url)                   # navigate; returns once the page is parsed
    page.wait_until_live()                # Python rendered the app (tests/conftest.py's condition)
    page.set_value(".leaf-a input", "1.5", enter=True)     # CSS selectors reach into shadow roots
    page.click(".graph-step button"); page.text(".graph-explain"); page.evaluate("() => ...")
    with page.in_frame(0): ...            # the same, inside the page's first iframe
    page.close()

page.py     what every engine shares: scripts run in the page, selectors across shadow roots, waits
firefox.py  Firefox ESR through WebDriver BiDi (bidi.py), headless
webkit.py   WebKitGTK's MiniBrowser through Selenium and WebKitWebDriver, on a virtual display (display.py)
chromium.py Chromium through Playwright, for the flows run in all three engines
site.py     the built site served with a console recorder (WebKit's WebDriver has no console log)
docs/engines-testing.md says how and why.
"""


def launch(name: str, origins: tuple[str, ...] = (), playwright=None, **options):
    """A new browser of engine `name` showing a blank page; requests to origins other than `origins` are
    recorded where the engine lets us see them."""
    if name == "firefox":
        from tests.engines.firefox import Firefox
        return Firefox(origins=origins, **options)
    if name == "webkit":
        from tests.engines.webkit import WebKit
        return WebKit(**options)
    if name == "chromium":
        from tests.engines.chromium import Chromium
        return Chromium(playwright, origins=origins, **options)
    raise ValueError(f"unknown engine {name!r}: chromium, firefox or webkit")
