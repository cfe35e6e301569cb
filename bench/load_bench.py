"""Page-load benchmark: load several builds of the playground in headless Chromium, interleaved, print JSON.

    .venv/bin/python bench/load_bench.py [--runs 5] [--site NAME=PATH ...] [--no-baseline]
                                         [--browser chromium|firefox|webkit ...]

--browser firefox (or webkit, or both) measures every site in that engine too, beside Chromium in the same
run (the engines' order rotates too), as "SITE@ENGINE", with its ratio to Chromium's first answer, cold and
warm: bench/engine_load.py says how those engines are driven and what their cold and warm loads are.

Sites: `ours` (dist/, built by build.py if its sources changed), `baseline` (a plain `panel convert`
build of the same app, bench/baseline_site.py, built into .cache/baseline-site/), and each
`--site NAME=PATH` (a folder holding a built site, e.g. one built with a lever left out). Every site is
served by its own 127.0.0.1 server from a hard-link snapshot taken at the start (a rebuild meanwhile
cannot change what is measured). The sites are measured in one run, interleaved so that the machine's
load hits them alike: run i loads site A cold, A warm, B cold, B warm, ... (the order of the sites
rotates from run to run).

Cold: a fresh browser profile. Warm: the browser restarted on that profile (HTTP cache, service
worker and site storage kept, like a returning student). Each load opens the page once the browser has
settled after its launch (its own start-up work is over; `--no-settle` opens it at once), as a
student's browser is already running when the link is clicked. Measured from navigation start: first
contentful paint, the start of each loading stage the page shows, and interactive = the first Python
callback answered in the real playground: in the graph view, a new value typed into leaf a's box and
Enter pressed, until the node table shows a's new data and the output's data changed. Bytes and files are counted by the
server up to interactive, with what gzip -6 would make of those files (a compressing host), and again
after the page stayed open LINGER_MS and its service worker finished installing ("_with_precache": a
first visit's whole download). Requests
that tried to leave the origin and console errors are counted per load.

With --training-link, each run also loads every site cold (a fresh profile) at a link that opens the training view
(`#view=training`) and clicks Play as soon as it can be clicked: link_step_ms, from navigation start until the step
counter moved (bench/training_bench.py measures the same beside the Training tab's click).

Prints per site the medians, the site's size, the ratio of every site to the baseline for interactive
(cold and warm), and every load's numbers. A human summary goes to stderr.
"""
import argparse
import datetime
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import build  # noqa: E402
from bench import baseline_site  # noqa: E402
from sitebuild.serve import SiteHandler, make_server, url_of  # noqa: E402

from sitebuild.chromium import CHROMIUM, FLAGS  # noqa: E402  (the same headless Chromium as the build and tests)
from bench import engine_load  # noqa: E402  (Firefox and WebKitGTK, through tests/engines/)
from tests.conftest import LOADED_OR_FAILED  # noqa: E402
from tests.engines.site import RecordingSite  # noqa: E402
TIMEOUT_MS = 300_000
LINGER_MS = 8_000
# A student's browser is running before the link is clicked. A browser just launched spends ~2 s of CPU
# on its own start (this Chromium builds its top-chrome WebUI in a renderer of its own), which would
# take one of this machine's two cores from the page: each load waits until the browser has settled.
SETTLED_CPU_S = 0.01     # CPU time of all the browser's processes in one QUIET_WINDOW_S, at most
QUIET_WINDOW_S = 0.2
SETTLE_TIMEOUT_S = 10
SNAPSHOTS = ROOT / ".cache"
# Records when the loader shows each message, to tell where the time goes.
RECORD_STAGES = """
window.__stages = [];
new MutationObserver(() => {
  const msg = document.getElementById('loader-msg');
  const text = msg ? msg.textContent : '';
  const last = window.__stages[window.__stages.length - 1];
  if (text && (!last || last[0] !== text)) { window.__stages.push([text, performance.now()]); }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
# The loader's messages, ours and plain Panel's, by stage (first word found wins).
STAGE_WORDS = [("runtime", "runtime"), ("pyodide", "runtime"), ("packages", "packages"),
               ("installing", "packages"), ("app", "app"), ("executing", "app")]
# The node table's rows [[label, data], ...] (it lives inside Bokeh's nested shadow roots), or null.
TABLE_ROWS = """() => {
  const find = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.classList.contains('graph-table')) return el;
      if (el.shadowRoot) { const found = find(el.shadowRoot); if (found) return found; }
    }
    return null;
  };
  const table = find(document);
  if (!table) return null;
  const root = table.shadowRoot || table;
  const data = [...root.querySelectorAll('thead th')].findIndex((th) => th.textContent.trim() === 'data');
  if (data < 0) return null;
  const rows = [...root.querySelectorAll('tbody tr')];
  return rows.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent.trim()))
             .map((cells) => [cells[0], cells[data]]);
}"""
# True once the table shows leaf a's new data and an output data different from before.
ANSWERED = """([data, outputBefore]) => {
  const rows = (%s)();
  if (!rows || !rows.length) return false;
  const a = rows.find((row) => row[0] === 'a');
  return !!a && a[1] === data && rows[rows.length - 1][1] !== outputBefore;
}""" % TABLE_ROWS


class Counter:
    """Files the server sent (path, bytes) and requests it answered (304s too), reset before each load."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.sent = []
            self.requests = 0

    def answered(self):
        with self.lock:
            self.requests += 1

    def add(self, path, size):
        with self.lock:
            self.sent.append((path, size))

    def snapshot(self):
        with self.lock:
            return list(self.sent)


