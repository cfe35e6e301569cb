"""Training-view benchmark: heatmap redraws per second while training, and how fast Pause answers.

    .venv/bin/python bench/training_bench.py [--runs 5] [--play-seconds 6] [--site DIR] [--no-baseline]

Serves the built site (dist/, built if needed; or --site, a site built elsewhere, used as is) and the
baseline (a plain `panel convert` build of the same app, bench/baseline_site.py; --no-baseline leaves it out),
loads each once in a headless Chromium of its own, opens the training view with its default settings, then
per run, interleaved (run i: ours, then the baseline):
Reset, Play for --play-seconds, Pause. Everything is measured in the page, by a requestAnimationFrame loop:

  redraws_per_s    how often the heatmap's data changed in the page's Bokeh document (a new image arrived;
                   Bokeh repaints the plot on each), from 1 s after Play until Pause
  steps_per_s      the step counter's rise over the same window
  pause_ms         from the Pause click until the step counter stopped changing (its last change)
  button_ms        from the Pause click until the buttons say paused (the worker took the click)
  full_accuracy_ms from the Play click until the training accuracy first reads 100.0 %
  patches_per_s, patch_kb_per_s   messages from the worker to the page and their size (JSON + buffers)
  main_busy        share of the window the page's main thread spent in long tasks (> 50 ms)
  worker_cpu_share, steps_per_worker_cpu_s   CPU seconds the Python worker got per second, and steps per CPU
                   second of it: on a loaded machine, what the worker makes of the CPU it gets
  main_cpu_ms_per_redraw, worker_cpu_ms_per_redraw, renderer_cpu_ms_per_redraw   CPU time of the page's
                   main thread, of its Python worker thread, and of all the renderer's threads over the window,
                   per heatmap redraw (from /proc: unlike the rates, it hardly depends on how busy the machine is)

Before those runs, per run, interleaved, each in a fresh browser context (a first visit), the two first contacts:

  tab_ready_ms     the page open and quiet for IDLE_S (a student reading the graph view): from the click on the
                   Training tab until Play, clicked as soon as it can be, has trained (the step counter moved)
  link_step_ms     a link that opens the training view (`#view=training`): from the navigation's start until Play,
                   clicked as soon as it can be, has trained

Then, once (--no-memory skips it), whether a long visit grows: Play to 1,000 steps and make 100 graph edits
(each a new program for the graph view's state, set in the worker's Python, whose views redraw in the page),
measure; Play on to 10,000 steps and make 900 more edits, measure again:

  worker_heap_mb      Pyodide's wasm memory (it only grows: the worker's high-water mark)
  python_tracked_mb   the size of the objects the worker's garbage collector tracks (sys.getsizeof, after a gc;
                      Pyodide's sys.getallocatedblocks says 0)
  python_objects      how many they are
  page_js_heap_mb     the page's JavaScript heap in use (Chromium's, after a garbage collection)
  curve_rows_page     rows in the page's loss/accuracy curves
  growth              each figure after 10,000 steps and 1,000 edits over after the first 1,000 and 100 edits

Prints JSON: ours's medians over the runs, every run's numbers, the memory figures, the same for the baseline
(`baseline`), ours over the baseline for steps/s, redraws/s and Pause (`ratio_to_baseline`), and the machine's
load (from `uptime`) before and after: this machine is shared, so compare ratios measured in one run.
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

import build  # noqa: E402
from bench import baseline_site  # noqa: E402
from sitebuild import chromium  # noqa: E402
from sitebuild.serve import serve_in_thread, url_of  # noqa: E402

LOAD_TIMEOUT_MS = 300_000
SETTLE_S = 2.0  # Pause has taken effect once the step counter stayed put this long

# Before the page's scripts run: count the worker's messages to the page, long tasks, and clicks.
INIT_SCRIPT = """
window.__bench = {patches: 0, patch_bytes: 0, long_ms: 0, clicks: [], kinds: {}};
const NativeWorker = window.Worker;
window.Worker = function (...args) {
  const worker = new NativeWorker(...args);
  worker.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg && msg.type === 'patch') {
      window.__bench.patches += 1;
      let bytes = 0;
      try { bytes += JSON.stringify(msg.patch).length; } catch (e) {}
      for (const e of (msg.patch.events || [])) {
        const what = e.kind + ':' + (e.attr || e.column_source && 'source' || '');
        window.__bench.kinds[what] = (window.__bench.kinds[what] || 0) + 1;
      }
      if (msg.buffers) for (const buffer of msg.buffers.values()) bytes += buffer.byteLength || 0;
      window.__bench.patch_bytes += bytes;
    }
  });
  return worker;
};
window.Worker.prototype = NativeWorker.prototype;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__bench.long_ms += entry.duration;
}).observe({entryTypes: ['longtask']});
document.addEventListener('click', () => window.__bench.clicks.push(performance.now()), true);
"""

# Once the training view is there: a requestAnimationFrame loop that records, with timestamps, every change
# of the heatmap's data, of the step counter and of the accuracy (they sit in Bokeh's shadow roots).
WATCH = """() => {
  const B = window.__bench;
  B.frames = []; B.steps = []; B.accuracy = []; B.play_label = [];
  const find = (root, selector) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const inner = find(el.shadowRoot, selector); if (inner) return inner; }
    }
    return null;
  };
  let heatmap = null, last_data = null, last_image = null, last_steps = null, last_accuracy = null, last_label = null;
  // The search through every shadow root is slow: remember the element's root, search again only when lost.
  const roots = {};
  const element = (selector) => {
    let hit = roots[selector] && roots[selector].querySelector(selector);
    if (!hit) {
      hit = find(document, selector);
      roots[selector] = hit ? hit.getRootNode() : null;
    }
    return hit;
  };
  const text = (selector) => { const el = element(selector); return el ? el.textContent : null; };
  const loop = () => {
    const now = performance.now();
    heatmap = heatmap || Bokeh.documents.at(-1).get_model_by_name('heatmap');
    if (heatmap) {
      const data = heatmap.data_source.data;
      const image = data.image ? data.image[0] : null;
      if (data !== last_data || image !== last_image) {
        if (last_data !== null) B.frames.push(now);
        last_data = data; last_image = image;
      }
    }
    const steps = text('.train-step-count');
    if (steps !== last_steps) { B.steps.push([now, steps]); last_steps = steps; }
    const accuracy = text('.train-accuracy');
    if (accuracy !== last_accuracy) { B.accuracy.push([now, accuracy]); last_accuracy = accuracy; }
    // Paused: a Pause button that is disabled (or, in older builds, the one Play/Pause toggle says Play).
    const button = (selector) => {
      const host = element(selector);
      return host && (host.shadowRoot || host).querySelector('button');
    };
    const pause = button('.train-pause'), play = button('.train-play');
    const label = pause ? (pause.disabled ? 'paused' : 'playing')
                        : (play ? (play.textContent.includes('Play') ? 'paused' : 'playing') : null);
    if (label !== last_label) { B.play_label.push([now, label]); last_label = label; }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}"""

COUNTERS = "() => ({now: performance.now(), patches: window.__bench.patches, " \
           "patch_bytes: window.__bench.patch_bytes, long_ms: window.__bench.long_ms})"


def renderer_cpu_seconds():
    """CPU seconds so far of the threads of this script's Chromium renderers, by thread name (Linux /proc):
    "main" for a renderer's main thread (the page's), DedicatedWorker for the Python worker."""
    parents = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                parents[int(pid)] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            pass

    def mine(pid):
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parents.get(pid, 0)
        return False

    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in parents:
        try:
            if not mine(pid) or b"--type=renderer" not in open(f"/proc/{pid}/cmdline", "rb").read():
                continue
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/stat") as stat:
                    text = stat.read()
                name = "main" if tid == str(pid) else text[text.index("(") + 1:text.rindex(")")]
                fields = text.rsplit(")", 1)[1].split()
                seconds[name] = seconds.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, ValueError):
            pass
    return seconds


def open_training_view(page, url):
    page.goto(url)
    page.wait_for_function("document.getElementById('loader').style.display === 'none'"
                           " || document.getElementById('loader-error').textContent !== ''",
                           timeout=LOAD_TIMEOUT_MS)
    error = page.locator("#loader-error").text_content()
    if error:
        raise RuntimeError(error)
    tab = page.locator(".bk-tab", has_text="Training")   # the views' tabs (no tabs: the view is on the page)
    if tab.count():
        tab.first.click()
    page.locator(".training-view").first.wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    page.locator(".train-step-count").wait_for(timeout=LOAD_TIMEOUT_MS)
    page.locator(".training-view").first.scroll_into_view_if_needed()
    page.evaluate(WATCH)


def one_run(page, play_seconds):
    steps = page.locator(".train-step-count")
    page.locator(".train-reset button").click()
    page.wait_for_function("() => { const s = window.__bench.steps; return s.length && s.at(-1)[1] === '0'; }",
                           timeout=60_000)
    time.sleep(1.0)
    play = page.locator(".train-play button")
    pause = page.locator(".train-pause button")
    if not pause.count():
        pause = play   # builds before the Pause button: one Play/Pause toggle
    play.click()
    play_at = page.evaluate("window.__bench.clicks.at(-1)")
    time.sleep(1.0)
    start, cpu_start = page.evaluate(COUNTERS), renderer_cpu_seconds()
    time.sleep(play_seconds - 1.0)
    end, cpu_end = page.evaluate(COUNTERS), renderer_cpu_seconds()
    pause.click()
    pause_at = page.evaluate("window.__bench.clicks.at(-1)")
    # Wait until the counter has stayed put for SETTLE_S (a minute at most).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        last_change = page.evaluate("window.__bench.steps.at(-1)[0]")
        if page.evaluate("performance.now()") - max(last_change, pause_at) > SETTLE_S * 1000:
            break
        time.sleep(0.1)
    record = page.evaluate("({frames: window.__bench.frames, steps: window.__bench.steps, "
                           "accuracy: window.__bench.accuracy, label: window.__bench.play_label})")
    window = (start["now"], end["now"])
    seconds = (window[1] - window[0]) / 1000

    def steps_at(t):
        shown = [int(s) for at, s in record["steps"] if at <= t and s and s.isdigit()]
        return shown[-1] if shown else 0

    frames = [t for t in record["frames"] if window[0] <= t <= window[1]]

    def cpu_seconds(thread):
        return sum(cpu_end.get(name, 0) - cpu_start.get(name, 0) for name in cpu_end if name.startswith(thread))

    def cpu_ms_per_redraw(thread):
        used = sum(cpu_end.get(name, 0) - cpu_start.get(name, 0) for name in cpu_end if name.startswith(thread))
        return round(1000 * used / len(frames), 1) if frames else None

    step_changes = [at for at, s in record["steps"] if at > pause_at]
    labels = [at for at, text in record["label"] if at > pause_at and text == "paused"]
    full = [at for at, text in record["accuracy"] if at > play_at and text and text.startswith("100.0")]
    return {
        "redraws_per_s": round(len(frames) / seconds, 2),
        "steps_per_s": round((steps_at(window[1]) - steps_at(window[0])) / seconds, 1),
        "pause_ms": round(step_changes[-1] - pause_at) if step_changes else 0,
        "button_ms": round(labels[0] - pause_at) if labels else None,
        "full_accuracy_ms": round(full[0] - play_at) if full else None,
        "patches_per_s": round((end["patches"] - start["patches"]) / seconds, 1),
        "patch_kb_per_s": round((end["patch_bytes"] - start["patch_bytes"]) / seconds / 1024, 1),
        "main_busy": round((end["long_ms"] - start["long_ms"]) / 1000 / seconds, 2),
        "main_cpu_ms_per_redraw": cpu_ms_per_redraw("main"),
        "worker_cpu_ms_per_redraw": cpu_ms_per_redraw("DedicatedWorker"),
        "renderer_cpu_ms_per_redraw": cpu_ms_per_redraw(""),
        "steps_at_pause": steps_at(pause_at),
        # what the worker made of the CPU it got (a loaded machine gives it less): steps per CPU second
        "worker_cpu_share": round(cpu_seconds("DedicatedWorker") / seconds, 2),
        "steps_per_worker_cpu_s": (round((steps_at(window[1]) - steps_at(window[0])) / cpu_seconds("DedicatedWorker"))
                                   if cpu_seconds("DedicatedWorker") else None),
    }


# In the worker: its memory, from Pyodide and from Python (self.pyodide is the worker's Pyodide).
WORKER_MEMORY = """() => {
  const py = self.pyodide;
  const counts = py.runPython(`
import gc, sys
gc.collect()
[sum(map(sys.getsizeof, gc.get_objects())) / 2 ** 20, len(gc.get_objects())]
`).toJs();
  return {worker_heap_mb: py._module.HEAP8.length / 2 ** 20, python_tracked_mb: counts[0],
          python_objects: counts[1]};
}"""
# In the worker: `count` graph edits from number `start` on, each a new program for the graph view's state (the
# app's `graph_state`), so its views rebuild and redraw in the page as after a typed program.
GRAPH_EDITS = """(programs) => {
  self.pyodide.globals.set('edit_programs', programs);
  self.pyodide.runPython(`
for text in edit_programs:
    graph_state.program = str(text)
del edit_programs
`);
  return self.pyodide.runPython('graph_state.error');
}"""


def edit_program(k):
    """The k-th graph edit's program: two shapes of graph, new numbers each time."""
    tail = "c = a*b + b**2\nL = tanh(c)" if k % 2 else "c = relu(a + b)\nL = c * a"
    return f"a = {k % 97 / 10}\nb = {-(k % 13) / 4}\n{tail}"


