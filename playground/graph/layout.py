"""Left-to-right layered layout of a traced graph, like micrograd's `draw_dot` (graphviz rankdir=LR).

Every value node sits in a column given by its depth (longest path from the inputs); a node made by an
operation gets a small op node just left of it, which its inputs point to. Leaves sit one column before their
first consumer, so a constant or a bias does not drag a long edge across the whole graph. Within a column,
a few barycenter sweeps order the nodes to cut edge crossings. Edges are cubic curves sampled as polylines,
so the animation can move a pulse along them; an input used twice (b = a + a) gets two edges bent apart.

Input: the `nodes` list of `engine.trace(root)`; output: plain lists ready for Bokeh ColumnDataSources.
Units are screen pixels at zoom 1.
"""

from collections import defaultdict

COLUMN_WIDTH = 230  # from one value column to the next
OP_GAP = 36  # gap between an op node and the box of its value node
ROW_HEIGHT = 78
BOX_WIDTH, BOX_HEIGHT = 124, 58  # value node boxes
CURVE_POINTS = 12


def _columns(nodes):
    """Depth of each node: inputs first; a leaf goes one column before its earliest consumer."""
    depth = {}
    for node in nodes:  # trace() lists nodes in topological order
        depth[node["id"]] = 1 + max((depth[i] for i in node["inputs"]), default=-1) if node["inputs"] else 0
    consumers = defaultdict(list)
    for node in nodes:
        for i in node["inputs"]:
            consumers[i].append(node["id"])
    for node in nodes:
        if not node["inputs"] and consumers[node["id"]]:
            depth[node["id"]] = max(0, min(depth[c] for c in consumers[node["id"]]) - 1)
    return depth


def _order_rows(nodes, depth, sweeps=4):
    """Rows within each column, by barycenter sweeps (right to left, then left to right)."""
    columns = defaultdict(list)
    for node in nodes:
        columns[depth[node["id"]]].append(node["id"])
    row = {}
    for ids in columns.values():
        row.update({node_id: r for r, node_id in enumerate(ids)})
    inputs = {node["id"]: node["inputs"] for node in nodes}
    consumers = defaultdict(list)
    for node in nodes:
        for i in node["inputs"]:
            consumers[i].append(node["id"])

    def sort_column(ids, neighbours):
        def key(node_id):
            near = neighbours[node_id]
            return sum(row[n] for n in near) / len(near) if near else row[node_id]
        ids.sort(key=key)
        row.update({node_id: r for r, node_id in enumerate(ids)})

    order = sorted(columns)
    for _ in range(sweeps):
        for c in reversed(order):
            sort_column(columns[c], consumers)
        for c in order:
            sort_column(columns[c], inputs)
    sizes = {c: len(ids) for c, ids in columns.items()}
    return {node_id: r - (sizes[depth[node_id]] - 1) / 2 for node_id, r in row.items()}


# Bernstein weights of a cubic curve at CURVE_POINTS + 1 evenly spaced t, computed once.
_WEIGHTS = [((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t ** 2 * (1 - t), t ** 3)
            for t in (k / CURVE_POINTS for k in range(CURVE_POINTS + 1))]


def _curve(x0, y0, x1, y1, bend=0.0):
    """A cubic curve with horizontal tangents at both ends (both inner control points at mid x),
    optionally bent up or down."""
    mid = (x0 + x1) / 2
    xs = [a * x0 + (b + c) * mid + d * x1 for a, b, c, d in _WEIGHTS]
    ys = [a * y0 + b * (y0 + bend) + c * (y1 + bend) + d * y1 for a, b, c, d in _WEIGHTS]
    return xs, ys


def layout(nodes):
    """Positions and edge curves for the nodes of `engine.trace(root)`.

    Returns {"value": {id: (x, y)}, "op": {id: (x, y)}, "edges": [edge, ...]} where each edge is
    {"source": input id, "target": node id, "slot": operand position, "xs": [...], "ys": [...]}: input edges
    run from the input's box to the target's op node; each op node also has an edge to its own value node
    (slot -1), which the animation does not use.
    """
    depth = _columns(nodes)
    rows = _order_rows(nodes, depth)
    value_xy = {n["id"]: (depth[n["id"]] * COLUMN_WIDTH, -rows[n["id"]] * ROW_HEIGHT) for n in nodes}
    op_xy = {n["id"]: (value_xy[n["id"]][0] - BOX_WIDTH / 2 - OP_GAP, value_xy[n["id"]][1])
             for n in nodes if n["op"]}
    edges = []
    for node in nodes:
        if not node["op"]:
            continue
        tx, ty = op_xy[node["id"]]
        seen = defaultdict(int)
        for slot, source in enumerate(node["inputs"]):
            sx, sy = value_xy[source]
            bend = 22.0 * seen[source] * (1 if seen[source] % 2 else -1)  # a repeated input bends away
            seen[source] += 1
            xs, ys = _curve(sx + BOX_WIDTH / 2, sy, tx - 14, ty, bend)
            edges.append({"source": source, "target": node["id"], "slot": slot, "xs": xs, "ys": ys})
        vx, vy = value_xy[node["id"]]
        edges.append({"source": node["id"], "target": node["id"], "slot": -1,
                      "xs": [tx + 14, vx - BOX_WIDTH / 2], "ys": [ty, vy]})
    return {"value": value_xy, "op": op_xy, "edges": edges}