def counting_handler(counter: Counter, base=SiteHandler):
    class CountingHandler(base):
        def copyfile(self, source, outputfile):
            start = source.tell()
            super().copyfile(source, outputfile)
            counter.add(self.translate_path(self.path), source.tell() - start)

        def log_request(self, code="-", size="-"):
            counter.answered()

    return CountingHandler


def counting_server(site: Path, counter: Counter):
    server = make_server(site, handler_class=counting_handler(counter))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


_gzip_sizes = {}


def gzip_size(path: str, sent: int) -> int:
    """What gzip -6 makes of a sent file (the whole file; a partial send counts its share)."""
    if path not in _gzip_sizes:
        file = Path(path) / "index.html" if Path(path).is_dir() else Path(path)
        data = file.read_bytes()
        _gzip_sizes[path] = (len(data), len(gzip.compress(data, 6)))
    size, packed = _gzip_sizes[path]
    return round(packed * sent / size) if size else 0


def stage_name(loader_text: str) -> str:
    lower = loader_text.lower()
    return next((name for word, name in STAGE_WORDS if word in lower), loader_text)


def same_origin(url: str, origin: str) -> bool:
    if url.startswith(("data:", "blob:" + origin)):
        return True
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


def browser_cpu_seconds(profile: Path) -> float:
    """CPU time used so far by the processes of the browser running on `profile` (Linux /proc)."""
    tag = f"--user-data-dir={profile}".encode()
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if tag in Path(f"/proc/{pid}/cmdline").read_bytes():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:  # the process ended meanwhile
            pass
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_settled(profile: Path) -> float:
    """Wait until the browser's own start-up work is over; returns the seconds waited."""
    started = time.monotonic()
    before = browser_cpu_seconds(profile)
    while time.monotonic() - started < SETTLE_TIMEOUT_S:
        time.sleep(QUIET_WINDOW_S)
        now = browser_cpu_seconds(profile)
        if now - before <= SETTLED_CPU_S:
            break
        before = now
    return round(time.monotonic() - started, 2)


def answer_first_callback(page, new_value: float) -> None:
    """In the graph view: type a new value for leaf a, press Enter, wait until the table shows it."""
    graph = page.locator(".graph-view").first
    if not graph.is_visible():
        page.locator(".bk-tab", has_text="Graph").first.click()
    box = page.locator(".leaf-a input").first
    box.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.wait_for_function(f"() => {{ const rows = ({TABLE_ROWS})(); return !!rows && rows.some(r => r[0] === 'a'); }}",
                           timeout=TIMEOUT_MS, polling=20)
    rows = page.evaluate(TABLE_ROWS)
    current = float(dict(rows)["a"])
    if round(new_value, 4) == round(current, 4):
        new_value += 1.0
    box.fill(repr(new_value))
    box.press("Enter")
    page.wait_for_function(ANSWERED, arg=[f"{new_value:.4f}", rows[-1][1]], timeout=TIMEOUT_MS, polling=20)


