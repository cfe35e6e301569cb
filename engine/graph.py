"""Walking the graph: topological order, backward, and plain-data views for the playground."""
from .ops import DomainError


def build_topo(v):
    """Every node of v's graph, inputs before the nodes that use them (v last).

    The same order as micrograd's recursive version, but with an explicit stack, so a
    chain of 100,000 ops does not hit Python's recursion limit."""
    topo = []
    visited = {v}
    stack = [v]
    while stack:
        node = stack[-1]
        for child in node._prev:  # go down to the first input not seen yet...
            if child not in visited:
                visited.add(child)
                stack.append(child)
                break
        else:                     # ...or, once all inputs are in topo, add the node itself
            stack.pop()
            topo.append(node)
    return topo


def backward(l, fresh=False):
    """Backpropagate from l: set l.grad = 1 and run every node's _backward, outputs first.

    Grads accumulate (+=) as in micrograd, so a second call adds to the first. Pass
    fresh=True (or call fresh_backward) to zero every grad in the graph first."""
    topo = build_topo(l)
    if fresh:
        for node in topo:
            node.grad = 0.0
    l.grad = 1.0
    for node in reversed(topo):
        node._backward()


def fresh_backward(l):
    """backward(l) after zeroing every grad in l's graph: the same grads however often it runs."""
    backward(l, fresh=True)


def forward(root):
    """Recompute every node's data from the leaves' current data; returns root.data."""
    for node in build_topo(root):
        node._recompute()
    return root.data


def _ids(topo):
    return {node: i for i, node in enumerate(topo)}


def trace(root):
    """The graph as plain, JSON-able data (nodes in topological order, ids 0..n-1). A node's "op" is
    its name in ops.OPS ('' for a leaf); "exponent" is n of `x ** n` (op '**n'), else None."""
    topo = build_topo(root)
    ids = _ids(topo)
    nodes, edges = [], []
    for node in topo:
        i = ids[node]
        nodes.append({"id": i, "label": node.label, "op": node._op, "exponent": node._exponent,
                      "data": node.data, "grad": node.grad, "inputs": [ids[c] for c in node._prev]})
        try:
            locals_ = node.local_grads()
        except DomainError:  # e.g. the slope of x**0.5 at 0: drawable, not differentiable
            locals_ = [None] * len(node._prev)
        for child, local in zip(node._prev, locals_):
            edges.append({"source": ids[child], "target": i, "local": local})
    return {"nodes": nodes, "edges": edges}


def backward_events(root):
    """Run a fresh backward and record each _backward call, in the order the engine made it.

    One event per node that has inputs (a leaf's _backward does nothing):
    {"node", "upstream", "inputs": [{"node", "local", "contribution", "grad_after"}]}.
    Ids are those of trace(root)."""
    topo = build_topo(root)
    ids = _ids(topo)
    for node in topo:
        node.grad = 0.0
    root.grad = 1.0
    events = []
    for node in reversed(topo):  # the same loop as backward()
        if not node._prev:
            continue
        upstream = node.grad
        record = []
        node._backward(record)
        events.append({"node": ids[node], "upstream": upstream,
                       "inputs": [{"node": ids[child], "local": local, "contribution": contribution,
                                   "grad_after": grad_after}
                                  for child, local, contribution, grad_after in record]})
    return events


def _nudged(root, leaf, delta):
    """root's data with leaf.data moved by delta (None if that leaves an op's domain)."""
    original = leaf.data
    leaf.data = original + delta
    try:
        return forward(root)
    except DomainError:
        return None
    finally:
        leaf.data = original


def gradcheck(root, eps=1e-6):
    """Compare backprop's grads with finite differences, for every leaf of root's graph.

    Returns [{"id", "label", "analytic", "numeric"}] with trace(root) ids. The numeric slope is
    central, (f(x+eps) - f(x-eps)) / 2eps, or one-sided when one nudge leaves an op's domain;
    None when neither works. Leaves every data as it was; grads are those of a fresh backward."""
    topo = build_topo(root)
    ids = _ids(topo)
    fresh_backward(root)
    base = root.data
    results = []
    for node in topo:
        if node._prev:
            continue
        up = _nudged(root, node, eps)
        down = _nudged(root, node, -eps)
        if up is not None and down is not None:
            numeric = (up - down) / (2 * eps)
        elif up is not None:
            numeric = (up - base) / eps
        elif down is not None:
            numeric = (base - down) / eps
        else:
            numeric = None
        results.append({"id": ids[node], "label": node.label, "analytic": node.grad, "numeric": numeric})
    forward(root)  # every node's data back to the unnudged values
    return results
