"""The headless Chromium every part of the project drives: the build (the start-up snapshot),
the browser tests and the benchmarks. Debian's chromium, never a downloaded one."""
CHROMIUM = "/usr/bin/chromium"
# What works headless on a machine without GPU or sandbox, and keeps Chromium from reaching
# the network on its own (updates, sync): every request a page makes is the page's.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def launch(playwright, **options):
    """Chromium through a running `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS, **options)
