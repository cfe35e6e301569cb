"""The lesson's picture of the graph: a small SVG made in Python from the graph view's own layout.

The lesson redraws it at every step (a few dozen boxes), so it needs no page code: what a box shows is
whatever the lesson passes in (its grad, its number in topological order, a mark). Every name is escaped.
"""
import html
from collections import Counter

from playground.graph.drawing import NODE_FILL, display_names, is_constant, short_name
from playground.graph.layout import BOX_HEIGHT, BOX_WIDTH, OP_RADIUS

MARK_COLORS = {"current": "#d95f02", "input": "#1b9e77", "wrong": "#c62828", "seen": "#7570b3"}
MAX_PICTURE_NODES = 120  # bigger graphs are drawn as the table only
BOX_NAME_CHARS = 14      # a longer name is cut with an ellipsis (its whole name is in the table beside it)
MIN_SCALE = 11 / 12      # the boxes' 12 px text is never drawn under 11 px: a wider graph scrolls (common.py)


def node_names(nodes):
    """A unique name per node, the one the graph view shows (its label, a constant's number, or for an unnamed
    node the expression that makes it: `10.0/f`, never a bare `#31`), with a ′ for each repeat of a name
    (two constants 1.0: `1.0`, `1.0′`): the nudge's choice of leaf goes by name."""
    names, seen = {}, Counter()
    for node_id, name in display_names(nodes).items():
        seen[name] += 1
        names[node_id] = name + "\u2032" * (seen[name] - 1)
    return names


def fmt(x):
    """A number as the lesson prints it: up to 4 decimals, trailing zeros dropped, one decimal kept."""
    if x is None:
        return "\u2014"
    text = f"{x:.4f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return "0.0" if text in ("-0.0", "-0") else text


def svg(graph, grads=None, numbers=None, marks=None, active_edges=(), op_names=None):
    """The graph as SVG text.

    grads: {id: grad or None} shown in each box ("grad —" when absent); numbers: {id: topological number}
    shown as a badge; marks: {id: "current" | "input" | "wrong" | "seen"} outline colours; active_edges:
    {(target, slot)} drawn thick; op_names: {id: the text in the op's circle} (default: the engine's op)."""
    nodes, layout = graph.trace["nodes"], graph.layout
    if len(nodes) > MAX_PICTURE_NODES:
        return (f"<p class='lesson-too-big' style='direction:ltr'>This graph has {len(nodes)} nodes: too many to draw here "
                f"(at most {MAX_PICTURE_NODES}); the table below has every number.</p>")
    grads, numbers, marks = grads or {}, numbers or {}, marks or {}
    names = node_names(nodes)
    xs = [p[0] for p in layout["value"].values()]
    ys = [p[1] for p in layout["value"].values()]
    x0, x1 = min(xs) - BOX_WIDTH / 2 - 10, max(xs) + BOX_WIDTH / 2 + 10
    y0, y1 = min(ys) - BOX_HEIGHT / 2 - 16, max(ys) + BOX_HEIGHT / 2 + 10
    flip = lambda y: y1 + y0 - y  # noqa: E731  the layout's y grows upwards, SVG's downwards
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="lesson-graph" role="img" '
             f'aria-label="the graph, inputs left, output right" viewBox="{x0:.0f} {y0:.0f} {x1 - x0:.0f} '
             f'{y1 - y0:.0f}" style="width:100%;min-width:{MIN_SCALE * (x1 - x0):.0f}px;max-width:{x1 - x0:.0f}px;'
             f'height:auto;direction:ltr;font:12px system-ui,sans-serif">']
    for edge in layout["edges"]:
        active = (edge["target"], edge["slot"]) in active_edges
        points = " ".join(f"{x:.1f},{flip(y):.1f}" for x, y in zip(edge["xs"], edge["ys"]))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{"#d95f02" if active else "#b9bec7"}" '
                     f'stroke-width="{4 if active else 1.4}"/>')
    output = nodes[-1]["id"]
    for node in nodes:
        i = node["id"]
        if node["op"]:
            ox, oy = layout["op"][i]
            text = (op_names or {}).get(i, node["op"])
            parts.append(f'<circle cx="{ox:.1f}" cy="{flip(oy):.1f}" r="{OP_RADIUS}" fill="#f4f1ff" '
                         f'stroke="#5b6170"/><text x="{ox:.1f}" y="{flip(oy) + 4:.1f}" text-anchor="middle">'
                         f'{html.escape(text[:6])}</text>')
        x, y = layout["value"][i]
        y = flip(y)
        # the graph view's colours: a number written in the program (a constant) grey, a leaf you can change blue
        role = ("output" if i == output else "computed" if node["op"] else
                "constant" if is_constant(node) else "leaf")
        mark = marks.get(i)
        stroke = MARK_COLORS.get(mark, "#5b6170")
        parts.append(f'<g class="lesson-node{" lesson-" + mark if mark else ""}" data-node="{i}">'
                     f'<rect x="{x - BOX_WIDTH / 2:.1f}" y="{y - BOX_HEIGHT / 2:.1f}" width="{BOX_WIDTH}" '
                     f'height="{BOX_HEIGHT}" rx="6" fill="{NODE_FILL[role]}" stroke="{stroke}" '
                     f'stroke-width="{3.5 if mark else 1.2}"/>')
        grad = grads.get(i)
        for dy, text, bold in ((-17, short_name(names[i], BOX_NAME_CHARS), True), (0, f"data {fmt(node['data'])}", False),
                               (17, f"grad {fmt(grad)}", False)):
            weight = ' font-weight="bold"' if bold else ""
            parts.append(f'<text x="{x:.1f}" y="{y + dy + 4:.1f}" text-anchor="middle"{weight}>'
                         f'{html.escape(text)}</text>')
        if i in numbers:
            bx, by = x + BOX_WIDTH / 2 - 4, y - BOX_HEIGHT / 2 - 2
            parts.append(f'<circle cx="{bx:.1f}" cy="{by:.1f}" r="10" fill="#7570b3"/>'
                         f'<text class="lesson-topo-number" x="{bx:.1f}" y="{by + 4:.1f}" text-anchor="middle" '
                         f'fill="#fff" font-weight="bold">{numbers[i]}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
