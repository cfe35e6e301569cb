"""Legibility of the graph drawing, measured: on the issue's big examples (a 10-input neuron; one sample
through a 2-4-4-1 MLP with its loss) and on a ~300-node one (2-8-8-1), nodes keep their distance, edges pass
between boxes instead of through them, crossings drop well below a naive order, and at the zoom the view
opens with every line of text is big enough to read and inside its own box, so no two labels overlap.

Screen sizes: a plot frame of 680 x 560 pixels (the drawing beside the editor and the table on a wide page)
and of 440 x 260 (a narrow page, e.g. an iframe of 480 x 360). The timings are printed, never asserted:
run with -s to see them (or `python -m tests.graph.bench_layout`).
"""

import bisect
import time
from collections import defaultdict
from itertools import combinations

import pytest

import engine
from playground.graph.layout import (BOX_GAP, BOX_HEIGHT, BOX_WIDTH, OP_RADIUS, count_crossings, layered_graph,
                                     layout, order_columns)
from playground.graph.presets import README_EXAMPLE, mlp_sample_loss, ten_input_neuron
from playground.graph.state import make_graph, program_from_value
from playground.graph.drawing import (MIN_TEXT_PX, READABLE_ZOOM, TEXT_OFFSETS, TEXT_SIZES, initial_ranges,
                                      source_data)

from .bench_layout import big_mlp_sample, shared_input_chain

FRAMES = {"wide": (680, 560), "narrow": (440, 260)}
# Widest glyphs of DejaVu Sans, the font Chromium on Debian draws Bokeh's "helvetica" with, in em: digits
# are 0.636 em, bold letters up to ~0.77 (an upper bound per character keeps the estimate on the safe side).
CHAR_EM = {"normal": 0.64, "bold": 0.78}


def _graphs():
    return {
        "README example (33 nodes)": make_graph(README_EXAMPLE),
        "10-input neuron (42 nodes)": make_graph(program_from_value(ten_input_neuron())),
        "2-4-4-1 MLP sample + loss (109 nodes)": make_graph(program_from_value(mlp_sample_loss((4, 4)))),
        "2-8-8-1 MLP sample + loss (305 nodes)": make_graph(program_from_value(mlp_sample_loss((8, 8), 2882))),
    }


GRAPHS = _graphs()
BIG = [name for name in GRAPHS if "MLP" in name or "neuron" in name]


def test_the_fixtures_are_the_issues_examples():
    sizes = {name: len(graph.trace["nodes"]) for name, graph in GRAPHS.items()}
    assert sizes == {name: int(name.split("(")[1].split()[0]) for name in GRAPHS}
    neuron = GRAPHS["10-input neuron (42 nodes)"].trace["nodes"]
    assert sum(1 for n in neuron if n["label"].startswith("x")) == 10 and neuron[-1]["op"] == "tanh"
    mlp = GRAPHS["2-4-4-1 MLP sample + loss (109 nodes)"]
    assert mlp.trace["nodes"][-1]["label"] == "loss" and mlp.root.data > 0  # a loss with gradients to show
    layers = (2 * 4 + 4 + 4) + (4 * 4 + 4 + 4) + (4 + 1)  # weights, biases, neuron outputs (the last: score)
    assert sum(1 for n in mlp.trace["nodes"] if n["label"].startswith("L")) == layers


def shapes(graph):
    """Every node's outline as (x0, x1, y0, y1, id, kind): value boxes and op circles (their squares)."""
    out = [(x - BOX_WIDTH / 2, x + BOX_WIDTH / 2, y - BOX_HEIGHT / 2, y + BOX_HEIGHT / 2, i, "value")
           for i, (x, y) in graph.layout["value"].items()]
    out += [(x - OP_RADIUS, x + OP_RADIUS, y - OP_RADIUS, y + OP_RADIUS, i, "op")
            for i, (x, y) in graph.layout["op"].items()]
    return out


def clearance(a, b):
    """Free space between two rectangles (0 when they touch or overlap)."""
    dx = max(a[0] - b[1], b[0] - a[1], 0)
    dy = max(a[2] - b[3], b[2] - a[3], 0)
    return max(dx, dy)


@pytest.mark.parametrize("name", GRAPHS)
def test_nodes_keep_their_distance_on_screen(name):
    graph = GRAPHS[name]
    outlines = shapes(graph)
    smallest = min(clearance(a, b) for a, b in combinations(outlines, 2))
    assert smallest >= 14  # layout units: at least WAYPOINT_GAP between any two node outlines
    columns = defaultdict(list)
    for x, y in graph.layout["value"].values():
        columns[x].append(y)
    closest = min((b - a for ys in columns.values() for a, b in zip(sorted(ys), sorted(ys)[1:])), default=None)
    assert closest is None or closest >= BOX_HEIGHT + BOX_GAP - 1e-6
    for frame, (width, height) in FRAMES.items():
        zoom = initial_ranges(graph, width, height)[2]
        print(f"{name}, {frame} frame: zoom {zoom:.2f}, closest outlines {smallest * zoom:.1f} px apart, "
              f"box centres in a column >= {(closest or 0) * zoom:.1f} px apart (box {BOX_HEIGHT * zoom:.1f} px)")
        assert smallest * zoom >= 9  # pixels between any two nodes at the zoom the view opens with
        if closest is not None:  # boxes of a column: a box's height plus a visible gap
            assert closest * zoom >= (BOX_HEIGHT + 12) * zoom


