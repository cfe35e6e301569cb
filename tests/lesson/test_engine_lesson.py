"""engine/lesson.py: the topological sort recorded, the classic bugs, the nudge, one training step in phases.

The buggy numbers come from a second micrograd written in tests/lesson/micrograd_clone.py (closures, `=` for
`+=` when asked) or from running the engine the way the buggy program would, never from engine/lesson.py."""
import math
import random

import pytest

import engine
from engine import Value, lesson, nn, losses
from tests.lesson import micrograd_clone as clone


def readme_like(a, b):
    """micrograd's README example with only the ops the clone shares with the engine (+, *, ** n, relu),
    each written with the Value on the left so both libraries build the same graph in the same operand order."""
    c = a + b
    d = a * b + b ** 3
    c = c + (c + 1)
    c = c + (c + 1 + a * -1)
    d = d + (d * 2 + (b + a).relu())
    d = d + (d * 3 + (b + a * -1).relu())
    e = c + d * -1
    f = e ** 2
    return f * 0.5 + f ** -1 * 10.0


def tanh_neuron(x1, x2, w1, w2, b):
    return (x1 * w1 + x2 * w2 + b).tanh()


def used_twice(a):
    return a + a


def square_twice(a, b):  # a node (a * b) used twice, a leaf used three times
    p = a * b
    return p * p + a


GRAPHS = [(readme_like, (-4.0, 2.0)), (tanh_neuron, (2.0, 0.0, -3.0, 1.0, 6.8813735870195432)),
          (used_twice, (3.0,)), (square_twice, (1.5, -2.0))]


