"""Chromium (Debian's, through Playwright) behind the same adapter as the other engines, so that the flows
of test_student_flows.py run in the three engines alike. Chromium's own suite (tests/browser/) uses
Playwright directly; this adapter is for the few flows every engine must pass."""
import contextlib

from sitebuild.chromium import launch
from tests.engines.page import EnginePage


class Chromium(EnginePage):
    name = "chromium"

    def __init__(self, playwright, width: int = 1280, height: int = 800, origins: tuple[str, ...] = ()):
        self.browser = launch(playwright)
        self.context = self.browser.new_context(viewport={"width": width, "height": height},
                                                service_workers="block")
        self.page = self.context.new_page()
        self.frame = self.page.main_frame
        self.foreign_requests = []
        self.worker_errors = []
        # Worker messages: the page's own reach the test server's recorder (tests/engines/site.py).
        self.page.on("worker", lambda worker: worker.on(
            "console", lambda msg: msg.type == "error" and self.worker_errors.append(msg.text)))

        def record(request):
            url = request.url
            if not url.startswith(("data:", "blob:", "about:")) and not url.startswith(origins) \
                    and url not in self.foreign_requests:
                self.foreign_requests.append(url)

        if origins:
            self.context.on("request", record)

    def _evaluate_json(self, expression: str) -> str:
        return self.frame.evaluate(expression)

    def goto(self, url: str) -> None:
        self.page.goto(url, wait_until="commit")

    def reload(self) -> None:
        self.page.evaluate("location.reload()")

    @contextlib.contextmanager
    def in_frame(self, index: int):
        self.frame = self.page.main_frame.child_frames[index]
        try:
            yield self
        finally:
            self.frame = self.page.main_frame

    def close(self) -> None:
        self.context.close()
        self.browser.close()
