"""Page-load benchmark: build, serve, load the playground in headless Chromium N times, print JSON.

    .venv/bin/python bench/load_bench.py [--runs 3] [--site dist]

Per run, a fresh browser profile loads the page (cold), then the browser is restarted on the same
profile and loads it again (warm: HTTP cache and service worker kept, like a returning student).
Measured from navigation start: first contentful paint, and interactive = the first Python callback
answered (x changed in the page, the worker's engine result shown). Bytes and files are counted by
the server. The medians over the runs are printed with every run's numbers.
"""
import argparse
import gzip
import json
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import build  # noqa: E402
from sitebuild.serve import SiteHandler, make_server, url_of  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 300_000
# Records when the loader shows each stage ("Loading the Python runtime…", "Loading N Python packages…",
# "Starting the app…"), to tell where the time goes.
RECORD_STAGES = """
window.__stages = [];
new MutationObserver(() => {
  const msg = document.getElementById('loader-msg');
  const text = msg ? msg.textContent : '';
  const last = window.__stages[window.__stages.length - 1];
  if (text && (!last || last[0] !== text)) { window.__stages.push([text, performance.now()]); }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
# True once the result text (inside Bokeh's nested shadow roots) shows the expected answer.
ANSWERED = """expected => {
  const search = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.classList.contains('tanh-result') && (el.shadowRoot || el).textContent.includes(expected)) return true;
      if (el.shadowRoot && search(el.shadowRoot)) return true;
    }
    return false;
  };
  return search(document);
}"""


class Counter:
    """Bytes and files the server sent, reset before each load."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.bytes, self.files = 0, 0

    def add(self, size):
        with self.lock:
            self.bytes += size
            self.files += 1


def counting_server(site: Path, counter: Counter):
    class CountingHandler(SiteHandler):
        def copyfile(self, source, outputfile):
            start = source.tell()
            super().copyfile(source, outputfile)
            counter.add(source.tell() - start)

    server = make_server(site, handler_class=CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stage_name(loader_text: str) -> str:
    for word, name in [("runtime", "runtime"), ("packages", "packages"), ("app", "app")]:
        if word in loader_text:
            return name
    return loader_text


def load_once(playwright, profile: Path, url: str, counter: Counter, x: float) -> dict:
    counter.reset()
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS)
    try:
        context.add_init_script(RECORD_STAGES)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(url)
        page.wait_for_function("document.getElementById('loader').style.display === 'none'"
                               " || document.getElementById('loader-error').textContent !== ''",
                               timeout=TIMEOUT_MS)
        error = page.locator("#loader-error").text_content()
        if error:
            raise RuntimeError(error)
        box = page.locator(".x-input input")
        box.fill(repr(x))
        box.press("Enter")
        page.wait_for_function(ANSWERED, arg=f"tanh({x!r})", timeout=TIMEOUT_MS, polling=20)
        interactive = page.evaluate("performance.now()")
        bytes_to_interactive, files_to_interactive = counter.bytes, counter.files
        stages = {stage_name(text): round(at) for text, at in page.evaluate("window.__stages")}
        paint = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
        # Let the service worker finish precaching (not timed), so the warm load finds it installed.
        page.evaluate("Promise.race([navigator.serviceWorker.ready, new Promise(r => setTimeout(r, 60000))])")
    finally:
        context.close()
    return {"first_paint_ms": round(paint) if paint else None, "interactive_ms": round(interactive),
            "bytes": bytes_to_interactive, "files": files_to_interactive,
            "bytes_with_precache": counter.bytes, "files_with_precache": counter.files, "stage_starts_ms": stages}


def median(runs: list[dict], key: str):
    values = [run[key] for run in runs if run[key] is not None]
    return round(statistics.median(values)) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    site = build.ensure_built()
    counter = Counter()
    server = counting_server(site, counter)
    url = url_of(server)
    cold, warm = [], []
    with sync_playwright() as playwright:
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="load-bench-profile-") as profile:
                cold.append(load_once(playwright, Path(profile), url, counter, 1.5 + run))
                warm.append(load_once(playwright, Path(profile), url, counter, -1.5 - run))
            print(f"run {run + 1}: cold {cold[-1]}, warm {warm[-1]}", file=sys.stderr, flush=True)
    server.shutdown()
    keys = ["first_paint_ms", "interactive_ms", "bytes", "files", "bytes_with_precache", "files_with_precache"]
    print(json.dumps({
        "runs": args.runs,
        "cold": {key: median(cold, key) for key in keys},
        "warm": {key: median(warm, key) for key in keys},
        "site_files": len(json.loads((site / build.RECORD).read_text())["files"]),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        # What a host compressing every file (gzip -6) would send.
        "site_gzip_bytes": sum(len(gzip.compress(p.read_bytes(), 6)) for p in site.rglob("*") if p.is_file()),
        "each_run": {"cold": cold, "warm": warm},
    }, indent=1))


if __name__ == "__main__":
    main()
