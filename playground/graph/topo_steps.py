"""build_topo's steps in words: micrograd's depth-first sort, recorded by the engine (engine.lesson.topo_events:
visit a node, meet an input already visited, append a node to topo, which gives it its number).

The graph view's build_topo mode plays them on the Bokeh boxes (animation.js, topo_columns) and the Lesson
tab's build_topo tool on its own picture (playground/lesson/topo_panel.py): both say each step with
topo_captions.
"""
from engine import lesson as engine_lesson


def topo_captions(events, names, inputs):
    """One sentence per event. names: {id: name}; inputs: {id: [input ids in operand order]}."""
    captions, order = [], []
    for e in events:
        name, kids = names[e["node"]], [names[i] for i in inputs[e["node"]]]
        if e["event"] == "visit":
            caption = (f"visit {name}: mark it visited, then build_topo each of its inputs ({', '.join(kids)})."
                       if kids else f"visit {name}: a leaf, no inputs to visit.")
        elif e["event"] == "seen":
            caption = f"{name} is already visited (it is used more than once): nothing to do."
        else:
            order.append(e["node"])
            caption = (f"append {name}: every input of {name} is already in topo, so {name} gets number "
                       f"{e['number']}." if kids else
                       f"append {name}: a leaf goes straight into topo and gets number {e['number']}.")
        captions.append(caption)
    if captions:
        captions[-1] += (" The sort is done. backward() runs _backward in reverse: "
                         + ", ".join(str(i) for i in reversed(order)) + ".")
    return captions


def topo_columns(graph, names):
    """The ColumnDataSource columns of build_topo's steps on a drawn graph (graph: state.Graph; names: the
    drawing's name of each node id): event, node, number (-1 unless an append), caption."""
    events = engine_lesson.topo_events(graph.root, graph.trace)
    inputs = {n["id"]: n["inputs"] for n in graph.trace["nodes"]}
    return {"event": [e["event"] for e in events], "node": [e["node"] for e in events],
            "number": [-1 if e["number"] is None else e["number"] for e in events],
            "caption": topo_captions(events, names, inputs)}
