"""The lesson's experiments on the engine: the topological sort step by step, the classic bugs, the nudge,
and one training step in phases. Each works on a real engine graph through the engine's public API
(build_topo, backward, forward, trace, gradcheck, nn, losses, optim) and returns plain data.

    topo_events(root)           micrograd's recursive build_topo, recorded: visit, seen, append (numbered)
    buggy_grads(root, bug)      the grads micrograd gets with a classic bug: "overwrite" or "twice"
    grad_check(grads, root)     those grads against finite differences: which are wrong
    nudge(root, leaf, h)        grad * h (the prediction) against the change of a new forward pass
    TrainingStep                forward, loss, zero_grad, backward, update: one phase at a time

Node ids are those of trace(root): the position in topological order, 0 .. n-1.
"""
import math

from .graph import backward, build_topo, forward, fresh_backward, gradcheck, trace
from . import losses, optim
from .value import Value

BUGS = {
    "overwrite": "overwrite (=) instead of accumulate (+=)",
    "twice": "backward twice without zero_grad",
}


# --- the topological sort, as micrograd writes it ----------------------------------------------------------

def topo_events(root, graph=None):
    """micrograd's build_topo on root's graph, recorded step by step:

        def build_topo(v):
            if v not in visited:          # "seen" when it is
                visited.add(v)            # "visit"
                for child in v._prev:
                    build_topo(child)
                topo.append(v)            # "append": v gets the next number

    Each event is {"event", "node", "parent" (the node whose loop called, None for root), "depth",
    "number" (for "append": the node's place in topo, which is its id)}. An explicit stack stands in for
    the recursion, so deep graphs do not hit Python's limit; the events are those of the recursion.
    `graph` is trace(root) if the caller already has it."""
    nodes = (graph or trace(root))["nodes"]
    inputs = {n["id"]: n["inputs"] for n in nodes}
    visited, events, number = set(), [], 0
    stack = [("call", nodes[-1]["id"], None, 0)]   # what the recursion still has to do, last first
    while stack:
        kind, node, parent, depth = stack.pop()
        if kind == "append":               # the end of a call: all of node's inputs are in topo
            events.append({"event": "append", "node": node, "parent": parent, "depth": depth, "number": number})
            number += 1
        elif node in visited:
            events.append({"event": "seen", "node": node, "parent": parent, "depth": depth, "number": None})
        else:
            visited.add(node)
            events.append({"event": "visit", "node": node, "parent": parent, "depth": depth, "number": None})
            stack.append(("append", node, parent, depth))
            stack.extend(("call", child, node, depth + 1) for child in reversed(inputs[node]))
    return events


# --- the classic bugs -----------------------------------------------------------------------------------

def correct_grads(root):
    """Every node's grad after a fresh backward, by id."""
    fresh_backward(root)
    return [node.grad for node in build_topo(root)]


def buggy_grads(root, bug, kept=None):
    """Every node's grad (by id) as micrograd computes it with a classic bug:

    "overwrite": each _backward writes `child.grad = local * out.grad` instead of `+=`: a node used twice
        keeps only the last contribution it received.
    "twice": the training loop's bug: forward and backward run a second time without zero_grad. A new forward
        pass makes new nodes (grad 0) from the same leaves, whose grads add up: each leaf's grad doubles.
        `kept`: the ids of the leaves that outlive a forward pass (the parameters, the inputs made once);
        by default every leaf. A constant written inside the computation (the 1 of `x + 1`) is a new
        Value each pass, like the other new nodes.

    Root's graph is left with the grads of a correct fresh backward."""
    if bug not in BUGS:
        raise ValueError(f"unknown bug {bug!r}, expected one of {tuple(BUGS)}")
    if bug == "twice":
        fresh_backward(root)                # the first forward and backward
        topo = build_topo(root)
        nodes = trace(root)["nodes"]
        kept = {n["id"] for n in nodes if not n["op"]} if kept is None else set(kept)
        for node, traced in zip(topo, nodes):
            if traced["id"] not in kept:
                node.grad = 0.0             # the second forward pass: these nodes are new, grad 0
        backward(root)                      # no zero_grad: the leaves keep what they had and add
        grads = [node.grad for node in topo]
        fresh_backward(root)
        return grads
    graph = trace(root)
    local = {}
    for edge_number, edge in enumerate(graph["edges"]):
        local.setdefault(edge["target"], []).append(edge["local"])
    grads = [0.0] * len(graph["nodes"])
    grads[-1] = 1.0
    for node in reversed(graph["nodes"]):   # the same loop as backward(), with = for +=
        for child, slope in zip(node["inputs"], local.get(node["id"], [])):
            grads[child] = slope * grads[node["id"]]
    fresh_backward(root)
    return grads


