"""The graph view in the built site (Pyodide worker).

test_type_backward_step_edit_and_break: one page load, the issue's four checks in order.
test_300_nodes_stay_legible_and_the_table_sits_beside_the_plot: the ~300-node preset measured on screen (box
distances, text sizes and widths as the browser measures them, no overlapping labels), the table beside the
plot on a wide page and below it on a narrow one, its sticky header, and the view in a 480 x 360 frame.
test_topo_numbers_on_the_boxes_in_the_table_and_backward_runs_them_in_reverse: the topo[i] tags and the table's
topo column are engine.build_topo's order; stepping backward names the running node's number, going down;
the build_topo mode numbers the boxes in the order of the engine's recorded sort.
"""

import re

import pytest
from playwright.sync_api import expect

import engine
from engine import lesson as engine_lesson
from playground.graph.presets import README_EXAMPLE
from playground.graph.state import make_graph
from playground.graph.drawing import BOX_HEIGHT, BOX_WIDTH, MIN_TEXT_PX, READABLE_ZOOM
from tests.conftest import AppPage

TIMEOUT = 30_000  # each change goes to the worker's Python and back


def table_rows(page):
    """{label: (op, data, grad)} read from the node table's DOM (its topo column: topo_column)."""
    rows = {}
    for text in page.locator(".graph-table tbody tr").all_inner_texts():
        label, op, data, grad, _topo, _inputs = text.split("\t")
        rows[label.strip()] = (op.strip(), data.strip(), grad.strip())
    return rows


def draw(page, program):
    editor = page.locator(".graph-program textarea")
    editor.fill(program)
    editor.blur()
    page.locator(".graph-draw button").click()


def test_type_backward_step_edit_and_break(app_page):
    page = app_page.page
    app_page.show_view("graph")
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
    # No grad yet ("—"); constants (numbers written in an expression) never get one ("").
    assert all(grad == ("" if op == "constant" else "\u2014") for op, _, grad in table_rows(page).values())
    passed_on, order = set(), []
    for k in range(1, 47):
        page.locator(".graph-step button").click()
        explain = page.locator(".graph-explain")
        expect(explain).to_contain_text(f"Step {k} of 46")
        text = explain.locator("p.chain-rule").inner_text()
        if k == 1:
            assert "starts at the output" in text and table_rows(page)["g"][2] == "1.0000"
            continue
        giver, receiver, constant = re.search(
            r"flows from (\S+) back to (\S+?)( \(\S+ is a constant: its grad is worked out, never used\))?\.\n",
            text).groups()
        running = re.search(r"= (-?[\d.]+)(?: \(running sum\))?\s*$", text).group(1)
        assert receiver not in passed_on, f"step {k}: {receiver} received after passing its grad on"
        passed_on.add(giver)
        order.append(receiver)
        assert table_rows(page)[receiver][2] == ("" if constant else running), text   # a constant shows none
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


BIG_PRESET = "2-8-8-1 MLP: one sample and its loss (~300 nodes)"

