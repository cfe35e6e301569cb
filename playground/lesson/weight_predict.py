"""Predict in "One training step": the student works out the followed weight's numbers before the table shows
them: its grad once backward has run, its new value once the update has (plain SGD: w - lr * grad).

Pure (no Panel): weight_predict_view.py is the page's half. Answers are checked as the graph view's predict mode
checks them (playground/graph/predict.py: the same parser, the same tolerance, the same Predictions record and
score). A wrong answer earns a hint made of the step's own numbers: for the grad, the loss's two parts (the
points' mean and the L2 penalty's 2 * alpha * w); for the update, w, lr, grad and their product.

    step_questions(number, name, w, records, step, optimizer)   the questions of the phases run so far
"""
from dataclasses import dataclass

from playground.graph.predict import number

GRAD, UPDATE = "grad", "update"      # the two questions, in the order they are asked


@dataclass(frozen=True)
class WeightQuestion:
    key: tuple          # (step number, weight name, GRAD or UPDATE): one question per step, weight and kind
    expected: float     # the engine's own number
    prompt: str
    hint: str
    answer: str

    @property
    def kind(self):
        return self.key[2]

    def answer_text(self):
        return self.answer


def _term(x):
    """A number as a term of a sum or product: a negative one in parentheses."""
    return number(x) if x >= 0 else f"({number(x)})"


def grad_question(step_number, name, w, grad, alpha, scores, ys, loss):
    """The weight's grad after backward. w: its value during the step; scores, ys: the batch's scores and
    labels; loss: the engine's loss name ("svm" is micrograd's max-margin loss)."""
    n = len(ys)
    prompt = (f"Backward has run: what is {name}.grad now, d loss / d {name}? Its sign says which way the loss "
              f"rises as {name} grows.")
    l2 = 2 * alpha * w
    points = grad - l2          # the mean of the points' d loss_i / d w
    hint = f"loss = (the mean of the {n} points' losses)"
    if alpha:
        hint += (f" + alpha \u00d7 \u03a3p\u00b2 with alpha = {alpha:g}, so {name}.grad = (the points' part) + "
                 f"2 \u00d7 alpha \u00d7 {name} = {number(points)} + 2 \u00d7 {alpha:g} \u00d7 {_term(w)} "
                 f"= {number(points)} + {_term(l2)}.")
    else:
        hint += f", so {name}.grad is the points' part alone."
    hint += (f" The points' part is the sum of their d loss_i / d {name}, {number(points * n)}, divided by "
             f"{n}.")
    if loss == "svm":
        inside = sum(1 - y * s > 0 for s, y in zip(scores, ys))
        hint += (f" Only the points inside the margin (y \u00d7 score < 1: {inside} of {n}) make the points' "
                 f"part: for the others the relu passes 0.")
    return WeightQuestion((step_number, name, GRAD), grad, prompt, hint, f"{name}.grad = {number(grad)}")


def update_question(step_number, name, w, lr, grad, new):
    """The weight's value after plain SGD's update (new: the engine's, w - lr * grad)."""
    prompt = (f"The update has run: p.data -= lr * p.grad. What is {name}.data now? It was {number(w)}, and "
              f"lr is {lr:g}.")
    product = lr * grad
    hint = (f"{name}.data - lr \u00d7 {name}.grad = {number(w)} - {lr:g} \u00d7 {_term(grad)}: the product "
            f"lr \u00d7 grad is {number(product)}, so the new value is {number(w)} - {_term(product)}.")
    answer = f"{name}.data = {number(w)} - {lr:g} \u00d7 {_term(grad)} = {number(new)}"
    return WeightQuestion((step_number, name, UPDATE), new, prompt, hint, answer)


def step_questions(step_number, name, index, start, records, step, optimizer):
    """The questions about parameter `index` (called `name`; `start`: its value before the step) for the phases
    of `step` (an engine.lesson.TrainingStep) run so far (`records`: its run_phase() results). The update is
    asked only for plain SGD: momentum's and Adam's moves depend on their running averages, not on this grad
    alone."""
    by_phase = {r["phase"]: r for r in records}
    asked = []
    if "backward" in by_phase:
        backward = by_phase["backward"]
        asked.append(grad_question(step_number, name, start, backward["grad"][index], step.alpha,
                                   backward["scores"], step.ys, step.loss_name))
        if "update" in by_phase and optimizer == "sgd":
            asked.append(update_question(step_number, name, start, step.lr, backward["grad"][index],
                                         by_phase["update"]["data"][index]))
    return asked
