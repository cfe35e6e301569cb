"""The graph: topological order, backward (accumulating and fresh), trace, events, deep chains."""
import json
import sys

import micrograd.engine as mg
import pytest

from engine import Value, backward, backward_events, build_topo, fresh_backward, forward, trace


def expression(V):
    """The same expression with micrograd's ops only, for either engine's Value class."""
    a, b, c = V(2.0), V(-3.0), V(10.0)
    e = a * b
    d = e + c
    f = V(-2.0)
    h = (d * f + a ** 2 + (a * c).relu() * b) ** 2
    return h, (a, b, c, f)


def test_backward_twice_accumulates_like_micrograd_and_fresh_does_not():
    ours, our_leaves = expression(Value)
    theirs, their_leaves = expression(mg.Value)
    for _ in range(2):
        ours.backward()
        theirs.backward()
        assert [v.grad for v in our_leaves] == pytest.approx([v.grad for v in their_leaves], rel=1e-15)
    once, leaves = expression(Value)
    once.backward()
    first = [v.grad for v in leaves]
    assert [v.grad for v in our_leaves] != first  # the second plain backward changed them
    for _ in range(3):
        once.backward(fresh=True)
        assert [v.grad for v in leaves] == first
        fresh_backward(once)
        assert [v.grad for v in leaves] == first


def test_topo_order_is_micrograds_recursive_order():
    def recursive(v, topo, seen):
        if v not in seen:
            seen.add(v)
            for child in v._prev:
                recursive(child, topo, seen)
            topo.append(v)
        return topo
    h, _ = expression(Value)
    assert build_topo(h) == recursive(h, [], set())


def test_deep_chain_at_the_default_recursion_limit():
    assert sys.getrecursionlimit() <= 1000 + 100  # pytest leaves it at CPython's default
    x0 = x = Value(1.0)
    for _ in range(100_000):
        x = x * 1.0001
    x.backward()
    assert x.data == pytest.approx(1.0001 ** 100_000, rel=1e-9)
    assert x0.grad == pytest.approx(1.0001 ** 100_000, rel=1e-9)  # d x / d x0


def test_trace_is_plain_ordered_data():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    d = (c + a).tanh()
    d.label = "d"
    fresh_backward(d)
    t = trace(d)
    assert json.loads(json.dumps(t)) == t
    assert [n["id"] for n in t["nodes"]] == list(range(5))
    assert [(n["label"], n["op"], n["inputs"]) for n in t["nodes"]] == [
        ("a", "", []), ("b", "", []), ("", "*", [0, 1]), ("", "+", [2, 0]), ("d", "tanh", [3])]
    assert t["nodes"][0]["grad"] == a.grad and t["nodes"][4]["data"] == d.data
    locals_ = {(e["source"], e["target"]): e["local"] for e in t["edges"]}
    assert locals_ == {(0, 2): -3.0, (1, 2): 2.0, (2, 3): 1.0, (0, 3): 1.0, (3, 4): 1 - d.data ** 2}
    assert trace(d) == t  # stable


def test_backward_events_replay_the_engine():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c = c * c
    events = backward_events(c)
    grads = [0.0] * len(trace(c)["nodes"])
    grads[-1] = 1.0
    for event in events:  # replaying the events rebuilds every grad the engine computed
        assert event["upstream"] == grads[event["node"]]
        for inp in event["inputs"]:
            assert inp["contribution"] == inp["local"] * event["upstream"]
            grads[inp["node"]] += inp["contribution"]
            assert grads[inp["node"]] == inp["grad_after"]
    assert [n["grad"] for n in trace(c)["nodes"]] == grads
    assert [e["node"] for e in events] == [4, 3, 2]  # reverse topological, leaves skipped
    assert len(events[0]["inputs"]) == 2 and events[0]["inputs"][0]["grad_after"] != events[0]["inputs"][1]["grad_after"]
    assert backward_events(c) == events  # fresh each time


def test_forward_recomputes_with_number_exponents_kept():
    x = Value(3.0)
    y = (x ** 2 + 2 ** x).log()
    x.data = 1.0
    assert forward(y) == pytest.approx(1.0986122886681098)  # log(1 + 2)
    assert (y._prev[0]._prev[0]._op, y._prev[0]._prev[0]._exponent) == ("**n", 2)


def test_backward_module_function_matches_method():
    h1, l1 = expression(Value)
    h2, l2 = expression(Value)
    backward(h1)
    h2.backward()
    assert [v.grad for v in l1] == [v.grad for v in l2]