def _boxes_by_column(graph):
    """Outlines grouped by column x and sorted by their top, for quick lookups."""
    columns = defaultdict(list)
    for shape in shapes(graph):
        columns[round((shape[0] + shape[1]) / 2)].append(shape)
    return {x: sorted(items, key=lambda s: s[2]) for x, items in columns.items()}


@pytest.mark.parametrize("name", GRAPHS)
def test_edges_pass_between_the_boxes_not_through_them(name):
    """Every edge, sampled every 3 units, stays out of every node outline except its own two ends'."""
    graph = GRAPHS[name]
    columns = _boxes_by_column(graph)
    centres = sorted(columns)
    hits, samples = [], 0
    for edge in graph.layout["edges"]:
        if edge["slot"] < 0:
            continue
        own = {edge["source"], edge["target"]}
        points = list(zip(edge["xs"], edge["ys"]))
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            steps = max(1, int(max(abs(x1 - x0), abs(y1 - y0)) / 3))
            for k in range(steps + 1):
                x, y = x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps
                samples += 1
                i = bisect.bisect_left(centres, x)
                for cx in centres[max(0, i - 2):i + 2]:
                    for s in columns[cx]:
                        if s[4] not in own and s[0] + 1 < x < s[1] - 1 and s[2] + 1 < y < s[3] - 1:
                            hits.append((edge["source"], edge["target"], s[4]))
    print(f"{name}: {samples} points along the edges, {len(set(hits))} edge-through-node cases")
    assert hits == []


@pytest.mark.parametrize("name", GRAPHS)
def test_every_edge_runs_left_to_right(name):
    graph = GRAPHS[name]
    for edge in graph.trace["edges"]:
        assert graph.layout["value"][edge["source"]][0] < graph.layout["op"][edge["target"]][0]


@pytest.mark.parametrize("name", BIG + ["README example (33 nodes)"])
def test_crossings_drop_well_below_a_naive_order(name):
    nodes = GRAPHS[name].trace["nodes"]
    ordered, naive = layout(nodes)["crossings"], layout(nodes, sweeps=0)["crossings"]
    print(f"{name}: {ordered} edge crossings, {naive} in the naive order")
    assert ordered <= naive
    if naive:
        assert ordered <= 0.5 * naive


def test_crossing_count_matches_a_brute_force_count():
    for name in ("README example (33 nodes)", "2-4-4-1 MLP sample + loss (109 nodes)"):
        column, links = layered_graph(GRAPHS[name].trace["nodes"])
        for sweeps in (0, 2):
            order = order_columns(column, links, sweeps)
            at = {item: r for items in order.values() for r, item in enumerate(items)}
            brute = sum(1 for (a, b), (c, d) in combinations(links, 2)
                        if column[a] == column[c] and (at[a] - at[c]) * (at[b] - at[d]) < 0)
            assert count_crossings(order, links, column) == brute


def text_boxes(graph, zoom):
    """On-screen rectangles (pixels) of every line of text the view shows at `zoom`, the way animation.js
    sizes and hides them: (x0, x1, y0, y1, font px, node id, which line)."""
    values, ops, _, _ = source_data(graph)
    sizes = [size * zoom for size in TEXT_SIZES]
    shown = [size >= MIN_TEXT_PX for size in sizes]
    name_alone = shown[0] and not shown[1]
    rows = []
    for r, node_id in enumerate(values["id"]):
        x, y = values["x"][r] * zoom, -values["y"][r] * zoom  # screen y grows downward
        grads = [s["grad_after"] for s in graph.steps if s["node"] == node_id]
        texts = [(values["short_name"][r], "bold"), (values["data_text"][r], "normal"),
                 ("grad " + (f"{grads[-1]:.4f}" if grads else "\u2014"), "normal")]  # after a full backward
        for line, (text, weight) in enumerate(texts):
            if shown[line]:
                width = len(text) * CHAR_EM[weight] * sizes[line]
                offset = 0 if (line == 0 and name_alone) else TEXT_OFFSETS[line] * zoom
                rows.append((x - width / 2, x + width / 2, y + offset - sizes[line] / 2,
                             y + offset + sizes[line] / 2, sizes[line], node_id, line))
    if shown[3]:
        for r, node_id in enumerate(ops["id"]):
            x, y = ops["x"][r] * zoom, -ops["y"][r] * zoom
            width = len(ops["op"][r]) * CHAR_EM["normal"] * sizes[3]
            rows.append((x - width / 2, x + width / 2, y - sizes[3] / 2, y + sizes[3] / 2, sizes[3], node_id, 3))
    if shown[4]:  # the topo tag: left-aligned at (tag_x, tag_y), one pixel of padding
        for r, node_id in enumerate(values["id"]):
            x, y = values["tag_x"][r] * zoom, -values["tag_y"][r] * zoom
            width = len(values["topo_text"][r]) * CHAR_EM["normal"] * sizes[4] + 2
            rows.append((x - 1, x + width, y - sizes[4] / 2 - 1, y + sizes[4] / 2 + 1, sizes[4], node_id, 4))
    return rows


