"""One cold or warm load of the playground in Firefox ESR or WebKitGTK, measured as bench/load_bench.py measures
Chromium's (its --browser option): from navigation start to Python live, and to the first answer (a new value
typed into leaf a's box in the graph view, until the node table shows it and the output changed).

The browsers are driven by the browser suite's adapters (tests/engines/). Cold: a new browser on a new profile.
Warm: Firefox restarted on the profile of the cold load (HTTP cache, service worker, the kept start), as for
Chromium. WebKitGTK's MiniBrowser keeps no profile in automation mode (its storage is ephemeral): its warm load
is a second visit in the browser of the cold load, after a blank page (the kept start and the HTTP cache in
memory are there). The site is served by the test server that reports the page's console errors
(tests/engines/site.py; the engines' WebDriver cannot), counting what it sends as load_bench's server does.
"""
import os
import time
from pathlib import Path

from tests.engines import launch
from tests.engines.site import RecordingSite

TIMEOUT_MS = 300_000
# In the page: wait (polling every 20 ms) until `condition` holds; the page's clock then (ms).
WAIT_IN_PAGE = """async (condition, args, timeoutMs) => {
  const test = eval(condition);
  const started = performance.now();
  while (!(await test(...args))) {
    if (performance.now() - started > timeoutMs) throw new Error('timed out waiting for ' + condition.slice(0, 80));
    await new Promise((wait) => setTimeout(wait, 20));
  }
  return performance.now();
}"""


def wait_in_page(page, condition: str, *args, timeout_ms: int = TIMEOUT_MS) -> float:
    return page.evaluate(WAIT_IN_PAGE, f"({condition})", list(args), timeout_ms)


def tree_cpu_seconds(root: int) -> float:
    """CPU time used so far by process `root` and all its descendants (Linux /proc)."""
    parents, cpu = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(pid)] = int(fields[1])
        cpu[int(pid)] = int(fields[11]) + int(fields[12])
    tree, grew = {root}, True
    while grew:
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        grew, tree = grown != tree, grown
    return sum(cpu.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def wait_until_settled(root: int, settled_cpu_s: float, window_s: float, timeout_s: float) -> float:
    """Wait until the browser's own start-up work is over (as load_bench does for Chromium); seconds waited."""
    started = time.monotonic()
    before = tree_cpu_seconds(root)
    while time.monotonic() - started < timeout_s:
        time.sleep(window_s)
        now = tree_cpu_seconds(root)
        if now - before <= settled_cpu_s:
            break
        before = now
    return round(time.monotonic() - started, 2)


class Visits:
    """The cold load and the warm load of one engine in one run, on one profile."""

    def __init__(self, engine: str, profile: Path, site: RecordingSite):
        self.engine, self.profile, self.site = engine, profile, site
        self.page = None

    def browser(self, kind: str):
        if self.engine == "webkit" and kind == "warm" and self.page is not None:
            self.page.open("about:blank", ready="() => true")
            return self.page
        self.close()
        options = {"profile": self.profile / "firefox"} if self.engine == "firefox" else {}
        self.page = launch(self.engine, origins=(self.site.origin,), **options)
        return self.page

    def after(self, kind: str) -> None:
        if self.engine != "webkit" or kind == "warm":
            self.close()

    def close(self) -> None:
        if self.page is not None:
            self.page.close()
            self.page = None
