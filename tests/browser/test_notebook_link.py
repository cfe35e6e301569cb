"""A link made in a notebook (engine.playground_link) opens the same graph in the built page."""
from playwright.sync_api import expect

from engine import OPS, Value, fresh_backward, playground_link, trace
from engine.program import program_from_value
from tests.conftest import AppPage
from tests.browser.test_graph_view import TIMEOUT, table_rows


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
    app.assert_clean()