def grad_check(grads, root, tolerance=1e-4):
    """Each leaf's grad in `grads` (by id) against finite differences: [{"id", "label", "grad", "numeric",
    "ok"}]. ok is False when they differ by more than tolerance (relative to the larger, or absolute near 0)."""
    rows = []
    for check in gradcheck(root):
        grad, numeric = grads[check["id"]], check["numeric"]
        ok = numeric is not None and abs(grad - numeric) <= tolerance * max(1.0, abs(grad), abs(numeric))
        rows.append({"id": check["id"], "label": check["label"], "grad": grad, "numeric": numeric, "ok": ok})
    return rows


# --- the nudge ------------------------------------------------------------------------------------------

def nudge(root, leaf_id, h=0.01):
    """Move one leaf by h: the chain rule predicts the output moves by grad * h; a new forward pass says
    how much it really moves. Returns {"leaf", "h", "grad", "before", "after", "predicted", "actual"}
    ("after" and "actual" are None when the nudge leaves an op's domain, "error" then says why).
    Every node's data is put back afterwards."""
    if not (isinstance(h, (int, float)) and math.isfinite(h)):
        raise ValueError("h must be a finite number")
    topo = build_topo(root)
    if not 0 <= leaf_id < len(topo) or topo[leaf_id]._prev:
        raise ValueError(f"node {leaf_id} is not a leaf of this graph")
    leaf = topo[leaf_id]
    fresh_backward(root)
    before, grad, original = root.data, leaf.grad, leaf.data
    result = {"leaf": leaf_id, "h": h, "grad": grad, "before": before, "predicted": grad * h,
              "after": None, "actual": None, "error": ""}
    leaf.data = original + h
    try:
        after = forward(root)
        result.update(after=after, actual=after - before)
    except ValueError as e:  # DomainError: e.g. log of a number <= 0
        result["error"] = str(e)
    finally:
        leaf.data = original
        forward(root)
    return result


# --- one training step, phase by phase ------------------------------------------------------------------

PHASES = ("forward", "loss", "zero_grad", "backward", "update")


class TrainingStep:
    """One step of micrograd's training loop on an engine.nn model, run one phase at a time:

        scores = [model(x) for x in X]                         # forward
        loss = mean(losses) + alpha * sum(p*p)                 # loss
        model.zero_grad()                                      # zero_grad
        loss.backward()                                        # backward
        for p in model.parameters(): p.data -= lr * p.grad     # update (optim.SGD)

    `run_phase()` runs the next phase and returns what it did: {"phase", "scores", "loss", "accuracy",
    "data", "grad"} (data and grad: every parameter's, in model.parameters() order).
    optimizer: the engine optimiser whose step() is the update (its lr is its own); None: optim.SGD at lr."""

    def __init__(self, model, X, ys, loss="svm", alpha=1e-4, lr=0.1, optimizer=None):
        if loss not in losses.LOSSES:
            raise ValueError(f"unknown loss {loss!r}, expected one of {tuple(losses.LOSSES)}")
        self.model, self.X, self.ys = model, [list(map(float, x)) for x in X], list(ys)
        self.loss_name, self.alpha, self.lr = loss, alpha, lr
        self.optimizer = optimizer
        self.phase = 0        # the next phase to run: PHASES[self.phase]
        self.scores = self.loss = None

    @property
    def done(self):
        return self.phase == len(PHASES)

    def run_phase(self):
        if self.done:
            raise RuntimeError("this step has run all its phases")
        name = PHASES[self.phase]
        params = self.model.parameters()
        if name == "forward":
            self.scores = [self.model([Value(x) for x in row]) for row in self.X]
        elif name == "loss":
            per_sample = losses.LOSSES[self.loss_name]
            self.loss = losses.mean([per_sample(s, y) for s, y in zip(self.scores, self.ys)])
            if self.alpha:
                self.loss = self.loss + losses.l2(params, self.alpha)
        elif name == "zero_grad":
            self.model.zero_grad()
        elif name == "backward":
            self.loss.backward()
        else:
            (self.optimizer or optim.SGD(params, self.lr)).step()
        self.phase += 1
        return {"phase": name,
                "scores": None if self.scores is None else [s.data for s in self.scores],
                "loss": None if self.loss is None else self.loss.data,
                "accuracy": None if self.scores is None else
                losses.accuracy([s.data for s in self.scores], self.ys),
                "data": [p.data for p in params], "grad": [p.grad for p in params]}
