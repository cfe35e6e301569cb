"""Every built-in exercise (playground/lesson/exercises.py), solved by a scripted student at the check level:
not solved as it opens, a wrong attempt not accepted, the student's solution accepted. The training ones train
for real (TrainingRun, as the page does). tests/browser/test_predict_and_exercises.py solves each of them in the
page."""
import pytest

from playground import document as D
from playground.lesson.checks import evaluate
from playground.lesson.exercises import EXERCISES, exercises_tour
from playground.lesson.facts import DocumentFacts
from playground.lesson.tour import link_fragment
from playground.live_document import PlaygroundDocument
from playground.training.controller import TrainingRun

# title -> (a wrong attempt, the solution): leaf values for the graph, settings and steps for training
STUDENT = {
    "The gradient of a product": ({"guess": 12.0}, {"guess": -12.0}),
    "A value used twice": ({"guess": 3.0}, {"guess": 6.0}),
    "Make a.grad zero": ({"b": 0.0}, {"b": -1.0}),
    "A dead ReLU": ({"x": 0.0}, {"w": -1.0}),
    "Follow the gradient": ({"w2": 4.0}, {"w2": 6.0}),
    "backward twice without zero_grad": ({"guess": 2.0}, {"guess": 4.0}),
    "A learning rate that diverges": (({"learning_rate": 1.0}, 50), ({"learning_rate": 100.0}, 50)),
    "A learning rate that converges": (({"learning_rate": 0.01}, 300), ({"learning_rate": 0.5}, 300)),
    "The smallest network for the circles": (({"hidden_layers": [2]}, 1000), ({"hidden_layers": [4]}, 1000)),
    "The spiral": (({"hidden_layers": [16, 16]}, 1500), ({"hidden_layers": [8, 8]}, 1500)),
}


class TrainingViewStub:
    """What the facts read of the training view: its run."""

    def __init__(self, settings):
        self.run = TrainingRun(settings)


def opened(lesson):
    doc, _, error = D.read_fragment(link_fragment(lesson["link"]))
    assert error is None
    document = PlaygroundDocument()
    document.graph.param.update(program=doc["graph"]["program"], values={})
    document.training.param.update(**{k: v for k, v in doc["training"].items() if k in D.SETTINGS_KEYS})
    return document


def attempt(document, change):
    if isinstance(change, dict):           # leaf values in the graph
        document.graph.values = dict(document.graph.values, **change)
        assert document.graph.error == ""
        return
    settings, steps = change                # new settings, a fresh run, then train
    document.training.param.update(**settings)
    document.training_view = TrainingViewStub(document.training)
    document.training_view.run.train(max_steps=steps)


def test_there_are_eight_to_twelve_exercises_and_each_has_a_scripted_student():
    tour = exercises_tour()
    assert 8 <= len(tour["lessons"]) <= 12
    assert [lesson["title"] for lesson in tour["lessons"]] == list(STUDENT) == [e[0] for e in EXERCISES]
    assert all(lesson["task"] and lesson["hint"] and lesson["link"] for lesson in tour["lessons"])


@pytest.mark.parametrize("index", range(len(STUDENT)))
def test_each_exercise_is_not_solved_at_first_refuses_a_wrong_attempt_and_takes_the_solution(index):
    lesson = exercises_tour()["lessons"][index]
    wrong, right = STUDENT[lesson["title"]]
    for change, solved in ((None, False), (wrong, False), (right, True)):
        document = opened(lesson)
        if change is not None:
            attempt(document, change)
        ok, lines = evaluate(lesson["check"], DocumentFacts(document))
        assert ok is solved, (lesson["title"], change, lines)
