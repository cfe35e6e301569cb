"""Losses for 2-D classification with labels -1/+1, in micrograd's order of operations.

Each per-sample loss works with a label that is a number or a Value (the fast path in
tape.py records them with the label as a Value), and the batch loss is micrograd's:
    sum(per-sample losses) * (1.0 / n)  +  alpha * sum(p * p for p in parameters)
"""
from .value import Value


def svm(score, y):
    """micrograd's max-margin loss: zero once the score has the label's sign with margin 1."""
    return (1 + -y * score).relu()


def bce_with_logits(score, y):
    """Binary cross-entropy on a logit, for y in {-1, +1}: -log(sigmoid(y * score)).

    Written as softplus(-y * score), which never overflows (softplus is one stable op)."""
    return (-y * score).softplus()


def mse(score, y):
    """Squared error between the score and the label."""
    return (score - y) ** 2


LOSSES = {"svm": svm, "bce": bce_with_logits, "mse": mse}


def mean(losses):
    return sum(losses) * (1.0 / len(losses))


def l2(parameters, alpha):
    """The L2 penalty alpha * sum(p*p)."""
    return alpha * sum((p * p for p in parameters))


def accuracy(scores, ys):
    """Fraction of samples whose score has the label's sign (a score > 0 means +1)."""
    hits = [(y > 0) == (s > 0) for y, s in zip(ys, scores)]
    return sum(hits) / len(hits)


def loss_and_accuracy(model, X, ys, loss="svm", alpha=1e-4):
    """micrograd's demo loss(): the batch's total loss as a Value, and the accuracy."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}, expected one of {tuple(LOSSES)}")
    per_sample = LOSSES[loss]
    inputs = [[Value(x) for x in row] for row in X]
    scores = [model(row) for row in inputs]
    total = mean([per_sample(s, y) for s, y in zip(scores, ys)])
    if alpha:
        total = total + l2(model.parameters(), alpha)
    return total, accuracy([s.data for s in scores], ys)
