"""The graph view in the built site (Pyodide worker): one page load, the issue's four checks in order."""

import re

from playwright.sync_api import expect

from playground.graph.presets import README_EXAMPLE
from playground.graph.state import make_graph

TIMEOUT = 30_000  # each change goes to the worker's Python and back


def table_rows(page):
    """{label: (op, data, grad)} read from the node table's DOM."""
    rows = {}
    for text in page.locator(".graph-table tbody tr").all_inner_texts():
        label, op, data, grad = text.split("\t")
        rows[label.strip()] = (op.strip(), data.strip(), grad.strip())
    return rows


def draw(page, program):
    editor = page.locator(".graph-program textarea")
    editor.fill(program)
    editor.blur()
    page.locator(".graph-draw button").click()


def test_type_backward_step_edit_and_break(app_page):
    page = app_page.page
    expect(page.locator(".graph-table tbody tr").first).to_be_visible(timeout=TIMEOUT)

    # Another program first, so that typing the README example really redraws.
    draw(page, "x = 1.5\ny = x * 2\n")
    expect(page.locator(".graph-summary")).to_contain_text("Output y = 3.0000", timeout=TIMEOUT)
    draw(page, README_EXAMPLE)
    expect(page.locator(".graph-summary")).to_contain_text("Output g = 24.7041", timeout=TIMEOUT)

    # Backward at once: the table holds micrograd's numbers.
    page.locator(".graph-backward button").click()
    expect(page.locator(".graph-explain")).to_contain_text("Step 46 of 46", timeout=TIMEOUT)
    rows = table_rows(page)
    assert rows["a"][2] == "138.8338" and rows["b"][2] == "645.5773" and rows["g"][1] == "24.7041"

    # Step by step from the start: each step names the edge; a node never receives after it has passed its
    # grad on (reverse topological order), and the table shows each running sum as it arrives.
    page.locator(".graph-reset button").click()
    expect(page.locator(".graph-explain")).to_contain_text("Step 0 of 46")
    assert all(grad == "\u2014" for _, _, grad in table_rows(page).values())
    passed_on, order = set(), []
    for k in range(1, 47):
        page.locator(".graph-step button").click()
        explain = page.locator(".graph-explain")
        expect(explain).to_contain_text(f"Step {k} of 46")
        text = explain.locator("p.chain-rule").inner_text()
        if k == 1:
            assert "starts at the output" in text and table_rows(page)["g"][2] == "1.0000"
            continue
        giver, receiver = re.search(r"flows from (\S+) back to (\S+)\.", text).groups()
        running = re.search(r"= (-?[\d.]+)(?: \(running sum\))?\s*$", text).group(1)
        assert receiver not in passed_on, f"step {k}: {receiver} received after passing its grad on"
        passed_on.add(giver)
        order.append(receiver)
        assert table_rows(page)[receiver][2] == running, text
    assert order.count("a") == 5  # a is used five times, so it visibly receives five contributions
    rows = table_rows(page)
    assert rows["a"][2] == "138.8338" and rows["b"][2] == "645.5773"
    page.locator(".graph-back button").click()
    expect(page.locator(".graph-explain")).to_contain_text("Step 45 of 46")

    # Play runs in the page; with reduced motion it steps without the moving pulse. Pause stops it.
    page.emulate_media(reduced_motion="reduce")
    page.locator(".graph-reset button").click()
    page.locator(".graph-play button").click()
    expect(page.locator(".graph-play button")).to_have_text("Pause")
    expect(page.locator(".graph-explain")).to_contain_text("Step 3 of 46", timeout=TIMEOUT)
    page.locator(".graph-play button").click()
    expect(page.locator(".graph-play button")).to_have_text("Play")
    paused_at = page.locator(".graph-explain p.chain-rule b").inner_text()
    page.wait_for_timeout(1500)
    assert page.locator(".graph-explain p.chain-rule b").inner_text() == paused_at

    # Edit a leaf: the forward value changes.
    expected = make_graph(README_EXAMPLE.replace("a = -4.0", "a = -3.0")).root.data
    leaf = page.locator(".leaf-a input")
    leaf.fill("-3")
    leaf.press("Enter")
    expect(page.locator(".graph-summary")).to_contain_text(f"Output g = {expected:.4f}", timeout=TIMEOUT)
    assert table_rows(page)["g"][1] == f"{expected:.4f}"
    expect(page.locator(".graph-program textarea")).to_have_value(re.compile(r"^a = -3\.0\n"))

    # A syntax error: a message with line and column, and the old graph stays.
    draw(page, "a = 2.0\nb = a +\n")
    expect(page.locator(".graph-error-message")).to_contain_text("line 2, column", timeout=TIMEOUT)
    assert table_rows(page)["g"][1] == f"{expected:.4f}"
    expect(page.locator(".graph-summary")).to_contain_text(f"Output g = {expected:.4f}")

    app_page.assert_clean()