CURVE_ROWS = "() => Bokeh.documents.at(-1).get_model_by_name('loss_curve').renderers[0].data_source.data.step.length"


def play_until(page, steps):
    """Play until the step counter reaches `steps`, then Pause and wait for the counter to stop."""
    page.locator(".train-play button").click()
    page.wait_for_function(f"() => parseInt(window.__bench.steps.at(-1)[1]) >= {steps}", timeout=600_000, polling=200)
    page.locator(".train-pause button").click()
    page.wait_for_function("() => window.__bench.play_label.at(-1)[1] === 'paused'", timeout=60_000)
    time.sleep(SETTLE_S)


def graph_edits(page, start, count, per_call=10):
    worker = page.workers[0]
    for first in range(start, start + count, per_call):
        error = worker.evaluate(GRAPH_EDITS, [edit_program(k) for k in range(first, min(first + per_call,
                                                                                       start + count))])
        if error:
            raise RuntimeError(f"graph edit refused: {error}")
        time.sleep(0.05)   # the page takes the patches in
    time.sleep(SETTLE_S)


def memory(page, cdp):
    cdp.send("HeapProfiler.collectGarbage")
    figures = page.workers[0].evaluate(WORKER_MEMORY)
    figures["page_js_heap_mb"] = cdp.send("Runtime.getHeapUsage")["usedSize"] / 2 ** 20
    figures["curve_rows_page"] = page.evaluate(CURVE_ROWS)
    figures["steps"] = int(page.evaluate("window.__bench.steps.at(-1)[1]"))
    return {key: round(value, 2) if isinstance(value, float) else value for key, value in figures.items()}


