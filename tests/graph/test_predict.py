"""Predict mode's logic (playground/graph/predict.py), without a browser: the questions are the engine's own
backward steps, answers are checked within the tolerance, a node used twice asks for the sum, the hint is the
step's chain rule, the score counts first tries."""
import pytest

import engine
from playground.graph.drawing import is_constant
from playground.graph.predict import Predictions, is_right, parse_answer, questions
from playground.graph.presets import README_EXAMPLE, USED_TWICE
from playground.graph.state import make_graph


def readme_leaf_grads():
    a, b = engine.Value(-4.0), engine.Value(2.0)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    return a.grad, b.grad


def test_the_questions_end_with_the_engines_grads_and_skip_constants():
    graph = make_graph(README_EXAMPLE)
    asked = questions(graph)
    names = {n["id"]: n["label"] for n in graph.trace["nodes"]}
    assert asked[1].expected == 1.0 and asked[1].name == "g"
    last = {}
    for k, q in asked.items():
        last[q.node] = q.expected
        assert q.expected == graph.steps[k - 1]["grad_after"]
    a_id = next(i for i, label in names.items() if label == "a")
    b_id = next(i for i, label in names.items() if label == "b")
    assert (last[a_id], last[b_id]) == pytest.approx(readme_leaf_grads(), rel=1e-12)
    constants = [k for k, s in enumerate(graph.steps, 1) if k not in asked]
    nodes = {n["id"]: n for n in graph.trace["nodes"]}
    assert constants and all(is_constant(nodes[graph.steps[k - 1]["node"]]) for k in constants)


def test_a_value_used_twice_asks_for_the_sum_and_the_hint_says_add():
    graph = make_graph(USED_TWICE)            # b = a + a, a = 3
    asked = questions(graph)
    first, second = asked[2], asked[3]
    assert (first.expected, first.summed) == (1.0, False)
    assert (second.expected, second.before, second.summed) == (2.0, 1.0, True)
    assert "give the sum" in second.prompt and "+=" in second.prompt
    assert "add what a already held: 1 + that product" in second.hint
    predictions = Predictions(asked, len(graph.steps))
    assert predictions.answer(3, "1")[0] == "wrong"          # the contribution alone: the += bug
    verdict, message = predictions.answer(3, "2")
    assert verdict == "right" and message == "Right: a.grad = 1 + 1 = 2."


def test_the_hint_puts_the_numbers_into_the_local_derivative_then_the_product():
    graph = make_graph("a = 2.0\nb = -3.0\nc = a * b\nL = c * 4.0\n")
    asked = questions(graph)
    hints = {q.name: q.hint for q in asked.values()}
    assert hints["a"] == ("c = a * b, so the local derivative dc/da = b = -3. Chain rule: multiply it by the "
                          "upstream grad dL/dc = 4: -3 \u00d7 4.")
    assert {q.name: q.expected for q in asked.values()} == {"L": 1.0, "c": 4.0, "a": -12.0, "b": 8.0}


@pytest.mark.parametrize("text, value", [("-3", -3.0), (" 0.5 ", 0.5), ("1e-2", 0.01), ("2/3", 2 / 3),
                                         ("\u22124", -4.0), (".5", 0.5)])
def test_answers_a_student_types(text, value):
    assert parse_answer(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1/0", "__import__('os')", "2*3", "1e999", "9" * 70, "nan", "inf"])
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(ValueError, match="number|divide|finite"):
        parse_answer(text)


def test_tolerance_is_relative_and_absolute_near_zero():
    assert is_right(138.84, 138.8338) and not is_right(138.5, 138.8338)
    assert is_right(0.0009, 0.0) and not is_right(0.002, 0.0)
    assert is_right(-0.0042, -0.00416493) and not is_right(-0.0062, -0.00416493)


def test_score_counts_first_tries_and_shown_answers_close_a_question():
    graph = make_graph(README_EXAMPLE)
    asked = questions(graph)
    p = Predictions(asked, len(graph.steps))
    assert p.score_text() == "No answers yet"
    assert p.answer(1, "1")[0] == "right"
    assert p.answer(2, "x")[0] == "invalid" and p.score() == (1, 1)     # not a number: no try counted
    assert p.answer(2, "5")[0] == "wrong"
    assert p.answer(2, "1")[0] == "right"
    p.show(5)
    assert p.score_text() == "1 of 3 right first time"
    shown = p.revealed()
    assert {1, 2, 5} <= set(shown) and 3 not in shown
    assert all(k in shown for k in range(1, len(graph.steps) + 1) if k not in asked)   # constants ask nothing
