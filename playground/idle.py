"""Work the page will need soon, done while it is idle, in small pieces.

A piece is a step of a generator registered with add(); run() (called by the site's worker once the page has
been quiet and the later files are in: sitebuild/templates/worker.js) runs one step, then lets the page's
messages in (an asyncio sleep: the worker takes a message between two tasks) before the next. A student's
click therefore waits for one piece at most, never for the whole of the work. Under `panel serve`, or a start
from scratch, nothing calls run(): the work is then done when it is first needed, as before.
"""
import asyncio

PAUSE_S = 0.02   # between two pieces: the page's messages come first
_work = []       # generator functions, in the order they run
_started = False


def add(work):
    """Register `work`, a generator function: each `yield` ends a piece."""
    _work.append(work)


def run():
    """Start the registered work in the background (once)."""
    global _started
    if _started:
        return
    _started = True
    asyncio.ensure_future(_run())


async def _run():
    for work in _work:
        for _ in work():
            await asyncio.sleep(PAUSE_S)