def clone_topo(root):
    topo, visited = [], set()

    def build(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build(child)
            topo.append(v)
    build(root)
    return topo


@pytest.fixture
def overwrite_clone():
    clone.OVERWRITE = True
    yield clone
    clone.OVERWRITE = False


@pytest.mark.parametrize("make, numbers", GRAPHS, ids=[g[0].__name__ for g in GRAPHS])
def test_overwrite_bug_gives_exactly_the_buggy_micrograd_grads(make, numbers, overwrite_clone):
    root = make(*[Value(x) for x in numbers])
    buggy = make(*[clone.V(x) for x in numbers])
    buggy.backward()
    expected = [v.grad for v in clone_topo(buggy)]
    assert lesson.buggy_grads(root, "overwrite") == expected
    # the graph itself keeps the correct grads
    assert [v.grad for v in engine.build_topo(root)] == lesson.correct_grads(root)


def test_overwrite_bug_is_wrong_exactly_where_a_value_is_used_twice():
    a = Value(3.0, label="a")
    b = used_twice(a)
    assert lesson.correct_grads(b)[0] == 2.0
    assert lesson.buggy_grads(b, "overwrite")[0] == 1.0        # one of the two contributions is lost
    check = lesson.grad_check(lesson.buggy_grads(b, "overwrite"), b)
    assert [row["ok"] for row in check] == [False]
    assert [row["ok"] for row in lesson.grad_check(lesson.correct_grads(b), b)] == [True]
    # a tree (no value used twice) is not hurt by the bug
    x = [Value(v) for v in (2.0, 0.0, -3.0, 1.0, 0.5)]
    out = tanh_neuron(*x)
    assert lesson.buggy_grads(out, "overwrite") == pytest.approx(lesson.correct_grads(out), abs=0)


@pytest.mark.parametrize("make, numbers", GRAPHS, ids=[g[0].__name__ for g in GRAPHS])
def test_backward_twice_without_zero_grad_is_a_training_loop_that_forgets_zero_grad(make, numbers):
    leaves = [Value(x) for x in numbers]
    root = make(*leaves)
    topo = engine.build_topo(root)
    leaf_ids = [topo.index(leaf) for leaf in leaves]   # the named leaves; constants are new each pass
    got = lesson.buggy_grads(root, "twice", kept=leaf_ids)
    # the buggy program: forward + backward, forward again from the same leaves + backward, no zero_grad
    twin_leaves = [Value(x) for x in numbers]
    make(*twin_leaves).backward()
    second = make(*twin_leaves)
    second.backward()
    twin_topo = engine.build_topo(second)
    for node, twin_node, grad in zip(topo, twin_topo, got):
        assert grad == twin_node.grad
    correct = lesson.correct_grads(root)
    assert [got[i] for i in leaf_ids] == [2 * correct[i] for i in leaf_ids]   # the leaves' grads double
    assert [v.grad for v in topo] == correct


def test_unknown_bug_is_refused():
    with pytest.raises(ValueError, match="unknown bug"):
        lesson.buggy_grads(Value(1.0) * 2, "typo")


def micrograd_topo_events(root):
    """The article's recursive build_topo with print-like records, on the clone's Values."""
    events, visited, topo = [], set(), []

    def build(v, parent, depth):
        if v in visited:
            events.append(("seen", v, parent, depth))
            return
        visited.add(v)
        events.append(("visit", v, parent, depth))
        for child in v._prev:
            build(child, v, depth + 1)
        topo.append(v)
        events.append(("append", v, parent, depth))
    build(root, None, 0)
    return events, topo


@pytest.mark.parametrize("make, numbers", GRAPHS, ids=[g[0].__name__ for g in GRAPHS])
def test_topo_events_are_micrograds_recursion(make, numbers):
    root = make(*[Value(x) for x in numbers])
    events = lesson.topo_events(root)
    twin = make(*[clone.V(x) for x in numbers])
    expected, topo = micrograd_topo_events(twin)
    number = {v: i for i, v in enumerate(topo)}
    assert [(e["event"], e["node"], e["parent"], e["depth"]) for e in events] == [
        (kind, number[v], None if parent is None else number[parent], depth) for kind, v, parent, depth in expected]
    appended = [e for e in events if e["event"] == "append"]
    # the numbers are the places in the engine's own topological order (trace ids)
    assert [e["number"] for e in appended] == [e["node"] for e in appended] == list(range(len(engine.build_topo(root))))


def test_topo_events_of_a_small_graph_by_hand():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    d = e + a                                    # ids: a 0, b 1, e 2, d 3
    got = [(x["event"], x["node"], x["number"]) for x in lesson.topo_events(d)]
    assert got == [("visit", 3, None), ("visit", 2, None), ("visit", 0, None), ("append", 0, 0),
                   ("visit", 1, None), ("append", 1, 1), ("append", 2, 2), ("seen", 0, None), ("append", 3, 3)]


def test_topo_events_of_a_deep_chain_need_no_recursion():
    x = Value(0.5)
    for _ in range(5000):
        x = x * 1.0
    events = lesson.topo_events(x)
    assert sum(e["event"] == "append" for e in events) == len(engine.build_topo(x))


def test_nudge_predicts_with_the_grad_and_measures_with_a_new_forward_pass():
    x1, x2, w1, w2, b = (Value(v) for v in (2.0, 0.0, -3.0, 1.0, 6.8813735870195432))
    out = tanh_neuron(x1, x2, w1, w2, b)
    ids = {id(v): i for i, v in enumerate(engine.build_topo(out))}
    h = 0.01
    result = lesson.nudge(out, ids[id(w1)], h)
    f = lambda w: math.tanh(2.0 * w + 0.0 * 1.0 + 6.8813735870195432)   # the same function, with floats
    assert result["before"] == pytest.approx(f(-3.0), abs=1e-15)
    assert result["actual"] == pytest.approx(f(-3.0 + h) - f(-3.0), abs=1e-15)
    assert result["predicted"] == pytest.approx(2.0 * (1 - f(-3.0) ** 2) * h, abs=1e-15)
    assert abs(result["predicted"] - result["actual"]) < 2 * h * h   # they differ by the curvature, O(h**2)
    assert w1.data == -3.0 and out.data == pytest.approx(f(-3.0), abs=1e-15)   # everything put back


def test_nudge_out_of_the_domain_says_why_and_changes_nothing():
    x = Value(0.005, label="x")
    y = x.log()
    result = lesson.nudge(y, 0, -0.01)
    assert result["actual"] is None and "log" in result["error"]
    assert x.data == 0.005 and y.data == math.log(0.005)
    with pytest.raises(ValueError, match="not a leaf"):
        lesson.nudge(y, 1)
    with pytest.raises(ValueError, match="finite"):
        lesson.nudge(y, 0, float("nan"))


def test_training_step_phases_are_micrograds_loop():
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.5], [0.1, 0.9]]
    ys = [1, -1, 1, -1]
    model = nn.MLP(2, [4, 1], rng=random.Random(5))
    twin = nn.MLP(2, [4, 1], rng=random.Random(5))
    twin_params = twin.parameters()
    for p in twin_params:
        p.grad = 0.7          # stale grads from an earlier step: zero_grad must clear them
    for p in model.parameters():
        p.grad = 0.7
    step = lesson.TrainingStep(model, X, ys, loss="svm", alpha=1e-4, lr=0.05)
    records = []
    while not step.done:
        records.append(step.run_phase())
    assert [r["phase"] for r in records] == list(lesson.PHASES)
    # the same step written out as micrograd's demo writes it
    scores = [twin([Value(x) for x in row]) for row in X]
    data_loss = sum((1 + -y * s).relu() for y, s in zip(ys, scores)) * (1.0 / len(X))
    loss = data_loss + 1e-4 * sum(p * p for p in twin_params)
    assert records[0]["scores"] == [s.data for s in scores]
    assert records[0]["loss"] is None and records[0]["grad"] == [0.7] * len(twin_params)
    assert records[1]["loss"] == pytest.approx(loss.data, rel=1e-12)
    assert records[2]["grad"] == [0.0] * len(twin_params)
    twin.zero_grad()
    loss.backward()
    assert records[3]["grad"] == pytest.approx([p.grad for p in twin_params], rel=1e-12)
    before = [p.data for p in twin_params]
    for p in twin_params:
        p.data -= 0.05 * p.grad
    assert records[4]["data"] == pytest.approx([p.data for p in twin_params], rel=1e-12)
    assert records[3]["data"] == before
    with pytest.raises(RuntimeError):
        step.run_phase()
