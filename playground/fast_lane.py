"""Clicks that must not wait in line.

The page sends Python its events one patch at a time, in order (sitebuild/templates/send_in_order.js). While
the training view plays, the page's receipts for the heatmap's frames are in that line too, and a Pause click
waited behind them: ~0.3 s on a quiet machine (issue 19 asks for 0.2). A button registered here also posts its
click straight to the worker (an "action" message, templates/worker.js), which runs the action between two
training ticks; the click's own event follows in order and finds nothing left to do, so an action must be
idempotent (pausing a paused run does nothing). Outside the browser's worker the page's message goes nowhere
and the normal click does the work.
"""
import json

ACTIONS = {}


def register(name, action, button):
    """Run action() when `button` is clicked, also by the fast lane."""
    ACTIONS[name] = action
    button.js_on_click(code=f"window.earlyWorker?.postMessage({{type: 'action', name: {json.dumps(name)}}})")


def run(name):
    """Called by the worker with the name the page posted: an unknown name does nothing."""
    action = ACTIONS.get(name)
    if action is not None:
        action()