def long_visit(page):
    """Memory after 1,000 steps and 100 edits, then after 10,000 steps and 1,000 edits (a fresh run)."""
    cdp = page.context.new_cdp_session(page)
    page.locator(".train-reset button").click()
    page.wait_for_function("() => { const s = window.__bench.steps; return s.length && s.at(-1)[1] === '0'; }",
                           timeout=60_000)
    play_until(page, 1_000)
    graph_edits(page, 0, 100)
    first = memory(page, cdp)
    print(f"after the first 1,000 steps and 100 edits: {first}", file=sys.stderr, flush=True)
    play_until(page, 10_000)
    graph_edits(page, 100, 900)
    last = memory(page, cdp)
    print(f"after 10,000 steps and 1,000 edits: {last}", file=sys.stderr, flush=True)
    growth = {key: round(last[key] / first[key] - 1, 3) for key in first if key not in ("steps",) and first[key]}
    return {"after_1000_steps_100_edits": first, "after_10000_steps_1000_edits": last, "growth": growth}


IDLE_S = 6.0   # how long a student reads the graph view before clicking the Training tab
# Play's button enabled, on screen, and the step counter shown
PLAY_READY = """() => {
  const find = (root, selector) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const inner = find(el.shadowRoot, selector); if (inner) return inner; }
    }
    return null;
  };
  const host = find(document, '.train-play');
  const button = host && (host.shadowRoot || host).querySelector('button');
  if (!button || button.disabled || !find(document, '.train-step-count')) return false;
  const box = button.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(button).visibility !== 'hidden';
}"""


