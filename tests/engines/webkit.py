"""WebKitGTK (Safari's engine, Debian's webkit2gtk-driver) through Selenium and WebKitWebDriver.

WebKitWebDriver starts MiniBrowser in automation mode on an X display (our own Xvfb on a machine without one:
display.py). What this WebDriver cannot do, and how the adapter does without it:
- no console log (`get_log`) and no BiDi: the test server's recorder reports console messages
  (tests/engines/site.py); messages of the page's workers are not seen;
- no clicking or typing into elements inside shadow roots: page.py sets values and clicks by script;
- no network events: requests leaving the origin are not recorded here (Firefox and Chromium record them).
MiniBrowser runs an ephemeral profile in automation mode: its storage and HTTP cache live as long as the
browser. navigator.storage.getDirectory (the private file system where the page keeps its start) is off in
WebKitGTK by default and on in Safari: it is turned on here (--features), as a student's Safari has it.
"""
import contextlib

from selenium import webdriver
from selenium.webdriver.webkitgtk.options import Options
from selenium.webdriver.webkitgtk.service import Service

from tests.engines.display import display
from tests.engines.page import EnginePage

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
SCRIPT_TIMEOUT_S = 300


class WebKit(EnginePage):
    name = "webkit"

    def __init__(self, width: int = 1280, height: int = 800):
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        options.add_argument("--features=+StorageAPI,+FileSystem")
        options.page_load_strategy = "none"   # navigation returns at once: tests type while the page loads
        service = Service(executable_path=WEBKIT_DRIVER, env={"DISPLAY": display()})
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_script_timeout(SCRIPT_TIMEOUT_S)
        self.driver.set_window_size(width, height)
        self.foreign_requests = None     # not visible through this WebDriver
        self.worker_errors = []
        self.pid = self.driver.service.process.pid   # WebKitWebDriver: MiniBrowser and its processes are below it

    def _evaluate_json(self, expression: str) -> str:
        return self.driver.execute_async_script(
            f"const done = arguments[arguments.length - 1]; ({expression}).then(done);")

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.execute_script("location.reload()")

    @contextlib.contextmanager
    def in_frame(self, index: int):
        self.driver.switch_to.frame(index)
        try:
            yield self
        finally:
            self.driver.switch_to.default_content()

    def close(self) -> None:
        self.driver.quit()