# What the graph plot shows, read from its Bokeh models in the page: the frame, the zoom on each axis, and
# every value node whose box lies in the frame, with its texts as drawn (font size, visible, width measured
# by the browser's own canvas text metrics).
FIND_PLOT = """
  // The graph plot with n value nodes (the page may hold an older document from before Python answered).
  const plot = Bokeh.documents.flatMap((doc) => [...doc.all_models]).filter((m) =>
    m.x_range && (m.css_classes || []).includes("graph-plot") &&
    m.renderers.some((r) => (r.data_source.data.short_name || []).length === n)).pop();
"""
ON_SCREEN = """([box, n]) => {""" + FIND_PLOT + """
  const [x0, x1, y0, y1] = [plot.x_range.start, plot.x_range.end, plot.y_range.start, plot.y_range.end];
  const sx = plot.inner_width / (x1 - x0), sy = plot.inner_height / (y1 - y0);
  const texts = plot.renderers.filter((r) => r.glyph.type === "Text" || r.glyph.constructor.name === "Text");
  const value = (v) => (v != null && typeof v === "object" && "value" in v) ? v.value : v;
  const field = (r) => { const t = r.glyph.text; return t && typeof t === "object" ? t.field : t; };
  const V = texts.find((r) => field(r) === "short_name").data_source.data;
  const ctx = document.createElement("canvas").getContext("2d");
  const nodes = [];
  for (let i = 0; i < V.x.length; i++) {
    const left = (V.x[i] - box[0] / 2 - x0) * sx, right = (V.x[i] + box[0] / 2 - x0) * sx;
    const top = (y1 - V.y[i] - box[1] / 2) * sy, bottom = (y1 - V.y[i] + box[1] / 2) * sy;
    if (left < 0 || top < 0 || right > plot.inner_width || bottom > plot.inner_height) continue;
    const lines = texts.filter((r) => r.data_source === texts[0].data_source).map((r) => {
      const g = r.glyph, size = parseFloat(value(g.text_font_size));
      ctx.font = `${value(g.text_font_style) || "normal"} ${size}px ${value(g.text_font) || "helvetica"}`;
      const text = String(V[field(r)][i]);
      const width = ctx.measureText(text).width;
      if (field(r) === "topo_text") {  // the topo tag: left-aligned at its own place, with its padding
        const tx = (V.tag_x[i] - x0) * sx, ty = (y1 - V.tag_y[i]) * sy, pad = value(g.padding) || 0;
        return {text, size, visible: r.visible, width, tag: true, x0: tx - pad, x1: tx + width + pad,
                y0: ty - size / 2 - pad, y1: ty + size / 2 + pad};
      }
      const cy = (top + bottom) / 2 + (value(g.y_offset) || 0);
      return {text, size, visible: r.visible, width, x0: (left + right) / 2 - width / 2,
              x1: (left + right) / 2 + width / 2, y0: cy - size / 2, y1: cy + size / 2};
    });
    nodes.push({name: V.name[i], topo: V.topo[i], left, right, top, bottom, lines});
  }
  return {width: plot.inner_width, height: plot.inner_height, sx, sy, nodes,
          all_inside: V.x.every((x, i) => x > x0 && x < x1 && V.y[i] > y0 && V.y[i] < y1)};
}"""


# Pan (same zoom) so the middle of the graph, where its columns are fullest, fills the frame.
PAN_TO_MIDDLE = """(n) => {""" + FIND_PLOT + """
  const V = plot.renderers.find((r) => r.data_source.data.short_name !== undefined).data_source.data;
  const mid = (a) => (Math.min(...a) + Math.max(...a)) / 2;
  const w = (plot.x_range.end - plot.x_range.start) / 2, h = (plot.y_range.end - plot.y_range.start) / 2;
  plot.y_range.setv({start: mid(V.y) - h, end: mid(V.y) + h});
  plot.x_range.setv({start: mid(V.x) - w, end: mid(V.x) + w});
}"""


def on_screen(page, n=305):
    return page.evaluate(ON_SCREEN, [[BOX_WIDTH, BOX_HEIGHT], n])


def on_screen_when(page, ready, n=305, timeout_s=20):
    """on_screen() once ready(view) holds: the page frames a new graph when Python's request arrives."""
    for _ in range(timeout_s * 5):
        view = on_screen(page, n)
        if ready(view):
            return view
        page.wait_for_timeout(200)
    raise AssertionError(f"the plot never showed what was expected: zoom {view['sx']:.3f}, "
                         f"{[n['name'] for n in view['nodes']]}")


def middle_on_screen(page, n=305):
    page.evaluate(PAN_TO_MIDDLE, n)
    page.wait_for_timeout(300)
    return on_screen(page, n)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def assert_legible(view):
    """Boxes apart, text readable, inside its box, and no two lines of text overlapping (screen pixels)."""
    nodes = view["nodes"]
    assert len(nodes) >= 2, "whole nodes in view"
    closest = min(max(b["left"] - a["right"], a["left"] - b["right"], b["top"] - a["bottom"], a["top"] - b["bottom"])
                  for i, a in enumerate(nodes) for b in nodes[i + 1:])
    assert closest >= 9, f"two boxes only {closest:.1f} px apart"
    lines = [dict(line, node=n["name"]) for n in nodes for line in n["lines"] if line["visible"]]
    # name, data, grad and the topo tag (topo[i]) on the box's top-left corner
    assert {len([1 for line in n["lines"] if line["visible"]]) for n in nodes} == {4}
    assert min(line["size"] for line in lines) >= MIN_TEXT_PX
    for n in nodes:
        for line in n["lines"]:
            assert n["left"] <= line["x0"] and line["x1"] <= n["right"], (n["name"], line["text"], line["width"])
            if line.get("tag"):
                assert line["y0"] < n["top"] < line["y1"], (n["name"], line["text"])   # on the top edge
    overlaps = [(a["node"], a["text"], b["node"], b["text"]) for i, a in enumerate(lines) for b in lines[i + 1:]
                if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]]
    assert overlaps == []
    return closest


