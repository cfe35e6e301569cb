"""Left-to-right layered layout of a traced graph, like micrograd's `draw_dot` (graphviz rankdir=LR).

The classic recipe for drawing a DAG in layers (Sugiyama), in four small steps:

1. Columns. Every value node gets the column of its longest path from the inputs; then, from the output
   back, every node moves right until it sits just before its earliest consumer (a weight, a bias or a
   product sits next to where it is used instead of dragging a long edge across the graph).
2. Long edges. An edge that would jump over columns runs through a chain of invisible *waypoints*, one per
   column it crosses, so it passes between the boxes instead of through them. All long edges leaving one
   node share its chain (like a bus), so a value used in many places draws one line with branches.
3. Order within columns. A few sweeps cut edge crossings: each node goes to the mean row of its
   neighbours (barycenter), then neighbours swap while that removes crossings; the fewest crossings win.
4. Heights. Each node moves toward the mean height of its neighbours, keeping the order and a minimum gap
   (a least-squares fit solved by "pool adjacent violators"), so most edges run nearly straight.

A node made by an operation gets a small op node just left of its box, which its inputs point to. Edges are
cubic curves (horizontal at both ends) sampled as polylines, so the animation can move a pulse along them;
an input used twice (b = a + a) gets two edges bent apart.

Input: the `nodes` list of `engine.trace(root)`; output: plain lists ready for Bokeh ColumnDataSources.
Units are screen pixels at zoom 1.
"""

from collections import defaultdict

COLUMN_WIDTH = 230  # from one value column to the next
OP_GAP = 36  # gap between an op node and the box of its value node
OP_RADIUS = 15
BOX_WIDTH, BOX_HEIGHT = 124, 58  # value node boxes
BOX_GAP = 20  # at least this much free space between two boxes of a column
WAYPOINT_GAP = 14  # between a box and an edge passing it, or between two passing edges
CURVE_POINTS = 12
SWEEPS = 4  # rounds of crossing reduction (each: one sweep right to left, one left to right)
HEIGHT_ROUNDS = 6  # rounds of pulling nodes toward their neighbours' height


def _columns(nodes):
    """Column of each node: its longest path from the inputs, then moved right next to its first consumer."""
    column, consumers = {}, defaultdict(list)
    for node in nodes:  # trace() lists nodes in topological order
        column[node["id"]] = 1 + max(column[i] for i in node["inputs"]) if node["inputs"] else 0
        for i in node["inputs"]:
            consumers[i].append(node["id"])
    for node in reversed(nodes):  # consumers first: their columns are final
        if consumers[node["id"]]:
            column[node["id"]] = min(column[c] for c in consumers[node["id"]]) - 1
    return column


def layered_graph(nodes, waypoint_budget=None):
    """The graph cut into columns: (column of every item, links between items of neighbouring columns).

    Items are node ids and waypoints ("via", source id, column). Every link joins column c to column c + 1.
    The budget caps the drawing's size: a source gets its chain of waypoints only while the waypoints its
    edges pass, summed over its edges, fit in what is left of `waypoint_budget` (default: eight per node).
    Edges beyond it are drawn straight across; only a contrived graph near the node limit gets there (one
    value used by each of a thousand nodes in a row).
    """
    column = _columns(nodes)
    budget = 8 * len(nodes) if waypoint_budget is None else waypoint_budget
    far_ends = defaultdict(list)  # source -> the columns of its consumers
    for node in nodes:
        for i in node["inputs"]:
            far_ends[i].append(column[node["id"]])
    links = set()
    for node in nodes:  # every chain of waypoints, in node order, while the budget lasts
        source = node["id"]
        cost = sum(max(0, c - column[source] - 1) for c in far_ends[source])
        if 0 < cost <= budget:
            budget -= cost
            chain = [source] + [("via", source, c) for c in range(column[source] + 1, max(far_ends[source]))]
            for item in chain[1:]:
                column[item] = item[2]
            links.update(zip(chain, chain[1:]))
    for node in nodes:
        for i in node["inputs"]:
            before = ("via", i, column[node["id"]] - 1)
            links.add((before if before in column else i, node["id"]))
    return column, sorted(links, key=str)