@pytest.mark.parametrize("frame", FRAMES)
@pytest.mark.parametrize("name", GRAPHS)
def test_text_is_readable_fits_its_box_and_never_overlaps(name, frame):
    graph = GRAPHS[name]
    zoom = initial_ranges(graph, *FRAMES[frame])[2]
    boxes = text_boxes(graph, zoom)
    lines = {line for *_, line in boxes}
    assert lines == {0, 1, 2, 3, 4}, "the view opens with names, data, grads, ops and topo tags all readable"
    assert min(size for *_, size, _, _ in boxes) >= MIN_TEXT_PX
    # Each value node's lines stay inside its box (op symbols: inside their circle's square, 2 px of slack).
    value_xy, op_xy = graph.layout["value"], graph.layout["op"]
    for x0, x1, y0, y1, _, node_id, line in boxes:
        if line == 4:   # the topo tag sits on its box's top-left corner, inside the box's width
            cx, cy = value_xy[node_id]
            assert cx * zoom - BOX_WIDTH / 2 * zoom <= x0 and x1 <= cx * zoom + BOX_WIDTH / 2 * zoom
            assert y0 < -cy * zoom - BOX_HEIGHT / 2 * zoom < y1
            continue
        cx, cy = (op_xy if line == 3 else value_xy)[node_id]
        half_w, half_h = ((OP_RADIUS + 2, OP_RADIUS + 2) if line == 3 else (BOX_WIDTH / 2, BOX_HEIGHT / 2))
        assert cx * zoom - half_w * zoom <= x0 and x1 <= cx * zoom + half_w * zoom, (node_id, line)
        assert -cy * zoom - half_h * zoom <= y0 and y1 <= -cy * zoom + half_h * zoom, (node_id, line)
    # No two lines of text overlap: sweep the rectangles left to right.
    boxes.sort()
    overlaps, active = [], []
    for box in boxes:
        active = [a for a in active if a[1] > box[0]]
        overlaps += [(a[5:], box[5:]) for a in active if a[2] < box[3] and box[2] < a[3]]
        active.append(box)
    print(f"{name}, {frame} frame: zoom {zoom:.2f}, {len(boxes)} lines of text, smallest "
          f"{min(b[4] for b in boxes):.1f} px, {len(overlaps)} overlaps")
    assert overlaps == []


def test_a_big_graph_opens_at_a_readable_zoom_on_its_output():
    graph = GRAPHS["2-8-8-1 MLP sample + loss (305 nodes)"]
    for width, height in FRAMES.values():
        (x0, x1), (y0, y1), zoom = initial_ranges(graph, width, height)
        assert zoom == READABLE_ZOOM and (x1 - x0) * zoom == pytest.approx(width)
        ox, oy = graph.layout["value"][graph.trace["nodes"][-1]["id"]]
        assert x0 < ox < x1 and y0 < oy < y1
        (x0, x1), (y0, y1), zoom = initial_ranges(graph, width, height, whole=True)  # "Fit graph"
        assert all(x0 < x < x1 and y0 < y < y1 for x, y in graph.layout["value"].values())


@pytest.mark.parametrize("build", [lambda: mlp_sample_loss((8, 8), 2882), big_mlp_sample, shared_input_chain])
def test_layout_time_at_300_and_2000_nodes(build):
    """Prints the time (no assert on it: the machine is shared); checks the result is still a clean layout."""
    nodes = engine.trace(build())["nodes"]
    start = time.perf_counter()
    result = layout(nodes)
    seconds = time.perf_counter() - start
    print(f"layout of {len(nodes)} nodes: {seconds * 1000:.0f} ms, {result['crossings']} crossings")
    assert len(result["value"]) == len(nodes) and len(nodes) <= 2000
    columns = defaultdict(list)
    for x, y in result["value"].values():
        columns[x].append(y)
    for ys in columns.values():
        ys.sort()
        assert all(b - a >= BOX_HEIGHT + BOX_GAP - 1e-6 for a, b in zip(ys, ys[1:]))