def test_300_nodes_stay_legible_and_the_table_sits_beside_the_plot(app_page, watched_context, site_url):
    page = app_page.page
    page.set_viewport_size({"width": 1800, "height": 1000})
    app_page.show_view("graph")
    small_height = box(page, ".graph-plot")["height"]
    page.locator(".graph-view select").first.select_option(BIG_PRESET)
    expect(page.locator(".graph-summary")).to_contain_text("305 nodes", timeout=TIMEOUT)
    expect(page.locator(".graph-table tbody tr")).to_have_count(305, timeout=TIMEOUT)

    # The plot grew for the taller graph; it opens at a readable zoom on the output, the same on both axes.
    view = on_screen_when(page, lambda v: "loss" in {n["name"] for n in v["nodes"]})
    plot = box(page, ".graph-plot")
    assert plot["height"] > small_height
    assert view["sx"] == pytest.approx(READABLE_ZOOM, rel=0.02) and view["sy"] == pytest.approx(view["sx"], rel=0.02)
    assert_legible(view)
    middle = middle_on_screen(page)  # where the columns are fullest
    closest = assert_legible(middle)
    assert len(middle["nodes"]) >= 20

    # Wide page: the table is beside the plot, as tall as the plot or so, scrolling with a sticky header.
    table = box(page, ".graph-table")
    assert table["x"] >= plot["x"] + plot["width"] and table["y"] < plot["y"] + plot["height"]
    page.locator(".graph-table").first.evaluate("e => { e.scrollTop = 400; }")
    page.wait_for_timeout(200)
    header, table = box(page, ".graph-table thead th"), box(page, ".graph-table")
    assert abs(header["y"] - table["y"]) <= 2, "the header stays on top while the rows scroll"
    assert page.locator(".graph-table").first.evaluate("e => e.scrollHeight > e.clientHeight")

    # Fit graph: the whole graph in the frame, still the same zoom on both axes.
    page.locator(".graph-fit button").click()
    whole = on_screen_when(page, lambda v: v["all_inside"])
    assert whole["sy"] == pytest.approx(whole["sx"], rel=0.02) and whole["sx"] < 0.3

    # Narrower page: the table moves below the plot; the plot still fills the width it has.
    page.locator(".graph-backward button").click()
    expect(page.locator(".graph-explain")).to_contain_text("Step 375 of 375", timeout=TIMEOUT)
    page.set_viewport_size({"width": 1000, "height": 800})
    page.wait_for_timeout(800)
    plot, table, view_box = box(page, ".graph-plot"), box(page, ".graph-table"), box(page, ".graph-view")
    assert table["y"] >= plot["y"] + plot["height"]
    assert plot["x"] + plot["width"] <= view_box["x"] + view_box["width"] + 1
    resized = on_screen(page)
    assert resized["sy"] == pytest.approx(resized["sx"], rel=0.02)  # a resize keeps the drawing's proportions
    app_page.assert_clean()

    # An iframe-sized page (480 x 360, minimal chrome, as an embed): plot, editor and table stacked (the drawing
    # first below 720 px), the plot inside the frame's width and height, and the graph still legible there.
    small = AppPage(watched_context.new_page(), site_url, watched_context.records)
    small.page.set_viewport_size({"width": 480, "height": 360})
    small.open("#view=graph&chrome=minimal")  # one view asked for: no tabs to click
    small.page.locator(".graph-view").first.wait_for(state="visible", timeout=TIMEOUT)
    small.page.locator(".graph-view select").first.select_option(BIG_PRESET)
    expect(small.page.locator(".graph-summary")).to_contain_text("305 nodes", timeout=TIMEOUT)
    on_screen_when(small.page, lambda v: "loss" in {n["name"] for n in v["nodes"]})
    editor, plot, table = (box(small.page, s) for s in (".graph-program", ".graph-plot", ".graph-table"))
    assert plot["y"] + plot["height"] <= editor["y"] and editor["y"] + editor["height"] <= table["y"]
    assert plot["width"] <= 480 and plot["height"] <= 360
    assert_legible(on_screen(small.page))
    narrow_closest = assert_legible(middle_on_screen(small.page))
    print(f"300-node preset, middle of the graph: {len(middle['nodes'])} whole boxes in view, closest "
          f"{closest:.1f} px apart on a wide page, {narrow_closest:.1f} px at 480x360")
    small.assert_clean()


