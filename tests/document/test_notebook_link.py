"""engine.playground_link: a link made in a notebook opens, through the page's own decoder
(playground/document.py), the same graph (and the same trained MLP on the same points)."""
import math
import random

import numpy as np
import pytest

import engine
from engine import Value, fresh_backward, link, playground_link, program
from engine.nn import MLP
from playground import document as D
from playground.graph import language
from playground.graph.state import make_graph
from playground.live_document import PlaygroundDocument, default_document
from playground.training import state as training_state
from playground.training.state import TrainingSettings


def notebook_value():
    """What a student writes in a notebook: named and unnamed nodes, a node used twice, a constant, a number
    exponent, a label that is no name in the page's language, and several ops of the table."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a.exp() / 4
    d = (c ** 2).tanh() - b.relu() + a
    d.label = "d"
    e = Value(0.5, label="not a name!")
    out = (d * e).sigmoid() + c.sin()
    out.label = "out"
    return out


def decoded(url, base="http://127.0.0.1:8000/"):
    assert url.startswith(base + "#d=1.")
    doc, options, error = D.read_fragment(url[len(base):])
    assert error is None and doc is not None
    return doc, options


def test_a_notebook_values_link_decodes_to_the_same_graph():
    root = notebook_value()
    fresh_backward(root)
    doc, options = decoded(playground_link(root, base_url="http://127.0.0.1:8000/", title="From  my\nnotebook"))
    assert doc["view"] == "graph" and doc["title"] == "From my notebook"
    assert doc["training"] == default_document()["training"]   # the training view is left as a fresh page has it
    graph = make_graph(doc["graph"]["program"], doc["graph"]["values"])
    mine, theirs = engine.trace(root)["nodes"], graph.trace["nodes"]
    assert len(theirs) == len(mine)
    for m, t in zip(mine, theirs):
        assert (t["op"], t["exponent"], t["inputs"]) == (m["op"], m["exponent"], m["inputs"])
        if language.NAME.match(m["label"]):
            assert t["label"] == m["label"]
        assert t["data"] == pytest.approx(m["data"], rel=1e-11, abs=1e-12)
        assert t["grad"] == pytest.approx(m["grad"], rel=1e-9, abs=1e-12)


def test_labels_the_language_cannot_assign_or_that_clash_with_made_up_names_still_open():
    a = Value(1.5, label="lambda")          # a Python keyword: not a name the page can assign
    b = Value(2.0, label="None")
    shared = a * b                          # unnamed, used twice: it gets a made-up name n<id>...
    c = shared + shared
    c.label = "n2"                          # ...which this label already holds
    d = c * shared
    d.label = "out"
    doc, _ = decoded(playground_link(d))
    graph = make_graph(doc["graph"]["program"])
    assert [n["op"] for n in graph.trace["nodes"]] == [n["op"] for n in engine.trace(d)["nodes"]]
    assert graph.root.data == d.data and graph.trace["nodes"][-1]["label"] == "out"


def test_the_link_is_the_pages_own_encoding_of_that_document():
    root = notebook_value()
    url = playground_link(root, base_url="https://example.org/course/playground/#old")
    doc, _ = decoded(url, "https://example.org/course/playground/")
    assert url.endswith(D.make_fragment(doc))   # same JSON, same dictionary, same packing as the page's Share


def test_the_engine_and_the_page_agree_on_the_limits_and_defaults():
    assert program.FUNCTIONS == language.FUNCTIONS and program.NAME.pattern == language.NAME.pattern
    assert (link.MAX_NODES, link.MAX_PROGRAM_CHARS, link.MAX_LEAF) == (
        language.MAX_NODES, language.MAX_CHARS, language.MAX_LEAF)
    assert link.SCHEMA_VERSION == D.SCHEMA_VERSION and link.MAX_LINK_CHARS == D.MAX_LINK_CHARS
    assert link.TRAINING_DEFAULTS == default_document()["training"]
    assert set(link.ACTIVATIONS) == set(D.ACTIVATIONS)
    assert (link.MAX_HIDDEN_LAYERS, link.MAX_NEURONS, link.MAX_POINTS, link.BIG) == (
        training_state.MAX_HIDDEN_LAYERS, training_state.MAX_NEURONS, training_state.MAX_ADDED, training_state.BIG)


def test_an_mlp_with_its_points_opens_with_the_same_predictions():
    from playground.training.view import TrainingView

    model = MLP(2, [4, 3, 1], activation="tanh", rng=random.Random(5))
    points = [(math.cos(k), math.sin(2 * k)) for k in range(30)]
    labels = [1 if x1 * x2 > 0 else -1 for x1, x2 in points]
    doc, _ = decoded(playground_link(base_url="http://127.0.0.1:8000/", model=model, points=points, labels=labels))
    training = doc["training"]
    assert doc["view"] == "training"
    assert training["hidden_layers"] == [4, 3] and training["activation"] == "tanh"
    assert training["dataset"] == "custom" and training["added_points"] == [[x1, x2, y] for (x1, x2), y in
                                                                         zip(points, labels)]

    document = PlaygroundDocument(training=TrainingSettings())
    view = TrainingView(document.training, run_changed=document.run_changed)
    document.attach(view)
    document.restore(doc)
    X = np.array(points)
    assert view.run.model.scores(X) == pytest.approx([model(list(map(Value, x))).data for x in points], rel=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: playground_link(), "give a Value"),
    (lambda: playground_link(sum((Value(1.0) for _ in range(1001)), Value(0.0))), "at most 2,000"),
    (lambda: playground_link(model=MLP(3, [2, 1])), "MLP\\(2"),
    (lambda: playground_link(model=MLP(2, [2, 2])), "MLP\\(2"),
    (lambda: playground_link(model=MLP(2, [17, 1])), "16 neurons"),
    (lambda: playground_link(model=MLP(2, [2, 1]), points=[(0, 0)], labels=[0]), "-1 or \\+1"),
    (lambda: playground_link(model=MLP(2, [2, 1]), points=[(0, float("nan"))], labels=[1]), "finite"),
    (lambda: playground_link(model=MLP(2, [2, 1]), points=[(0, 0)] * 1001, labels=[1] * 1001), "at most 1,000"),
    (lambda: playground_link(Value(1.0), title="x" * 101), "100 characters"),
    (lambda: playground_link(Value(2e15, label="big") * 2), "within"),
    (lambda: playground_link(Value(float("inf")) * 2), "finite"),
])
def test_what_the_page_would_refuse_is_refused_in_the_notebook_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()
