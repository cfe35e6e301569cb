"""A link made in a notebook (engine.playground_link) opens the same graph in the built page, and a link of an
MLP with its points opens the training view with that network on those points (same accuracy)."""
import math
import random

from playwright.sync_api import expect

from engine import OPS, Value, fresh_backward, playground_link, trace
from engine.nn import MLP
from engine.program import program_from_value
from tests.conftest import AppPage
from tests.browser.test_graph_view import TIMEOUT, table_rows

BUILD_TIMEOUT = 150_000


def lecture_neuron():
    """micrograd's lecture neuron, every node named as a notebook would name it."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def test_a_notebook_link_opens_the_same_graph(watched_context, site_url):
    root = lecture_neuron()
    fresh_backward(root)
    link = playground_link(root, base_url=site_url, title="From a notebook")
    app = AppPage(watched_context.new_page(), site_url, watched_context.records).open(link[len(site_url):])
    page = app.page
    nodes = trace(root)["nodes"]

    expect(page.locator(".graph-program textarea")).to_have_value(program_from_value(root), timeout=TIMEOUT)
    expect(page.locator(".graph-table tbody tr")).to_have_count(len(nodes), timeout=TIMEOUT)
    expect(page.locator(".graph-summary")).to_contain_text(f"Output o = {root.data:.4f}")
    page.locator(".graph-backward button").click()
    expect(page.locator(".graph-explain")).to_contain_text("Step 10 of 10", timeout=TIMEOUT)
    rows = table_rows(page)
    assert rows == {n["label"]: (OPS[n["op"]].label(n["exponent"]) if n["op"] else "leaf", f"{n['data']:.4f}",
                                 f"{n['grad']:.4f}") for n in nodes}
    assert rows["o"] == ("tanh", "0.7071", "1.0000") and rows["x1"][2] == "-1.5000"   # micrograd's lecture numbers

    # An MLP made in the notebook, with its points: pasted into the open page's address bar (a hash change).
    model = MLP(2, [4, 3, 1], activation="tanh", rng=random.Random(5))
    points = [(math.cos(k), math.sin(2 * k)) for k in range(30)]
    labels = [1 if x1 * x2 > 0 else -1 for x1, x2 in points]
    scores = [model(list(map(Value, p))).data for p in points]
    accuracy = sum((s > 0) == (y > 0) for s, y in zip(scores, labels)) / len(points)
    assert 0 < accuracy < 1   # the check below can tell a wrong network from the right one
    mlp_link = playground_link(model=model, points=points, labels=labels, base_url=site_url)
    page.evaluate("(fragment) => { location.hash = fragment; }", mlp_link[len(site_url):])
    # The training view is built on the first visit (in the worker): on a busy machine that takes a while.
    expect(page.locator(".train-hidden input")).to_have_value("4, 3", timeout=BUILD_TIMEOUT)
    expect(page.locator(".train-accuracy")).to_have_text(f"{100 * accuracy:.1f} %", timeout=TIMEOUT)
    expect(page.locator(".train-step-count")).to_have_text("0")
    app.assert_clean()
