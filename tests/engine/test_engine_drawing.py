"""A Value in a notebook: its graph as SVG (engine/drawing.py), valid XML holding every node, everything escaped."""
import xml.etree.ElementTree as ET

from engine import OPS, Value, draw_svg, fresh_backward, trace

SVG = "{http://www.w3.org/2000/svg}"


def neuron():
    """micrograd's lecture neuron, with a shared input (x1 used twice), a number exponent and a constant."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b + x1 ** 2 / 10
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    fresh_backward(o)
    return o


def groups(svg, kind):
    """{node id: [texts]} of the <g class=kind> groups."""
    root = ET.fromstring(svg)   # raises on anything that is not well-formed XML
    return {int(g.get("data-node")): [t.text for t in g.iter(f"{SVG}text")]
            for g in root.iter(f"{SVG}g") if g.get("class") == kind}


def test_the_svg_repr_is_xml_with_every_nodes_label_data_and_grad_and_every_op():
    o = neuron()
    svg = o._repr_svg_()
    assert svg == draw_svg(o)
    nodes = trace(o)["nodes"]
    values, ops = groups(svg, "value"), groups(svg, "op")
    assert sorted(values) == [n["id"] for n in nodes]
    for node in nodes:
        expected = ([node["label"]] if node["label"] else []) + [f"data {node['data']:.4f}", f"grad {node['grad']:.4f}"]
        assert values[node["id"]] == expected
        if node["op"]:
            assert ops[node["id"]] == [OPS[node["op"]].label(node["exponent"])]
    assert sorted(ops) == [n["id"] for n in nodes if n["op"]]
    assert ops[nodes[-1]["id"]] == ["tanh"] and ["**2"] in ops.values()
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert f"{len(nodes)} nodes" in root.get("aria-label")


def test_labels_are_escaped_never_markup():
    hostile = '</text><script>alert("x")</script><text>&amp;'
    a = Value(1.0, label=hostile)
    b = a * 2
    b.label = '"><svg onload=alert(1)>'
    svg = draw_svg(b)
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert all(not any(k.startswith("on") for k in e.attrib) for e in root.iter())
    texts = groups(svg, "value")
    assert hostile in texts[0] and b.label in texts[2]
    assert b.label in root.get("aria-label")


def test_every_node_sits_in_its_own_box_right_of_its_inputs():
    o = neuron()
    root = ET.fromstring(draw_svg(o))
    boxes = {int(g.get("data-node")): next(g.iter(f"{SVG}rect")).attrib
             for g in root.iter(f"{SVG}g") if g.get("class") == "value"}
    rects = {i: (float(r["x"]), float(r["y"]), float(r["x"]) + float(r["width"]), float(r["y"]) + float(r["height"]))
             for i, r in boxes.items()}
    for i, a in rects.items():
        for j, b in rects.items():
            if i < j:   # no two boxes overlap
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (i, j)
    for node in trace(o)["nodes"]:
        for k in node["inputs"]:
            assert rects[k][2] < rects[node["id"]][0]
    width, height = float(root.get("width")), float(root.get("height"))
    assert max(r[2] for r in rects.values()) <= width and max(r[3] for r in rects.values()) <= height


def test_a_single_leaf_draws():
    values = groups(draw_svg(Value(3.5)), "value")
    assert values == {0: ["data 3.5000", "grad 0.0000"]}


def test_a_graph_too_big_for_a_notebook_shows_as_text_but_still_draws():
    from engine.drawing import MAX_INLINE_NODES
    big = sum((Value(float(k)) for k in range(MAX_INLINE_NODES // 2 + 1)), Value(0.0))
    assert big._repr_svg_() is None
    assert len(groups(draw_svg(big), "value")) > MAX_INLINE_NODES