def load_once(playwright, profile: Path, url: str, counter: Counter, new_value: float, settle: bool = True) -> dict:
    counter.reset()
    origin = url.rstrip("/")
    foreign, errors, seen = [], [], []
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS)
    try:
        context.on("request", lambda r: seen.append(r.url) if same_origin(r.url, origin) else foreign.append(r.url))
        context.add_init_script(RECORD_STAGES)
        page = context.pages[0] if context.pages else context.new_page()
        settled_s = wait_until_settled(profile) if settle else None
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        page.goto(url)
        page.wait_for_function("document.getElementById('loader').style.display === 'none'"
                               " || document.getElementById('loader-error').textContent !== ''",
                               timeout=TIMEOUT_MS)
        error = page.locator("#loader-error").text_content()
        if error:
            raise RuntimeError(error)
        rendered = page.evaluate("performance.now()")
        try:
            answer_first_callback(page, new_value)
        except Exception as failure:   # say what the page was in: still opening a document, its errors
            state = page.evaluate("[document.documentElement.hasAttribute('data-opening'), document.body.inert]")
            raise RuntimeError(f"{failure}".splitlines()[0] + f" (opening, inert: {state}; console errors: {errors})")
        interactive = page.evaluate("performance.now()")
        sent, requests = counter.snapshot(), counter.requests
        stages = {}
        for text, at in page.evaluate("window.__stages"):
            stages.setdefault(stage_name(text), round(at))
        paint = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
        # Stay on the page a while, as a student would (not timed): what a site does in the background
        # after its start (ours: registering the service worker 5 s after the app is up) happens
        # then, and a service worker finishes precaching, so the warm load finds it all in place.
        page.wait_for_timeout(LINGER_MS)
        page.evaluate("""navigator.serviceWorker.getRegistration().then((registration) => registration &&
            Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 60000))]))""")
    finally:
        context.close()
    after = counter.snapshot()
    return {"settled_s": settled_s, "first_paint_ms": round(paint) if paint else None, "rendered_ms": round(rendered),
            "interactive_ms": round(interactive),
            "bytes": sum(size for _, size in sent), "files": len(sent), "requests": requests,
            "gzip_bytes": sum(gzip_size(path, size) for path, size in sent),
            "bytes_with_precache": sum(size for _, size in after), "files_with_precache": len(after),
            "gzip_bytes_with_precache": sum(gzip_size(path, size) for path, size in after),
            "stage_starts_ms": stages, "foreign_requests": sorted(set(foreign)), "console_errors": errors,
            # Requests the browser made (served from its caches or not): the check above sees the worker's too.
            "wheel_requests_seen": sum(url.endswith(".whl") for url in seen)}


def answer_first_callback_in(page, new_value: float) -> float:
    """answer_first_callback in another engine (tests/engines/ adapter); the page's clock when answered (ms)."""
    if not page.shown(".graph-view"):
        page.click(".bk-tab", "Graph")
    engine_load.wait_in_page(page, "() => find('.leaf-a input').some(shown)")
    engine_load.wait_in_page(page, f"() => {{ const rows = ({TABLE_ROWS})(); return !!rows && rows.some(r => r[0] === 'a'); }}")
    rows = page.evaluate(TABLE_ROWS)
    if round(new_value, 4) == round(float(dict(rows)["a"]), 4):
        new_value += 1.0
    page.set_value(".leaf-a input", repr(new_value), enter=True)
    return engine_load.wait_in_page(page, ANSWERED, [f"{new_value:.4f}", rows[-1][1]])


def load_once_in(visits: "engine_load.Visits", kind: str, url: str, counter: Counter, new_value: float,
                 settle: bool = True) -> dict:
    """load_once in Firefox or WebKitGTK (bench/engine_load.py says what cold and warm are there)."""
    counter.reset()
    site = visits.site
    records_before = len(site.records)
    page = visits.browser(kind)
    try:
        settled_s = engine_load.wait_until_settled(page.pid, SETTLED_CPU_S, QUIET_WINDOW_S, SETTLE_TIMEOUT_S) \
            if settle else None
        workers_before = len(page.worker_errors)
        page.open(url)
        rendered = engine_load.wait_in_page(page, LOADED_OR_FAILED)
        error = page.evaluate("() => document.getElementById('loader-error').textContent")
        if error:
            raise RuntimeError(error)
        interactive = answer_first_callback_in(page, new_value)
        sent, requests = counter.snapshot(), counter.requests
        stages = {}
        for text, at in page.evaluate("() => window.__stages || []"):
            stages.setdefault(stage_name(text), round(at))
        paint = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
        # Stay on the page a while, as load_once does.
        page.evaluate(f"() => new Promise((done) => setTimeout(done, {LINGER_MS}))")
        page.evaluate("""() => navigator.serviceWorker && navigator.serviceWorker.getRegistration().then((r) => r &&
            Promise.race([navigator.serviceWorker.ready, new Promise((done) => setTimeout(done, 60000))])).then(() => true)""")
        errors = [r["text"] for r in site.records[records_before:] if r.get("kind") == "error"] + \
            list(page.worker_errors[workers_before:])
        foreign = list(page.foreign_requests or [])
    except BaseException:
        visits.close()
        raise
    visits.after(kind)
    after = counter.snapshot()
    return {"settled_s": settled_s, "first_paint_ms": round(paint) if paint else None, "rendered_ms": round(rendered),
            "interactive_ms": round(interactive),
            "bytes": sum(size for _, size in sent), "files": len(sent), "requests": requests,
            "gzip_bytes": sum(gzip_size(path, size) for path, size in sent),
            "bytes_with_precache": sum(size for _, size in after), "files_with_precache": len(after),
            "gzip_bytes_with_precache": sum(gzip_size(path, size) for path, size in after),
            "stage_starts_ms": stages, "foreign_requests": sorted(set(foreign)), "console_errors": errors,
            "wheel_requests_seen": None}


