"""Embeds on a course page: the browser's memory for one embed against six, and how fast a waiting embed answers.

    .venv/bin/python bench/embed_bench.py [--runs 3]

The built site (dist/, built by build.py if its sources changed) is served on 127.0.0.1, course pages on
localhost (another origin, as a course platform is). Each run opens, each in a fresh browser profile:
  none  a course page without embeds (what the browser costs by itself);
  one   the README's snippet once (loading="lazy", #chrome=minimal), scrolled to;
  six   the same snippet six times, one per section, scrolled through (a second on each).
Memory: the proportional set size (PSS, Linux /proc/PID/smaps_rollup) of all the browser's processes, once the
page has been quiet for QUIET_S, less `none`'s. Then, on the six-embed page: every embed's first Step, from the
click to the explanation saying "Step 1 of 46" (the first embed started by itself; the five others start
Python from that click), and the memory once all six run (what six embeds cost before they waited).

Prints JSON: the medians, the ratio six/one, every run's numbers. A human summary goes to stderr.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import build  # noqa: E402
from sitebuild.chromium import CHROMIUM, FLAGS  # noqa: E402
from sitebuild.serve import serve_in_thread, url_of  # noqa: E402

TIMEOUT_MS = 300_000
QUIET_S = 4.0
SNIPPET = ('<h2>Section {n}</h2><p>Text of the section.</p><iframe src="{site}#chrome=minimal" width="100%" '
           'height="700" style="border:0" loading="lazy" title="micrograd playground"></iframe>')
UP = "() => document.getElementById('loader')?.style.display === 'none'"


def browser_pss_mb(profile: Path) -> float:
    """PSS of every process of the browser running on `profile`."""
    tag = f"--user-data-dir={profile}".encode()
    total_kb = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if tag in Path(f"/proc/{pid}/cmdline").read_bytes():
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total_kb += int(line.split()[1])
        except OSError:   # the process ended meanwhile
            pass
    return total_kb / 1024


def playground_frames(page, site: str) -> list:
    return [frame for frame in page.frames if frame.url.startswith(site)]


def step_seconds(frame) -> float:
    """From a click on Step to the explanation of step 1 (Bokeh's shadow DOM: Playwright's locators reach in)."""
    explanation = frame.locator(".graph-explain")
    started = time.monotonic()
    frame.locator(".graph-step button").first.click()
    explanation.filter(has_text="Step 1 of 46").wait_for(timeout=TIMEOUT_MS)
    return round(time.monotonic() - started, 2)


def open_course(playwright, course_url: str, count: int, site: str):
    """A fresh browser on a fresh profile with the course page of `count` embeds, scrolled through."""
    profile = Path(tempfile.mkdtemp(prefix="embed-bench-"))
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, args=FLAGS, service_workers="block",
        viewport={"width": 1000, "height": 900})
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{course_url}course-{count}.html")
    for n in range(count):
        page.locator("iframe").nth(n).scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
    if count:   # one embed is up (polled by a timer: a frame out of view gets no animation frames)
        page.wait_for_function("() => document.querySelector('iframe') !== null")
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not any(frame.evaluate(UP) for frame in playground_frames(page, site)):
            if time.monotonic() > deadline:
                raise SystemExit("no embed started by itself")
            page.wait_for_timeout(250)
    return profile, context, page


def quiet_pss(page, profile: Path) -> float:
    page.wait_for_timeout(QUIET_S * 1000)
    return browser_pss_mb(profile)


def one_run(playwright, course_url: str, site: str) -> dict:
    result = {}
    for name, count in (("none", 0), ("one", 1), ("six", 6)):
        profile, context, page = open_course(playwright, course_url, count, site)
        try:
            result[f"{name}_mb"] = round(quiet_pss(page, profile), 1)
            if name == "six":
                frames = playground_frames(page, site)
                result["live_before_clicks"] = sum(
                    frame.evaluate("document.documentElement.dataset.python") == "live" for frame in frames)
                result["first_step_s"] = []
                for frame in frames:
                    frame.frame_element().scroll_into_view_if_needed()
                    result["first_step_s"].append(step_seconds(frame))
                result["six_all_started_mb"] = round(quiet_pss(page, profile), 1)
        finally:
            context.close()
    for name in ("one", "six", "six_all_started"):
        result[f"{name}_added_mb"] = round(result[f"{name}_mb"] - result["none_mb"], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site_dir = build.ensure_built()
    course = Path(tempfile.mkdtemp(prefix="embed-bench-course-"))
    site_server = serve_in_thread(site_dir)
    course_server = serve_in_thread(course)
    site = url_of(site_server)
    for count in (0, 1, 6):
        sections = "".join(SNIPPET.format(n=n + 1, site=site) for n in range(count))
        (course / f"course-{count}.html").write_text(
            f'<!doctype html><title>Course</title><link rel="icon" href="data:,"><h1>Backpropagation</h1>{sections}')
    course_url = url_of(course_server).replace("127.0.0.1", "localhost")
    runs = []
    try:
        with sync_playwright() as playwright:
            for run in range(args.runs):
                runs.append(one_run(playwright, course_url, site))
                print(f"run {run + 1}: {runs[-1]}", file=sys.stderr)
    finally:
        site_server.shutdown()
        course_server.shutdown()
    median = {key: round(statistics.median(run[key] for run in runs), 1)
              for key in ("one_added_mb", "six_added_mb", "six_all_started_added_mb")}
    steps = [seconds for run in runs for seconds in run["first_step_s"]]
    summary = {
        "median": median,
        "six_over_one": round(median["six_added_mb"] / median["one_added_mb"], 2),
        "six_all_started_over_one": round(median["six_all_started_added_mb"] / median["one_added_mb"], 2),
        "first_step_s": {"median": statistics.median(steps), "max": max(steps)},
        "runs": runs,
    }
    print(f"one embed +{median['one_added_mb']:.0f} MB, six +{median['six_added_mb']:.0f} MB "
          f"({summary['six_over_one']}x); all six started +{median['six_all_started_added_mb']:.0f} MB; "
          f"first Step {summary['first_step_s']['median']} s (max {summary['first_step_s']['max']} s)",
          file=sys.stderr)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
