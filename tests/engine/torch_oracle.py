"""PyTorch as an independent oracle for the engine's gradients.

Run with the PyTorch venv's interpreter (.venv-torch, Python 3.11 + torch CPU):
    .venv-torch/bin/python tests/engine/torch_oracle.py
It imports the engine from this repository, computes the same expressions and an MLP + loss
with both, and prints JSON: for each case the largest relative difference between the grads
(the test in test_engine_oracles.py reads it)."""
import json
import pathlib
import random
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from engine import Value, fresh_backward  # noqa: E402
from engine.losses import loss_and_accuracy  # noqa: E402
from engine.nn import MLP  # noqa: E402

# Written with methods that Value and torch.Tensor share, so each lambda runs on both.
EXPRESSIONS = {
    "arithmetic": (lambda a, b, c: (a * b + c) * (a - b) / (c + 3) - 2 / a + 5 - b, (1.5, -0.7, 2.0)),
    "pow_number": (lambda a, b, c: a ** 2 + b ** 3 + c ** -1.5 + a ** 0.5, (1.3, -0.8, 2.2)),
    "pow_value": (lambda a, b, c: a ** b + c ** (a * b) + 2 ** c, (1.7, 0.6, 0.9)),
    "exp_log": (lambda a, b, c: (a * b).exp() + (c * c + a).log() - (b.exp() + 1).log(), (0.4, -1.2, 1.1)),
    "tanh_sigmoid": (lambda a, b, c: (a * b).tanh() * c.sigmoid() + (a - c).sigmoid().tanh(), (0.9, -1.4, 0.3)),
    "relu": (lambda a, b, c: (a * b).relu() + (a - c).relu() * b + (c - 5).relu(), (1.2, 0.8, -0.5)),
    "shared_inputs": (lambda a, b, c: a * a + (a + a) * b + (b * b * b).tanh() * c, (0.7, 0.5, -1.1)),
    "sin": (lambda a, b, c: (a * b).sin() + (c.sin() * a).tanh() - (b - c).sin() ** 2, (0.8, -1.7, 2.4)),
    "deepish": (lambda a, b, c: ((((a * b).tanh() + c).sigmoid() * a).exp() - b) ** 2, (0.2, 1.3, -0.4)),
}


def relative(x, y):
    return abs(x - y) / max(abs(x), abs(y), 1e-300) if x != y else 0.0


def expression_cases():
    cases = []
    for name, (f, point) in EXPRESSIONS.items():
        leaves = [Value(x) for x in point]
        out = f(*leaves)
        fresh_backward(out)
        tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
        reference = f(*tensors)
        reference.backward()
        ours = [out.data] + [v.grad for v in leaves]
        theirs = [reference.item()] + [t.grad.item() for t in tensors]
        cases.append({"name": name, "ours": ours, "torch": theirs,
                      "max_rel_diff": max(relative(p, q) for p, q in zip(ours, theirs))})
    return cases


def torch_mlp_loss(model, X, y, loss, alpha):
    """The same model and loss written with torch's own functions."""
    params = [torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in model.parameters()]
    it = iter(params)  # parameters() order: layer by layer, each neuron's weights then its bias
    h = torch.tensor(X, dtype=torch.float64)
    for layer in model.layers:
        rows = []
        for neuron in layer.neurons:
            w = torch.stack([next(it) for _ in neuron.w])
            b = next(it)
            rows.append(h @ w + b)
        z = torch.stack(rows, dim=1)
        act = layer.neurons[0].activation
        h = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda t: t}[act](z)
    score = h[:, 0]
    t = torch.tensor(y, dtype=torch.float64)
    if loss == "svm":
        data = torch.clamp(1 - t * score, min=0).mean()
    elif loss == "bce":
        data = F.binary_cross_entropy_with_logits(score, (t + 1) / 2)
    else:
        data = F.mse_loss(score, t)
    total = data + alpha * sum((p * p).sum() for p in params)
    total.backward()
    return total.item(), [p.grad.item() for p in params]


def mlp_cases():
    rng = random.Random(4)
    X = [[rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)] for _ in range(12)]
    y = [1 if a * b > 0 else -1 for a, b in X]
    cases = []
    for activation in ("relu", "tanh", "sigmoid"):
        for loss in ("svm", "bce", "mse"):
            model = MLP(2, [6, 5, 1], activation=activation, rng=random.Random(9))
            total, _ = loss_and_accuracy(model, X, y, loss=loss, alpha=1e-3)
            fresh_backward(total)
            ours = [total.data] + [p.grad for p in model.parameters()]
            t_total, t_grads = torch_mlp_loss(model, X, y, loss, 1e-3)
            theirs = [t_total] + t_grads
            # grads near zero differ by rounding only: compare relative to the largest grad
            scale = max(abs(g) for g in theirs)
            cases.append({"name": f"mlp_{activation}_{loss}", "n_grads": len(ours) - 1,
                          "max_rel_diff": max(abs(p - q) / scale for p, q in zip(ours, theirs))})
    return cases


if __name__ == "__main__":
    print(json.dumps({"torch": torch.__version__, "cases": expression_cases() + mlp_cases()}))