def play_trains(page, timeout_ms=120_000):
    """Click Play as soon as it is there, wait until the step counter moved; returns when (performance.now())."""
    page.wait_for_function(PLAY_READY, timeout=timeout_ms, polling=10)
    page.locator(".train-play button").click()
    expect(page.locator(".train-step-count")).not_to_have_text("0", timeout=timeout_ms)
    return page.evaluate("performance.now()")


def first_contacts(browser, url):
    """tab_ready_ms and link_step_ms of one run, each in a fresh context (see the module's docstring)."""
    figures = {}
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("document.getElementById('loader').style.display === 'none'", timeout=LOAD_TIMEOUT_MS)
        time.sleep(IDLE_S)
        clicked = page.evaluate("performance.now()")
        page.locator(".bk-tab", has_text="Training").first.click()
        figures["tab_ready_ms"] = round(play_trains(page) - clicked)
    finally:
        context.close()
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url + "#view=training")
        figures["link_step_ms"] = round(play_trains(page))   # performance.now() counts from the navigation's start
    finally:
        context.close()
    return figures


def median(runs, key):
    values = [run[key] for run in runs if run[key] is not None]
    return statistics.median(values) if values else None


def open_site(playwright, url):
    """A browser of its own with the site's training view open (service workers off: the page's own loads)."""
    browser = chromium.launch(playwright)
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    loaded = time.monotonic()
    open_training_view(page, url)
    return browser, page, time.monotonic() - loaded


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--play-seconds", type=float, default=6.0)
    parser.add_argument("--site", type=Path, help="a built site to serve as is (default: dist/, built if needed)")
    parser.add_argument("--no-baseline", action="store_true", help="do not build and measure the baseline")
    parser.add_argument("--no-memory", action="store_true", help="skip the long visit's memory figures")
    parser.add_argument("--no-first-contact", action="store_true",
                        help="skip the Training tab's and the training link's first step")
    parser.add_argument("--no-play", action="store_true", help="only the first contacts: no Play runs")
    args = parser.parse_args()
    load_before = os.getloadavg()

    sites = {"ours": args.site or build.ensure_built()}
    if not args.no_baseline:
        sites["baseline"] = baseline_site.ensure_built()
    servers = {name: serve_in_thread(path) for name, path in sites.items()}
    result = {name: {"runs": []} for name in sites}
    with sync_playwright() as playwright:
        if not args.no_first_contact:
            browser = chromium.launch(playwright)
            for run in range(args.runs):
                for name, server in servers.items():
                    result[name].setdefault("first_contact", []).append(first_contacts(browser, url_of(server)))
                    print(f"run {run + 1} {name}: {result[name]['first_contact'][-1]}", file=sys.stderr, flush=True)
            browser.close()
        opened = {}
        for name, server in ({} if args.no_play else servers).items():
            browser, page, seconds = open_site(playwright, url_of(server))
            opened[name] = (browser, page)
            print(f"{name}: training view open after {seconds:.1f} s", file=sys.stderr, flush=True)
        # Interleaved, so that the machine's load hits the sites alike; the site not measured stays paused.
        for run in range(0 if args.no_play else args.runs):
            for name, (_, page) in opened.items():
                result[name]["runs"].append(one_run(page, args.play_seconds))
                print(f"run {run + 1} {name}: {result[name]['runs'][-1]}", file=sys.stderr, flush=True)
        for name, (browser, page) in opened.items():
            result[name]["patch_events"] = page.evaluate("window.__bench.kinds")
            result[name]["long_visit"] = None if args.no_memory else long_visit(page)
            browser.close()
    for server in servers.values():
        server.shutdown()
    for figures in result.values():
        keys = list(figures["runs"][0]) if figures["runs"] else []
        figures["median"] = {key: median(figures["runs"], key) for key in keys}
        contacts = figures.get("first_contact", [])
        figures["median"].update({key: median(contacts, key) for key in (contacts[0] if contacts else {})})
    ours = result["ours"]
    output = {"load_before": load_before, "load_after": os.getloadavg(), "runs": args.runs,
              "play_seconds": args.play_seconds, "long_visit": ours.get("long_visit"), "median": ours["median"],
              "each_run": ours["runs"], "first_contact": ours.get("first_contact"),
              # what the worker's patches carried over the whole run (event kind: count)
              "patch_events": ours.get("patch_events")}
    if "baseline" in result:
        base = result["baseline"]
        output["baseline"] = {"median": base["median"], "each_run": base["runs"], "long_visit": base.get("long_visit"),
                              "first_contact": base.get("first_contact")}
        output["ratio_to_baseline"] = {key: round(ours["median"][key] / base["median"][key], 2)
                                       for key in ("steps_per_s", "redraws_per_s", "pause_ms", "tab_ready_ms",
                                                   "link_step_ms")
                                       if ours["median"].get(key) and base["median"].get(key)}
    print(json.dumps(output, indent=1))
    for name, figures in result.items():
        m = figures["median"]
        print(f"{name:<9} median of {args.runs}: " + ", ".join(f"{key} {value}" for key, value in m.items()),
              file=sys.stderr)


if __name__ == "__main__":
    main()