def count_crossings(order, links, column):
    """Edge crossings between neighbouring columns, given each column's top-to-bottom `order` (a list of
    items per column). Two links between the same two columns cross when their ends are in opposite order;
    counted per column pair as inversions, with a Fenwick tree (n log n)."""
    position = {item: r for items in order.values() for r, item in enumerate(items)}
    by_gap = defaultdict(list)
    for a, b in links:
        by_gap[column[a]].append((position[a], position[b]))
    total = 0
    for pairs in by_gap.values():
        pairs.sort()
        size = max(b for _, b in pairs) + 1
        tree = [0] * (size + 1)  # tree counts the links seen so far by their lower end
        for seen, (_, b) in enumerate(pairs):
            below, i = 0, b + 1  # links seen so far that end at or above b...
            while i > 0:
                below += tree[i]
                i -= i & -i
            total += seen - below  # ...the others end below b: each one crosses this link
            i = b + 1
            while i <= size:
                tree[i] += 1
                i += i & -i
    return total


def order_columns(column, links, sweeps=SWEEPS):
    """Top-to-bottom order of the items of each column, to cut edge crossings. Each sweep visits the columns
    right to left, then left to right: it sorts a column by the mean position of each item's neighbours
    (barycenter), then swaps neighbouring items while that removes crossings (transpose). The order with the
    fewest crossings seen wins. sweeps=0 gives the naive order: the items in the order they come (nodes in
    the trace's topological order)."""
    order = defaultdict(list)
    for item in column:
        order[column[item]].append(item)
    left, right = defaultdict(list), defaultdict(list)
    for a, b in links:
        right[a].append(b)
        left[b].append(a)
    neighbours = {item: left[item] + right[item] for item in column}
    position = {item: r for items in order.values() for r, item in enumerate(items)}
    best, fewest = {c: list(items) for c, items in order.items()}, count_crossings(order, links, column)

    def crossings_if_above(u, v):  # crossings between the links of u and of v when u sits just above v
        return sum(position[a] > position[b] for side in (left, right) for a in side[u] for b in side[v])

    def sort_column(items):
        def barycenter(item):
            near = neighbours[item]
            return sum(position[n] for n in near) / len(near) if near else position[item]
        items.sort(key=barycenter)
        position.update({item: r for r, item in enumerate(items)})
        swapped = True
        while swapped:
            swapped = False
            for r in range(len(items) - 1):
                u, v = items[r], items[r + 1]
                if crossings_if_above(u, v) > crossings_if_above(v, u):
                    items[r], items[r + 1] = v, u
                    position[u], position[v] = r + 1, r
                    swapped = True

    for _ in range(sweeps):
        for columns in (sorted(order, reverse=True), sorted(order)):
            for c in columns:
                sort_column(order[c])
            crossings = count_crossings(order, links, column)
            if crossings < fewest:
                best, fewest = {c: list(items) for c, items in order.items()}, crossings
    return best