def link_once(playwright, profile: Path, url: str, settle: bool = True) -> dict:
    """A cold load of a link that opens the training view; Play clicked as soon as it can be."""
    from bench.training_bench import play_trains

    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        if settle:
            wait_until_settled(profile)
        page.goto(url + "#view=training")
        return {"link_step_ms": round(play_trains(page, TIMEOUT_MS))}
    finally:
        context.close()


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values)) if values else None


def summarize(loads: list[dict]) -> dict:
    good = [load for load in loads if "error" not in load]
    keys = ["first_paint_ms", "rendered_ms", "interactive_ms", "bytes", "files", "requests", "gzip_bytes",
            "bytes_with_precache", "files_with_precache", "gzip_bytes_with_precache"]
    summary = {key: median([load[key] for load in good]) for key in keys}
    stages = sorted({name for load in good for name in load["stage_starts_ms"]},
                    key=lambda name: median([load["stage_starts_ms"].get(name) for load in good]))
    summary["stage_starts_ms"] = {name: median([load["stage_starts_ms"].get(name) for load in good])
                                  for name in stages}
    summary["loads"] = len(good)
    summary["failed_loads"] = len(loads) - len(good)
    summary["foreign_requests"] = sorted({url for load in good for url in load["foreign_requests"]})
    errors = [re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", error)[:300]
              for load in good for error in load["console_errors"]]
    summary["console_errors"] = {error: errors.count(error) for error in sorted(set(errors))}  # message: count
    return summary


