"""Predict in "One training step" (playground/lesson/weight_predict.py and its panel), driven as the page drives
it: the followed weight's grad hidden after backward and asked for, its new value after the update; right and
wrong by the graph's predict rule; hints made of the step's numbers; the score over steps."""
import re

import pytest

from playground.graph import predict
from playground.lesson.training_step import TrainingStepPanel
from playground.lesson.weight_predict import GRAD, UPDATE, grad_question, step_questions, update_question


def table_row(panel, phase):
    """The cells of the weight table's row of `phase`."""
    row = re.search(rf"<tr class='[^']*'><td>{phase}</td>(.*?)</tr>", panel.watch_table.object)
    return re.findall(r"<td>([^<]*)</td>", row[1])


def answer(panel, text):
    panel.predict.answer.value_input = text
    panel.predict.answer.param.trigger("enter_pressed")       # Enter in the box


def run(panel, phases):
    for _ in range(phases):
        panel.next_button.clicks += 1


def test_the_grad_is_hidden_asked_refused_with_a_hint_then_taken():
    panel = TrainingStepPanel()
    panel.predict.toggle.value = True
    assert panel.predict.current is None and "Press Next phase" in panel.predict.prompt.object
    run(panel, 3)                                          # forward, loss, zero_grad: nothing to work out yet
    assert panel.predict.current is None and panel.predict.answer.disabled
    run(panel, 1)                                          # backward
    index = [p.label for p in panel.network.parameters()].index("L1N1w1")
    grad = panel.records[-1]["grad"][index]
    assert table_row(panel, "backward")[1] == "?"          # the student's to work out
    question = panel.predict.current
    assert question.kind == GRAD and question.expected == grad
    assert "what is L1N1w1.grad now" in panel.predict.prompt.object and not panel.predict.answer.disabled
    assert "a11y-announce" in panel.predict.feedback.css_classes   # the verdicts are said by the live region

    answer(panel, "0.5")
    feedback = panel.predict.feedback.object
    assert "Not right (0.5; try 1)." in feedback and "Hint:" in feedback
    # the hint: the loss's two parts with this step's numbers; they add up to the grad
    l2 = 2 * 1e-4 * panel.start_data[index]
    assert f"= {predict.number(grad - l2)} + 2 \u00d7 0.0001 \u00d7 " in feedback
    assert re.search(r"inside the margin \(y \u00d7 score &lt; 1: \d+ of 30\)", feedback)
    assert table_row(panel, "backward")[1] == "?" and panel.predict.show_button.visible
    answer(panel, "not a number")                          # not a try: the count stays at 1
    assert "Not a number" in panel.predict.feedback.object
    answer(panel, f"{grad * (1 + 5e-4)}")                  # within the tolerance
    assert f"Right: L1N1w1.grad = {predict.number(grad)}." in panel.predict.feedback.object
    assert table_row(panel, "backward")[1] == f"{grad:.6f}"
    assert panel.predict.current is None and panel.predict.answer.disabled
    assert "Score: 0 of 1 right first time." in panel.predict.score.object


def test_the_update_is_asked_after_the_grad_and_the_score_runs_over_steps():
    panel = TrainingStepPanel()
    panel.predict.toggle.value = True
    panel.whole_button.clicks += 1                         # all five phases: both questions, the grad first
    index = [p.label for p in panel.network.parameters()].index("L1N1w1")
    w, grad, new = panel.start_data[index], panel.records[3]["grad"][index], panel.records[4]["data"][index]
    assert table_row(panel, "update") == ["?", "?", "?"]   # new value, grad and the move all hidden
    assert panel.predict.current.kind == GRAD
    answer(panel, f"{grad}")
    assert "Right: L1N1w1.grad" in panel.predict.feedback.object   # the verdict stays as the next is asked
    question = panel.predict.current
    assert question.kind == UPDATE and question.expected == new
    assert table_row(panel, "update")[:2] == ["?", f"{grad:.6f}"]
    answer(panel, f"{w}")                                  # forgot the update: refused, the hint has the product
    product = 0.5 * grad
    assert "Not right" in panel.predict.feedback.object
    assert f"the product lr \u00d7 grad is {predict.number(product)}" in panel.predict.feedback.object
    panel.predict.show_button.clicks += 1                  # Show the answer
    assert "The answer: L1N1w1.data = " in panel.predict.feedback.object
    assert table_row(panel, "update")[0] == f"{new:.6f}" and new == pytest.approx(w - product, abs=1e-12)
    assert "Score: 1 of 2 right first time." in panel.predict.score.object

    run(panel, 5)          # Next phase starts the next step (the first press), to its backward: a new question
    assert panel.predict.current.key[0] == 2 and panel.predict.feedback.object == ""
    panel.weight.value = "L1N2w1"                          # following another weight: its grad is asked
    assert panel.predict.current.key == (2, "L1N2w1", GRAD) and table_row(panel, "backward")[1] == "?"
    panel.predict.toggle.value = False                     # off: every number shows again
    assert "?" not in table_row(panel, "backward") and not panel.predict._layout.visible


def test_questions_follow_the_phases_and_the_optimiser():
    panel = TrainingStepPanel()
    run(panel, 5)
    args = (1, "L1N1w1", 0, panel.start_data[0], panel.records)
    assert [q.kind for q in step_questions(*args, panel.step, "sgd")] == [GRAD, UPDATE]
    assert [q.kind for q in step_questions(*args, panel.step, "adam")] == [GRAD]   # Adam's move: not grad alone
    assert step_questions(1, "L1N1w1", 0, 0.0, panel.records[:3], panel.step, "sgd") == []


def test_the_hints_are_the_steps_numbers():
    q = grad_question(3, "w", -0.5, -0.0879, 1e-4, scores=[0.5, 2.0, -1.0], ys=[1, 1, 1], loss="svm")
    assert q.key == (3, "w", GRAD) and q.answer_text() == "w.grad = -0.0879"
    assert "= -0.0878 + 2 \u00d7 0.0001 \u00d7 (-0.5) = -0.0878 + (-0.0001)." in q.hint
    assert "the sum of their d loss_i / d w, -0.2634, divided by 3" in q.hint
    assert "(y \u00d7 score < 1: 2 of 3)" in q.hint
    plain = grad_question(1, "w", 0.2, 0.3, 0, scores=[1.0], ys=[1], loss="mse")
    assert "points' part alone" in plain.hint and "margin" not in plain.hint
    u = update_question(1, "w", 0.25, 0.1, -2.0, 0.45)
    assert "0.25 - 0.1 \u00d7 (-2)" in u.hint and "the product lr \u00d7 grad is -0.2" in u.hint
    assert u.answer_text() == "w.data = 0.25 - 0.1 \u00d7 (-2) = 0.45"
    # checked as the graph's predict mode checks: one rule
    marks = predict.Predictions({}, 0)
    marks.ask(u.key, u)
    assert marks.answer(u.key, "0.4505")[0] == "right"     # within 1e-3
    marks = predict.Predictions({}, 0)
    marks.ask(u.key, u)
    assert marks.answer(u.key, "0.452")[0] == "wrong" and marks.answer(u.key, "9/20")[0] == "right"
