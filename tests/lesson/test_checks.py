"""The exercises' condition language (playground/lesson/checks.py): bad conditions are refused with a message
that names the problem, good ones are evaluated on a live document (playground/lesson/facts.py) and say what
they checked."""
import pytest

from playground.lesson import tour as T
from playground.lesson.checks import CheckError, check_condition, describe, evaluate
from playground.lesson.facts import DocumentFacts
from playground.live_document import PlaygroundDocument


class Facts:
    def __init__(self, **known):
        self.known = known

    def fact(self, quantity, node=None):
        return self.known.get(f"{node}.{quantity}" if node else quantity)


@pytest.mark.parametrize("condition, message", [
    ("a.grad == 0", "must be an object"),
    ({}, "must be an object"),
    ({"node": "a"}, "a node condition is"),
    ({"node": "a", "grad": 0, "value": 1}, "a node condition is"),
    ({"node": "a; import os", "grad": 0}, "must name a node"),
    ({"node": "a", "grad": "0"}, "must be a number"),
    ({"node": "a", "grad": float("nan")}, "must be a number"),
    ({"node": "a", "grad": 1e300}, "must be a number"),
    ({"node": "a", "grad": {"min": 2, "max": 1}}, "nothing could pass"),
    ({"node": "a", "grad": {"sign": "positive"}}, "sign must be"),
    ({"node": "a", "grad": {"above": 1}}, "must be a number, {\"min\""),
    ({"node": "a", "grad": {"min": 0}, "tol": 0.1}, "\"tol\" goes with a number"),
    ({"node": "a", "grad": 0, "tol": -1}, "tol must be"),
    ({"eval": "__import__('os')"}, "must say what it checks"),
    ({"loss": {"max": 0.1}, "within_steps": 0}, "within_steps must be"),
    ({"loss": {"max": 0.1}, "within_steps": True}, "within_steps must be"),
    ({"output": {"sign": "+"}, "within_steps": 10}, "unknown field 'within_steps'"),
    ({"diverged": "yes"}, "true or false"),
    ({"dataset": "<b>circles</b>"}, "must be a name"),
    ({"all": []}, "takes a list of 1 to 10"),
    ({"all": [{"output": 1}], "any": [{"output": 1}]}, "alone"),
    ({"any": [{"output": 1}] * 11}, "1 to 10"),
    ({"all": [{"all": [{"all": [{"all": [{"output": 1}]}]}]}]}, "nests deeper"),
    ({"all": [{"output": 1}, {"node": "b", "grad": "x"}]}, r"all\[1\]'s grad must be a number"),
])
def test_bad_conditions_are_refused_with_a_clear_message(condition, message):
    with pytest.raises(CheckError, match=message):
        check_condition(condition)


def test_a_tour_with_a_bad_condition_is_refused_like_a_bad_document():
    lesson = {"title": "x", "text": "y", "task": "Make a.grad zero", "check": {"node": "a", "grad": "zero"}}
    with pytest.raises(T.TourError, match="lesson 1's check's grad must be a number"):
        T.check_tour({"title": "t", "lessons": [lesson]})
    with pytest.raises(T.TourError, match="needs both a task and a check"):
        T.check_tour({"title": "t", "lessons": [{"title": "x", "text": "y", "check": {"output": 1}}]})
    packed = T.pack({"title": "t", "lessons": [dict(lesson, check={"output": {"sign": "+"}})]})
    assert T.unpack(packed)["lessons"][0]["check"] == {"output": {"sign": "+"}}


def test_evaluate_says_what_was_checked_and_what_was_found():
    condition = check_condition({"all": [{"node": "a", "grad": 0, "tol": 1e-6},
                                         {"test_accuracy": {"min": 0.9}, "within_steps": 500},
                                         {"hidden_neurons": {"max": 4}}]})
    ok, lines = evaluate(condition, Facts(**{"a.grad": 0.0, "test_accuracy": 0.95, "training_step": 420,
                                             "hidden_neurons": 4}))
    assert ok and lines == ["\u2713 a.grad = 0 (within 1e-06): it is 0",
                            "\u2713 the test accuracy at least 90.0 % within 500 training steps: it is 95.0 %",
                            "\u2713 the hidden neurons (all layers) at most 4: it is 4"]
    ok, lines = evaluate(condition, Facts(**{"a.grad": 0.0, "test_accuracy": 0.95, "training_step": 501,
                                             "hidden_neurons": 4}))
    assert not ok and "after 501 steps" in lines[1]
    ok, lines = evaluate(check_condition({"any": [{"node": "z", "value": 1}, {"output": {"sign": "-"}}]}),
                         Facts(output=0.5))
    assert not ok and lines == ["\u2717 z.data = 1 (within 1e-06): there is no node named z in the graph",
                                "\u2717 the output negative: it is 0.5"]
    assert describe(check_condition({"diverged": True})) == "the training diverged: yes"
    assert evaluate(check_condition({"loss": {"max": 0.1}}), Facts(loss=float("nan")))[0] is False


def test_facts_read_the_live_document():
    document = PlaygroundDocument()
    document.graph.program = "a = 2.0\nb = 3.0\nguess = 1.5\nc = a * b + a\n"
    facts = DocumentFacts(document)
    assert facts.fact("grad", "a") == 4.0 and facts.fact("value", "c") == 8.0 and facts.fact("output") == 8.0
    assert facts.fact("value", "guess") == 1.5 and facts.fact("value", "nothing") is None
    assert facts.fact("hidden_neurons") == 32 and facts.fact("dataset") == "moons"
    assert facts.fact("training_step") == 0 and facts.fact("diverged") is False and facts.fact("loss") is None