def snapshot(site: Path, into: Path) -> Path:
    """A copy of `site` made of hard links (plain copies across file systems)."""
    target = into / site.name
    try:
        shutil.copytree(site, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(site, target)
    return target


def site_size(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    return {"site_files": len(files), "site_bytes": sum(p.stat().st_size for p in files),
            "site_gzip_bytes": sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)}


def machine_load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def parse_site(text: str) -> tuple[str, Path]:
    name, sep, path = text.partition("=")
    if not sep or not name or not Path(path).is_dir():
        raise argparse.ArgumentTypeError(f"expected NAME=PATH with PATH a built site, got {text!r}")
    return name, Path(path).resolve()


def ratio(a, b):
    return round(a / b, 3) if a and b else None


def within_runs(loads: list[dict], base: list[dict]) -> dict:
    ratios = [ratio(a.get("interactive_ms"), b.get("interactive_ms")) for a, b in zip(loads, base)]
    good = [r for r in ratios if r is not None]
    return {"median": round(statistics.median(good), 3) if good else None, "each_run": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", action="append", type=parse_site, default=[], metavar="NAME=PATH",
                        help="also measure the site built in PATH (repeatable)")
    parser.add_argument("--no-baseline", action="store_true", help="do not build and measure the baseline")
    parser.add_argument("--no-ours", action="store_true", help="do not build and measure dist/")
    parser.add_argument("--browser", action="append", choices=["chromium", "firefox", "webkit"], default=[],
                        help="also measure each site in this engine, beside Chromium in the same run (repeatable; "
                             "Chromium is always measured): Debian's firefox-esr, WebKitGTK (`make engines`)")
    parser.add_argument("--no-settle", action="store_true",
                        help="open the page as soon as the browser is launched (its start-up work overlaps the load)")
    parser.add_argument("--training-link", action="store_true",
                        help="also load each site cold at a link that opens the training view and time its first step")
    args = parser.parse_args()

    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="load-bench-sites-", dir=SNAPSHOTS))
    sites = {}
    try:
        if not args.no_baseline:
            sites["baseline"] = baseline_site.ensure_built()  # builds dist/ first if needed
        if not args.no_ours:
            with build.build_lock(build.CACHE):
                if not build.is_current(build.DIST):
                    build.build(build.DIST)
                sites["ours"] = snapshot(build.DIST, work / "ours")
        if "baseline" in sites:
            sites["baseline"] = snapshot(sites["baseline"], work / "baseline")
        for name, path in args.site:
            if name in sites:
                parser.error(f"two sites named {name}")
            sites[name] = snapshot(path, work / name)
        if not sites:
            parser.error("no site to measure")
        engines = tuple(dict.fromkeys(engine for engine in args.browser if engine != "chromium"))
        run(args.runs, sites, settle=not args.no_settle, engines=engines, training_link=args.training_link)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(runs: int, sites: dict[str, Path], settle: bool = True, engines: tuple[str, ...] = (),
        training_link: bool = False) -> None:
    """Every site in Chromium, and in each of `engines` (firefox, webkit) under the key "SITE@ENGINE"."""
    counters = {name: Counter() for name in sites}
    servers = {name: counting_server(path, counters[name]) for name, path in sites.items()}
    # The other engines' loads go to a server of their own that also reports the page's console errors.
    targets = list(sites) + [f"{name}@{engine}" for name in sites for engine in engines]
    recording = {}
    for name, path in sites.items():
        for engine in engines:
            counters[f"{name}@{engine}"] = Counter()
            recording[f"{name}@{engine}"] = RecordingSite(path, base=counting_handler(counters[f"{name}@{engine}"]))
            recording[f"{name}@{engine}"].settings["head_script"] = RECORD_STAGES
    loads = {target: {"cold": [], "warm": []} for target in targets}
    started, load_before = datetime.datetime.now(datetime.timezone.utc), machine_load()
    names = list(sites)
    all_engines = ["chromium", *engines]
    with sync_playwright() as playwright:
        for i in range(runs):
            order = names[i % len(names):] + names[:i % len(names)]
            engine_order = all_engines[i % len(all_engines):] + all_engines[:i % len(all_engines)]
            for name in order:
                for engine in engine_order:
                    target = name if engine == "chromium" else f"{name}@{engine}"
                    with tempfile.TemporaryDirectory(prefix="load-bench-profile-") as profile:
                        visits = None if engine == "chromium" else \
                            engine_load.Visits(engine, Path(profile), recording[target])
                        for kind, value in [("cold", 1.5 + i), ("warm", -1.5 - i)]:
                            try:
                                if visits is None:
                                    load = load_once(playwright, Path(profile), url_of(servers[name]), counters[name],
                                                     value, settle)
                                else:
                                    load = load_once_in(visits, kind, recording[target].url, counters[target], value,
                                                        settle)
                            except Exception as error:  # one failed load must not lose the others
                                load = {"error": f"{type(error).__name__}: {error}".splitlines()[0]}
                            loads[target][kind].append(load)
                            print(f"run {i + 1} {target} {kind}: " + ", ".join(
                                f"{k} {v}" for k, v in load.items() if k not in ("console_errors",)),
                                file=sys.stderr, flush=True)
                        if visits is not None:
                            visits.close()
                if training_link:
                    with tempfile.TemporaryDirectory(prefix="load-bench-profile-") as profile:
                        try:
                            link = link_once(playwright, Path(profile), url_of(servers[name]), settle)
                        except Exception as error:
                            link = {"error": f"{type(error).__name__}: {error}".splitlines()[0]}
                    loads[name].setdefault("link", []).append(link)
                    print(f"run {i + 1} {name} training link: {link}", file=sys.stderr, flush=True)
    for server in [*servers.values(), *recording.values()]:
        server.shutdown()

    result = {"runs": runs, "started": started.isoformat(timespec="seconds"),
              "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "uptime_before": load_before, "uptime_after": machine_load(), "sites": {}}
    for target in targets:
        path = sites[target.split("@")[0]]
        result["sites"][target] = {"cold": summarize(loads[target]["cold"]), "warm": summarize(loads[target]["warm"]),
                                   **site_size(path)}
        if target in sites and "link" in loads[target]:
            result["sites"][target]["training_link_step_ms"] = median(
                [load.get("link_step_ms") for load in loads[target]["link"]])
    if "baseline" in sites:
        base = result["sites"]["baseline"]
        result["ratio_to_baseline"] = {
            name: {kind: ratio(site[kind]["interactive_ms"], base[kind]["interactive_ms"]) for kind in ("cold", "warm")}
            for name, site in result["sites"].items() if name != "baseline" and "@" not in name}
        # The same ratio taken within each run (the two loads closest in time), then its median.
        result["ratio_to_baseline_within_runs"] = {
            name: {kind: within_runs(loads[name][kind], loads["baseline"][kind]) for kind in ("cold", "warm")}
            for name in sites if name != "baseline"}
    if engines:
        # Each engine's first answer beside Chromium's on the same site, in the same run.
        result["ratio_to_chromium"] = {
            target: {kind: ratio(result["sites"][target][kind]["interactive_ms"],
                                 result["sites"][target.split("@")[0]][kind]["interactive_ms"])
                     for kind in ("cold", "warm")}
            for target in targets if "@" in target}
        result["ratio_to_chromium_within_runs"] = {
            target: {kind: within_runs(loads[target][kind], loads[target.split("@")[0]][kind])
                     for kind in ("cold", "warm")}
            for target in targets if "@" in target}
    result["each_load"] = loads
    print(json.dumps(result, indent=1))
    print_summary(result)


def print_summary(result: dict) -> None:
    def sec(ms):
        return "-" if ms is None else f"{ms / 1000:.1f}"

    def mb(size):
        return "-" if size is None else f"{size / 1e6:.1f}"

    out = [f"median of {result['runs']} ({result['started']} .. {result['finished']}); "
           f"load: {result['uptime_before'].split('load average:')[-1].strip()} .. "
           f"{result['uptime_after'].split('load average:')[-1].strip()}",
           f"{'site':<12} {'load':<5} {'paint':>6} {'stages (s)':<32} {'rendered':>8} {'interactive':>11} "
           f"{'MB':>6} {'gzip MB':>7} {'files':>5} {'+after MB':>9} {'x base':>6}"]
    for name, site in result["sites"].items():
        for kind in ("cold", "warm"):
            s = site[kind]
            stages = " ".join(f"{stage} {sec(at)}" for stage, at in s["stage_starts_ms"].items())
            x = result.get("ratio_to_baseline", {}).get(name, {}).get(kind)
            out.append(f"{name:<12} {kind:<5} {sec(s['first_paint_ms']):>6} {stages:<32} {sec(s['rendered_ms']):>8} "
                       f"{sec(s['interactive_ms']):>11} {mb(s['bytes']):>6} {mb(s['gzip_bytes']):>7} "
                       f"{s['files'] if s['files'] is not None else '-':>5} "
                       f"{mb(s['bytes_with_precache'] - s['bytes']) if s['bytes'] is not None else '-':>9} "
                       f"{x if x is not None else '':>6}")
            problems = []
            if s["failed_loads"]:
                problems.append(f"{s['failed_loads']} failed loads")
            if s["foreign_requests"]:
                problems.append(f"requests left the origin: {s['foreign_requests']}")
            if s["console_errors"]:
                problems.append(f"console errors: {s['console_errors']}")
            if problems:
                out.append(f"{'':<12} {kind:<5} !! " + "; ".join(problems))
        to_chromium = result.get("ratio_to_chromium_within_runs", {}).get(name)
        if to_chromium:
            out.append(f"{name:<12} x chromium within each run: cold {to_chromium['cold']['each_run']} median "
                       f"{to_chromium['cold']['median']}, warm {to_chromium['warm']['each_run']} "
                       f"median {to_chromium['warm']['median']}")
        within = result.get("ratio_to_baseline_within_runs", {}).get(name)
        if within:
            out.append(f"{name:<12} x base within each run: cold {within['cold']['each_run']} median "
                       f"{within['cold']['median']}, warm {within['warm']['each_run']} "
                       f"median {within['warm']['median']}")
        if "training_link_step_ms" in site:
            out.append(f"{name:<12} training link, cold: first step at {sec(site['training_link_step_ms'])} s")
        out.append(f"{name:<12} site: {site['site_files']} files, {mb(site['site_bytes'])} MB, "
                   f"gzip -6 {mb(site['site_gzip_bytes'])} MB")
    print("\n".join(out), file=sys.stderr)


if __name__ == "__main__":
    main()
