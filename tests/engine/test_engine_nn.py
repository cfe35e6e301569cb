"""nn, losses, optimizers, data sets; workload W reproduces micrograd's published trajectory."""
import gc
import math
import random

import pytest

from engine import Value, fresh_backward
from engine import datasets
from engine.losses import LOSSES, bce_with_logits, l2, loss_and_accuracy, mse, svm
from engine.nn import MLP, Neuron
from engine.optim import SGD, Adam, Momentum, linear_decay


def train_w(X, y, steps):
    """micrograd's demo, step for step."""
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    opt = SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)
    history = []
    for _ in range(steps):
        total, acc = loss_and_accuracy(model, X, y, loss="svm", alpha=1e-4)
        model.zero_grad()
        total.backward()
        opt.step()
        history.append((total.data, acc))
    return model, history


def test_workload_w_reproduces_micrograds_published_trajectory(moons_w):
    # ~66,000 Values a step, without reference cycles: the cyclic garbage collector has nothing
    # to free here, so pausing it changes no number and only makes these 100 steps quicker
    collecting = gc.isenabled()
    gc.disable()
    try:
        model, history = train_w(*moons_w, steps=100)
    finally:
        if collecting:
            gc.enable()
    assert len(model.parameters()) == 337
    assert history[0][0] == pytest.approx(0.8958441028683222, abs=1e-9) and history[0][1] == 0.5
    assert history[99][0] == pytest.approx(0.010978370135492717, abs=1e-9) and history[99][1] == 1.0


def test_mlp_init_matches_micrograd():
    import micrograd.nn as mgnn
    random.seed(7)
    theirs = mgnn.MLP(3, [4, 2, 1])
    random.seed(7)
    ours = MLP(3, [4, 2, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert [n.activation for layer in ours.layers for n in layer.neurons] == ["relu"] * 6 + ["linear"]
    assert ours.parameters()[0].label == "L1N1w1" and ours.parameters()[3].label == "L1N1b"


@pytest.mark.parametrize("activation,f", [("relu", lambda x: max(x, 0.0)), ("tanh", math.tanh),
                                          ("sigmoid", lambda x: 1 / (1 + math.exp(-x))), ("linear", lambda x: x)])
def test_activations(activation, f):
    model = MLP(2, [3, 1], activation=activation, rng=random.Random(0))
    x = [0.3, -0.8]
    hidden = [f(n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))) for n in model.layers[0].neurons]
    out = model.layers[1].neurons[0]
    expected = out.b.data + sum(w.data * h for w, h in zip(out.w, hidden))
    assert model(x).data == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="activation"):
        MLP(2, [1], activation="swish")
    assert Neuron(2, nonlin=False).activation == "linear"


@pytest.mark.parametrize("score", [-3.0, -0.2, 0.0, 0.4, 2.5, 800.0, -800.0])
@pytest.mark.parametrize("y", [-1, 1])
def test_per_sample_losses(score, y):
    s = Value(score)
    assert svm(s, y).data == max(0.0, 1 - y * score)
    assert mse(s, y).data == (score - y) ** 2
    b = bce_with_logits(s, y)
    z = -y * score  # -log(sigmoid(y*s)) = log(1 + exp(z))
    assert b.data == pytest.approx(max(z, 0) + math.log1p(math.exp(-abs(z))), rel=1e-12)
    fresh_backward(b)
    assert s.grad == pytest.approx(-y / (1 + math.exp(-z)) if z > -700 else 0.0, abs=1e-15)


def test_l2_and_batch_loss_order():
    params = [Value(0.5), Value(-2.0)]
    assert l2(params, 1e-4).data == 1e-4 * (0.25 + 4.0)
    model = MLP(2, [2, 1], rng=random.Random(1))
    X, y = [[0.1, 0.2], [-0.3, 0.4]], [1, -1]
    for name, per_sample in LOSSES.items():
        total, acc = loss_and_accuracy(model, X, y, loss=name, alpha=0.0)
        scores = [model(x) for x in X]
        assert total.data == (per_sample(scores[0], 1).data + per_sample(scores[1], -1).data) * 0.5
    with pytest.raises(ValueError, match="loss"):
        loss_and_accuracy(model, X, y, loss="hinge2")


def quadratic_descent(opt_factory, steps=200):
    """Minimise (a - 3)^2 + (b + 1)^2 from (0, 0)."""
    a, b = Value(0.0), Value(0.0)
    opt = opt_factory([a, b])
    for _ in range(steps):
        loss = (a - 3) ** 2 + (b + 1) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    return a.data, b.data


@pytest.mark.parametrize("factory", [
    lambda p: SGD(p, lr=0.1),
    lambda p: SGD(p, lr=linear_decay(0.3, 0.05, 200)),
    lambda p: Momentum(p, lr=0.05, momentum=0.9),
    lambda p: Adam(p, lr=0.1),
], ids=["sgd", "sgd-schedule", "momentum", "adam"])
def test_optimizers_converge(factory):
    assert quadratic_descent(factory) == pytest.approx((3.0, -1.0), abs=1e-3)


def test_optimizer_steps_by_hand():
    p = Value(1.0)
    opt = SGD([p], lr=lambda k: 1.0 - 0.9 * k / 100)
    for k in range(3):
        p.grad = 2.0
        opt.step()
    assert p.data == 1.0 - 2.0 * (1.0 + 0.991 + 0.982)
    p, q = Value(1.0), Value(1.0)
    m = Momentum([p], lr=0.1, momentum=0.5)
    for g in (1.0, 1.0):
        p.grad = g
        m.step()
    assert p.data == pytest.approx(1.0 - 0.1 * 1.0 - 0.1 * 1.5)
    adam = Adam([q], lr=0.01)
    q.grad = 123.0
    adam.step()
    assert q.data == pytest.approx(1.0 - 0.01)  # Adam's first step is lr in the grad's direction
    assert linear_decay(1.0, 0.1, 100)(50) == pytest.approx(0.55)


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_datasets(name):
    X, y = datasets.make(name, n=120, noise=0.05, seed=3)
    assert len(X) == len(y) == 120 and all(len(p) == 2 for p in X)
    assert set(y) == {-1, 1} and 40 <= y.count(1) <= 80
    assert datasets.make(name, n=120, noise=0.05, seed=3) == (X, y)
    assert datasets.make(name, n=120, noise=0.05, seed=4) != (X, y)
    assert all(-2.5 < c < 2.5 for p in X for c in p)
    X0, y0 = datasets.make(name, n=50, noise=0.0, seed=1)
    X1, y1 = datasets.make(name, n=50, noise=0.3, seed=1)
    assert y0 == y1 and X0 != X1  # noise moves points, not labels


def test_datasets_have_their_shapes():
    X, y = datasets.circles(n=200, noise=0.0, seed=0)
    assert all(abs(math.hypot(*p) - (0.5 if label == 1 else 1.0)) < 1e-12 for p, label in zip(X, y))
    X, y = datasets.xor(n=200, noise=0.0, seed=0)
    assert all((p[0] * p[1] > 0) == (label == 1) for p, label in zip(X, y))
    X, y = datasets.moons(n=200, noise=0.0, seed=0)
    assert all(abs(math.hypot(p[0], p[1]) - 1) < 1e-12 for p, label in zip(X, y) if label == -1)
    with pytest.raises(ValueError, match="data set"):
        datasets.make("swirl")
