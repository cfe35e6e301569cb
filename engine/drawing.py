"""A Value's graph as an SVG picture, micrograd's draw_dot without Graphviz: what a notebook shows inline.

    from engine import Value, draw_svg
    a = Value(2.0, label="a"); b = (a * a).tanh(); b.label = "b"
    b.backward()
    b              # in Jupyter: the graph (Value._repr_svg_)
    draw_svg(b)    # the same SVG as text, e.g. to save to a file

The layout is draw_dot's, laid out by hand: left to right, a leaf in the first column and every other node
one column right of its deepest input; each node a record box `label | data | grad` with its op in a small
circle just left of it. Inside a column, nodes are ordered by where their inputs sit (fewer crossings).
Everything written into the SVG is escaped (a label is any string).
"""
from html import escape

from .graph import build_topo
from .ops import OPS

FONT = 12
CHAR_W = 7.3          # the width of one monospace character at 12 px
BOX_H = 26
ROW_GAP = 14
OP_R = 13             # the op circle's radius
OP_GAP = 14           # between the op circle and its box
COLUMN_GAP = 46       # between one column's boxes and the next column's op circles
MARGIN = 10
# A notebook draws a Value inline up to this many nodes (one MLP sample's graph is ~1,000); a whole batch's loss
# (~100,000 nodes, a picture of tens of megabytes) would stall the notebook, so it shows as text.
MAX_INLINE_NODES = 5000
INK, EDGE, OP_FILL, LEAF_FILL, NODE_FILL = "#1f2328", "#57606a", "#f6f8fa", "#eaf2ff", "#ffffff"


def _fields(node):
    """The record's fields, as draw_dot writes them: label (if any), data, grad."""
    fields = [node.label] if node.label else []
    return fields + [f"data {node.data:.4f}", f"grad {node.grad:.4f}"]


def _text_width(text):
    return len(text) * CHAR_W


def layout(topo):
    """The nodes in columns, left to right. A node sits one column right of its deepest input; a leaf one
    column left of its first user (so a late input such as a bias does not cross the whole picture). Inside a
    column, nodes keep build_topo's order, a depth-first walk in operand order: a tree reads as a tree."""
    column = {}
    for node in topo:   # inputs come first in topo order
        column[node] = 1 + max((column[c] for c in node._prev), default=-1)
    first_user = {}
    for node in topo:
        for child in node._prev:
            if not child._prev:
                first_user[child] = min(first_user.get(child, column[node]), column[node])
    column.update((leaf, users - 1) for leaf, users in first_user.items())
    columns = [[] for _ in range(max(column.values()) + 1)]
    for node in topo:
        columns[column[node]].append(node)
    return columns


def _op_text(node):
    return OPS[node._op].label(node._exponent) if node._op in OPS else node._op


def _op_radius(node):
    """Half the width of the op's ellipse: a circle for `+`, wider for `tanh` or `**-0.5`."""
    return max(OP_R, _text_width(_op_text(node)) / 2 + 5)


def draw_svg(root):
    """The SVG (text) of root's whole graph: every node's label, data and grad, and each op."""
    topo = build_topo(root)
    columns = layout(topo)
    box_w = {node: sum(_text_width(f) for f in _fields(node)) + 16 * len(_fields(node)) for node in topo}
    op_width = [max((2 * _op_radius(n) for n in nodes if n._prev), default=0) for nodes in columns]
    x, place = MARGIN, {}
    tallest = max(len(nodes) for nodes in columns) * (BOX_H + ROW_GAP) - ROW_GAP
    for k, nodes in enumerate(columns):
        box_x = x + (op_width[k] + OP_GAP if op_width[k] else 0)
        top = MARGIN + (tallest - (len(nodes) * (BOX_H + ROW_GAP) - ROW_GAP)) / 2
        for i, node in enumerate(nodes):
            place[node] = (box_x, top + i * (BOX_H + ROW_GAP))
        x = box_x + max(box_w[n] for n in nodes) + COLUMN_GAP
    width, height = x - COLUMN_GAP + MARGIN, tallest + 2 * MARGIN
    ids = {node: i for i, node in enumerate(topo)}

    edges, shapes = [], []
    for node in topo:
        bx, by = place[node]
        mid = by + BOX_H / 2
        if node._prev:
            r = _op_radius(node)
            cx = bx - OP_GAP - r
            for child in node._prev:   # input box's right side -> this node's op
                sx, sy = place[child][0] + box_w[child], place[child][1] + BOX_H / 2
                bend = (cx - r - sx) / 2
                edges.append(f'<path d="M{sx:.1f},{sy:.1f} C{sx + bend:.1f},{sy:.1f} {cx - r - bend:.1f},{mid:.1f} '
                             f'{cx - r:.1f},{mid:.1f}" fill="none" stroke="{EDGE}" stroke-width="1.2"/>')
            edges.append(f'<path d="M{cx + r:.1f},{mid:.1f} H{bx:.1f}" stroke="{EDGE}" stroke-width="1.2"/>')
            shapes.append(f'<g class="op" data-node="{ids[node]}"><ellipse cx="{cx:.1f}" cy="{mid:.1f}" rx="{r:.1f}" '
                          f'ry="{OP_R}" fill="{OP_FILL}" stroke="{INK}"/><text x="{cx:.1f}" y="{mid + 4:.1f}" '
                          f'text-anchor="middle">{escape(_op_text(node))}</text></g>')
        parts, fx = [], bx
        for k, field in enumerate(_fields(node)):
            w = _text_width(field) + 16
            if k:
                parts.append(f'<path d="M{fx:.1f},{by:.1f} V{by + BOX_H:.1f}" stroke="{INK}"/>')
            parts.append(f'<text x="{fx + 8:.1f}" y="{mid + 4:.1f}">{escape(field)}</text>')
            fx += w
        fill = NODE_FILL if node._prev else LEAF_FILL
        shapes.append(f'<g class="value" data-node="{ids[node]}"><title>{escape(node.label or "Value")}</title>'
                      f'<rect x="{bx:.1f}" y="{by:.1f}" width="{box_w[node]:.1f}" height="{BOX_H}" rx="3" '
                      f'fill="{fill}" stroke="{INK}"/>{"".join(parts)}</g>')
    name = escape(root.label or "a Value", quote=True)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.1f} {height:.1f}" role="img" aria-label="The graph of {name}: '
            f'{len(topo)} nodes" font-family="monospace" font-size="{FONT}" fill="{INK}">'
            + "".join(edges) + "".join(shapes) + "</svg>")
