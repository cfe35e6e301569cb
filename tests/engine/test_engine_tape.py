"""The fast path gives the Value path's numbers: W, every loss/activation/optimizer, mini-batches, grids."""
import random

import numpy as np
import pytest

from engine import DomainError, Value, build_topo, fresh_backward
from engine import datasets
from engine.losses import LOSSES, loss_and_accuracy
from engine.nn import ACTIVATIONS, MLP
from engine.optim import OPTIMIZERS, SGD
from engine.tape import FastModel, Tape


def micrograd_demo():
    """micrograd's demo network (seed 1337, 2-16-16-1), its fast path and its SGD with the demo's decaying rate."""
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    return model, FastModel(model), SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)


def test_w_on_the_fast_path_reproduces_micrograds_trajectory(moons_w):
    X, y = moons_w
    model, fast, opt = micrograd_demo()
    history = []
    for _ in range(100):
        history.append(fast.loss_and_grads(X, y, loss="svm", l2=1e-4))
        opt.step()
    assert history[0][0] == pytest.approx(0.8958441028683222, abs=1e-9) and history[0][1] == 0.5
    assert history[99][0] == pytest.approx(0.010978370135492717, abs=1e-9) and history[99][1] == 1.0


def twin_models(nouts, activation, seed):
    a = MLP(2, nouts, activation=activation, rng=random.Random(seed))
    b = MLP(2, nouts, activation=activation, rng=random.Random(seed))
    return a, b


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_fast_path_matches_value_path(loss, activation, optimizer):
    X, y = datasets.make("spiral", n=24, noise=0.1, seed=5)
    value_model, fast_model = twin_models([5, 4, 1], activation, seed=11)
    fast = FastModel(fast_model)
    lr = {"sgd": 0.2, "momentum": 0.05, "adam": 0.02}[optimizer]
    value_opt = OPTIMIZERS[optimizer](value_model.parameters(), lr=lr)
    fast_opt = OPTIMIZERS[optimizer](fast_model.parameters(), lr=lr)
    batches = random.Random(3)
    for step in range(4):
        idx = batches.sample(range(len(X)), 8) if step % 2 else list(range(len(X)))  # mini-batches too
        Xb, yb = [X[i] for i in idx], [y[i] for i in idx]
        total, acc = loss_and_accuracy(value_model, Xb, yb, loss=loss, alpha=1e-3)
        value_model.zero_grad()
        total.backward()
        fast_total, fast_acc = fast.loss_and_grads(Xb, yb, loss=loss, l2=1e-3)
        assert fast_total == pytest.approx(total.data, rel=1e-12, abs=1e-15)
        assert fast_acc == acc
        assert [p.grad for p in fast_model.parameters()] == pytest.approx(
            [p.grad for p in value_model.parameters()], rel=1e-9, abs=1e-15)
        value_opt.step()
        fast_opt.step()
    assert any(p.grad != 0 for p in fast_model.parameters())


def test_predict_matches_the_value_path_on_a_grid():
    model = MLP(2, [8, 8, 1], activation="tanh", rng=random.Random(2))
    xs, ys = np.meshgrid(np.linspace(-2, 2, 50), np.linspace(-1, 1.5, 50))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    scores = FastModel(model).predict(grid)
    assert scores.shape == (2500,)
    for i in (0, 777, 1234, 2499):
        assert scores[i] == pytest.approx(model(list(grid[i])).data, rel=1e-12)  # np.tanh vs math.tanh: last bits


def test_fast_model_wants_one_output_and_known_losses():
    with pytest.raises(ValueError, match="one output"):
        FastModel(MLP(2, [3, 2]))
    with pytest.raises(ValueError, match="loss"):
        FastModel(MLP(2, [3, 1])).loss_and_grads([[0.0, 0.0]], [1], loss="hinge2")


def expression_grads(f, columns):
    """Value path: per sample, f's data and grads of the inputs (fresh backward each)."""
    datas, grads = [], []
    for row in zip(*columns):
        leaves = [Value(v) for v in row]
        out = f(*leaves)
        fresh_backward(out)
        datas.append(out.data)
        grads.append([v.grad for v in leaves])
    return np.array(datas), np.array(grads).T


@pytest.mark.parametrize("f", [
    lambda a, b: (a * b + a ** 2 - b / 3).tanh() * a.exp(),
    lambda a, b: (a ** b + (a + 1).log() * b.sigmoid()).relu() - (-b).softplus(),
    lambda a, b: (a - b) ** 3 / (1 + b * b) + 2 ** a,
])
def test_generic_tape_replays_any_expression(f):
    columns = [np.array([0.5, 1.5, 2.0, 0.1]), np.array([-1.0, 0.3, 2.5, -0.7])]
    a, b = Value(1.0), Value(1.0)
    tape = Tape(f(a, b), [a, b], grad_inputs=[a, b])
    vals = tape.forward(columns, [])
    grads = tape.backward(vals, np.ones(4))
    data, expected = expression_grads(f, columns)
    assert vals[tape.root] == pytest.approx(data, rel=1e-13)
    for i in range(2):
        assert tape.input_grad(grads, i) == pytest.approx(expected[i], rel=1e-12)
    assert len(tape.entries) == sum(1 for v in build_topo(f(a, b)) if v._prev)


def test_tape_refuses_what_the_value_path_refuses():
    a = Value(1.0)
    tape = Tape(a.log(), [a])
    with pytest.raises(DomainError, match="log"):
        tape.forward([np.array([1.0, -1.0])], [])
    tape = Tape(a.exp(), [a])
    with pytest.raises(DomainError, match="exp"):
        tape.forward([np.array([1.0, 800.0])], [])


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_rounded_fast_path_gives_the_exact_paths_numbers_up_to_rounding(loss, activation):
    # exact=False (what the page trains with): matrix products and numpy's sums instead of the in-order sums
    X, y = datasets.make("moons", n=40, noise=0.1, seed=3)
    exact_model, rounded_model = twin_models([6, 5, 1], activation, seed=2)
    exact, rounded = FastModel(exact_model), FastModel(rounded_model)
    for _ in range(3):
        loss_e, acc_e = exact.loss_and_grads(X, y, loss=loss, l2=1e-3)
        loss_r, acc_r = rounded.loss_and_grads(X, y, loss=loss, l2=1e-3, exact=False)
        assert loss_r == pytest.approx(loss_e, rel=1e-12) and acc_r == acc_e
        grads_e = np.array([p.grad for p in exact_model.parameters()])
        grads_r = np.array([p.grad for p in rounded_model.parameters()])
        assert np.abs(grads_r - grads_e).max() <= 1e-12 * max(np.abs(grads_e).max(), 1.0)
        assert exact.last_weights.tolist() == [p.data for p in exact_model.parameters()]
        for p, q in zip(exact_model.parameters(), rounded_model.parameters()):
            p.data -= 0.1 * p.grad
            q.data = p.data          # the same weights again: compare step by step, not trajectories


def test_w_on_the_rounded_fast_path_ends_where_micrograd_does(moons_w):
    X, y = moons_w
    model, fast, opt = micrograd_demo()
    for _ in range(100):
        loss, accuracy = fast.loss_and_grads(X, y, loss="svm", l2=1e-4, exact=False)
        opt.step()
    assert loss == pytest.approx(0.010978370135492717, abs=1e-6) and accuracy == 1.0