def _fit_in_order(targets, gaps):
    """Heights as close as possible to `targets` (least squares) that keep their order with at least
    gaps[i] between item i and item i + 1: subtract the gaps, make the sequence non-decreasing by pooling
    adjacent violators into their mean, add the gaps back."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks = []  # [mean, size] of runs of items that must share one (shifted) height
    for target, offset in zip(targets, offsets):
        blocks.append([target - offset, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, size = blocks.pop()
            blocks[-1] = [(blocks[-1][0] * blocks[-1][1] + mean * size) / (blocks[-1][1] + size),
                          blocks[-1][1] + size]
    shifted = [mean for mean, size in blocks for _ in range(size)]
    return [s + offset for s, offset in zip(shifted, offsets)]


def _gap(a, b):
    """Least distance between the centres of two neighbours in a column (boxes, or edges passing)."""
    def half(item):
        return 0 if isinstance(item, tuple) else BOX_HEIGHT / 2
    if isinstance(a, tuple) and isinstance(b, tuple):
        return WAYPOINT_GAP
    return half(a) + half(b) + (BOX_GAP if half(a) and half(b) else WAYPOINT_GAP)


def place_rows(order, links, rounds=HEIGHT_ROUNDS):
    """Height of every item (downward), its column's order kept: each round pulls every item toward the
    mean height of its neighbours, column by column, left to right and back."""
    gaps = {c: [_gap(a, b) for a, b in zip(items, items[1:])] for c, items in order.items()}
    height = {}
    for c, items in order.items():  # start packed, each column centred on 0
        packed = _fit_in_order([0.0] * len(items), gaps[c])
        height.update(zip(items, packed))
    neighbours = defaultdict(list)
    for a, b in links:
        neighbours[a].append(b)
        neighbours[b].append(a)
    for _ in range(rounds):
        for c in sorted(order) + sorted(order, reverse=True):
            items = order[c]
            targets = [sum(height[n] for n in neighbours[i]) / len(neighbours[i]) if neighbours[i] else height[i]
                       for i in items]
            height.update(zip(items, _fit_in_order(targets, gaps[c])))
    return height


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


def _path(points, bend):
    """A smooth line through `points`: straight where two points share a height, else a curve; the
    last curve gets the bend."""
    xs, ys = [points[0][0]], [points[0][1]]
    for k, ((x0, y0), (x1, y1)) in enumerate(zip(points, points[1:])):
        last = k == len(points) - 2
        if y0 == y1 and not (last and bend):
            xs.append(x1)
            ys.append(y1)
        else:
            cx, cy = _curve(x0, y0, x1, y1, bend if last else 0.0)
            xs += cx[1:]
            ys += cy[1:]
    return xs, ys


def layout(nodes, sweeps=SWEEPS):
    """Positions and edge curves for the nodes of `engine.trace(root)`.

    Returns {"value": {id: (x, y)}, "op": {id: (x, y)}, "edges": [edge, ...], "crossings": n} where each
    edge is {"source": input id, "target": node id, "slot": operand position, "xs": [...], "ys": [...]}:
    input edges run from the input's box to the target's op node; each op node also has an edge to its own
    value node (slot -1), which the animation does not use. `crossings` counts edge crossings between
    neighbouring columns; sweeps=0 skips crossing reduction (to compare against).
    """
    column, links = layered_graph(nodes)
    order = order_columns(column, links, sweeps)
    height = place_rows(order, links)
    xy = {item: (column[item] * COLUMN_WIDTH, -height[item]) for item in column}
    value_xy = {n["id"]: xy[n["id"]] for n in nodes}
    op_xy = {n["id"]: (value_xy[n["id"]][0] - BOX_WIDTH / 2 - OP_GAP, value_xy[n["id"]][1])
             for n in nodes if n["op"]}
    edges = []
    for node in nodes:
        if not node["op"]:
            continue
        tx, ty = op_xy[node["id"]]
        seen = defaultdict(int)
        for slot, source in enumerate(node["inputs"]):
            bend = 22.0 * seen[source] * (1 if seen[source] % 2 else -1)  # a repeated input bends away
            seen[source] += 1
            sx, sy = value_xy[source]
            points = [(sx + BOX_WIDTH / 2, sy)]
            if ("via", source, column[source] + 1) in xy:  # past the columns it crosses, by its waypoints
                for c in range(column[source] + 1, column[node["id"]]):
                    wx, wy = xy[("via", source, c)]
                    points += [(wx - BOX_WIDTH / 2 - OP_GAP - OP_RADIUS, wy), (wx + BOX_WIDTH / 2, wy)]
            points.append((tx - OP_RADIUS + 1, ty))
            xs, ys = _path(points, bend)
            edges.append({"source": source, "target": node["id"], "slot": slot, "xs": xs, "ys": ys})
        vx, vy = value_xy[node["id"]]
        edges.append({"source": node["id"], "target": node["id"], "slot": -1,
                      "xs": [tx + OP_RADIUS - 1, vx - BOX_WIDTH / 2], "ys": [ty, vy]})
    return {"value": value_xy, "op": op_xy, "edges": edges, "crossings": count_crossings(order, links, column)}