def topo_column(page):
    """[(topo, label, data)] of the node table's rows, top to bottom."""
    rows = []
    for text in page.locator(".graph-table tbody tr").all_inner_texts():
        label, _op, data, _grad, topo, _inputs = text.split("\t")
        rows.append((int(topo) if topo.strip() else "", label.strip(), data.strip()))
    return rows


def test_topo_numbers_on_the_boxes_in_the_table_and_backward_runs_them_in_reverse(app_page):
    page = app_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    app_page.show_view("graph")
    expect(page.locator(".graph-table tbody tr")).to_have_count(33, timeout=TIMEOUT)
    topo = engine.build_topo(make_graph(README_EXAMPLE).root)

    # The table: row i is topo[i] of the engine's build_topo (its data), in that order.
    rows = topo_column(page)
    assert [t for t, _, _ in rows] == list(range(len(topo)))
    assert [data for _, _, data in rows] == [f"{v.data:.4f}" for v in topo]
    expect(page.locator(".graph-table caption")).to_contain_text("topological order")
    label = {t: name for t, name, _ in rows}

    # The boxes: every node in view shows its tag, readable, on its box's top edge, overlapping no other text.
    view = on_screen_when(page, lambda v: len(v["nodes"]) >= 2, n=len(topo))
    assert_legible(view)
    tags = [(n["topo"], n["name"], line["text"]) for n in view["nodes"] for line in n["lines"] if line.get("tag")]
    assert len(tags) == len(view["nodes"])
    assert all(text == f"topo[{t}]" and label[t] == name for t, name, text in tags)

    # Backward: each step names the node whose _backward runs by its topo number, and the numbers only go down,
    # through every node that has inputs, ending above the leaves.
    seen = []
    for k in range(1, 47):
        page.locator(".graph-step button").click()
        explain = page.locator(".graph-explain p.chain-rule")
        expect(explain).to_contain_text(f"Step {k} of 46")
        text = explain.inner_text()
        if k == 1:
            assert f"starts at the output, topo[{len(topo) - 1}]" in text
            continue
        number, giver = re.search(r"reversed\(topo\) reaches topo\[(\d+)\]: gradient flows from (\S+) back",
                                  text).groups()
        assert label[int(number)] == giver
        seen.append(int(number))
    assert seen == sorted(seen, reverse=True)
    assert sorted(set(seen)) == [i for i, v in enumerate(topo) if v._prev]

    # build_topo mode: the same buttons step through the depth-first sort; a box gets its tag when appended,
    # in the order 0, 1, 2, ... (the engine's recorded sort), and the table fills its topo column likewise.
    events = engine_lesson.topo_events(make_graph(README_EXAMPLE).root)
    page.locator(".graph-mode button", has_text="build_topo").click()
    explain = page.locator(".graph-explain p.chain-rule")
    expect(explain).to_contain_text(f"build_topo: step 0 of {len(events)}", timeout=TIMEOUT)
    assert page.evaluate(TAGS_SHOWN) == []
    appended = []
    for j, event in enumerate(events[:12], start=1):
        page.locator(".graph-step button").click()
        expect(explain).to_contain_text(f"build_topo: step {j} of {len(events)}")
        name = label[event["node"]]
        assert explain.inner_text().split(". ", 1)[1].startswith(
            {"visit": f"visit {name}:", "seen": f"{name} is already visited", "append": f"append {name}:"}[event["event"]])
        if event["event"] == "append":
            appended.append(event["node"])
        assert page.evaluate(TAGS_SHOWN) == [f"topo[{i}]" for i in sorted(appended)]
        assert [t for t, _, _ in topo_column(page) if t != ""] == sorted(appended)
    page.locator(".graph-backward button").click()            # Run all steps: the sort done, every box numbered
    expect(explain).to_contain_text("The sort is done. backward() runs _backward in reverse: 32, 31, 30")
    assert page.evaluate(TAGS_SHOWN) == [f"topo[{i}]" for i in range(len(topo))]
    page.locator(".graph-mode button", has_text="Backward").click()   # back to backward, where it was
    expect(explain).to_contain_text("Step 46 of 46")
    app_page.assert_clean()


# The topo tags the plot shows: the tag text of each row whose tag is drawn (tag_alpha 1), in topo order.
TAGS_SHOWN = """() => {
  const V = Bokeh.documents.at(-1).get_model_by_name('graph_values').data;
  return V.topo.map((t, r) => [t, r]).filter(([t, r]) => V.tag_alpha[r] > 0).sort((a, b) => a[0] - b[0])
    .map(([t, r]) => V.topo_text[r]);
}"""
