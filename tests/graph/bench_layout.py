"""How long the graph layout takes at 300 nodes and at the 2,000-node limit. Prints JSON, asserts nothing.

    .venv/bin/python -m tests.graph.bench_layout

The graphs: one sample through a 2-8-8-1 MLP with its loss (the ~300-node preset), the same through a
2-16-16-16-1 MLP (~1,800 nodes), and a contrived 2,000-node chain in which every node also uses one input
(the worst case for long edges: each new node adds a column the input's edge must cross).
"""

import json
import platform
import random
import time

import engine
from engine import losses, nn
from playground.graph.layout import layered_graph, layout
from playground.graph.presets import mlp_sample_loss


def big_mlp_sample():
    """One sample through a 2-16-16-16-1 MLP and its loss: ~1,800 nodes."""
    model = nn.MLP(2, [16, 16, 16, 1], rng=random.Random(0))
    score = model([engine.Value(0.5, label="x1"), engine.Value(-1.25, label="x2")])
    return losses.svm(score, engine.Value(1.0, label="y"))


def shared_input_chain(n=2000):
    """s_k = s_(k-1) * 0.5 + x: 2,000 nodes where x feeds every second column."""
    x = engine.Value(0.3, label="x")
    s = x
    while len(engine.build_topo(s)) + 4 <= n:
        s = s * 0.5 + x
    return s


def graphs():
    return {"2-8-8-1 MLP sample + loss": mlp_sample_loss((8, 8), seed=2882),
            "2-16-16-16-1 MLP sample + loss": big_mlp_sample(),
            "chain sharing one input": shared_input_chain()}


def measure(root, repeat=3):
    nodes = engine.trace(root)["nodes"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = layout(nodes)
        times.append(time.perf_counter() - start)
    column, _ = layered_graph(nodes)
    return {"nodes": len(nodes), "waypoints": len(column) - len(nodes), "columns": max(column.values()) + 1,
            "crossings": result["crossings"], "naive_crossings": layout(nodes, sweeps=0)["crossings"],
            "seconds_best": round(min(times), 4), "seconds_worst": round(max(times), 4)}


def main():
    report = {"python": platform.python_version(), "machine": platform.machine(),
              "layouts": {name: measure(root) for name, root in graphs().items()}}
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
