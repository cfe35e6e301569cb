"""The training view's one door to the engine: data sets, the MLP, losses, optimisers, the fast path.

Everything the controller needs from `engine`, in numpy shapes: points (n, 2), labels (n,) of -1/+1,
weights as one flat array in `mlp.parameters()` order. The model is the engine's own MLP; each step's loss
and gradients come from the engine's fast path (engine/tape.py), and the engine's optimiser updates it.

The page trains on the fast path's matrix products (EXACT = False): ~3.7x faster in Pyodide than its in-order
sums, which match micrograd bit for bit. Each step's loss and grads are ~1e-16 apart (relative); over a run
the two drift apart as any two float orders do (bench/training_bench.py --drift measures it). The same settings
still replay the same run, on either path: only the order of additions differs, never the randomness.
"""

import random

import numpy as np

import engine
from engine import datasets, lesson, losses, nn, optim
from engine.tape import FastModel

EXACT = False   # see above: the engine's tests keep checking the exact path against micrograd
LOSS_NAMES = {"max_margin": "svm", "bce": "bce", "mse": "mse"}  # settings' names -> engine's names


def make_dataset(name, n_points, noise, seed):
    """(points (n, 2), labels (n,)); the "custom" data set is a blank canvas."""
    if name == "custom":
        return np.zeros((0, 2)), np.zeros(0)
    X, y = datasets.make(name, n=n_points, noise=noise, seed=seed)
    return np.array(X, dtype=float).reshape(-1, 2), np.array(y, dtype=float)


class Model:
    """The engine's MLP(2, hidden + [1]) with an engine optimiser, seeded."""

    def __init__(self, hidden, activation, loss, optimizer, seed, exact=EXACT):
        self.exact = exact
        self.mlp = nn.MLP(2, list(hidden) + [1], activation=activation, rng=random.Random(seed))
        self.sizes = [2] + list(hidden) + [1]
        self.activation = activation
        self.loss = LOSS_NAMES[loss]
        self.params = self.mlp.parameters()
        self.fast = FastModel(self.mlp)
        self._lr = 0.0
        # The view changes the learning rate between steps: the optimiser asks for it at each step.
        self.optimizer = optim.OPTIMIZERS[optimizer](self.params, lr=lambda k: self._lr)

    # -- training -----------------------------------------------------------------------------------

    def step(self, X, y, lr, l2):
        """One optimisation step on the batch (X, y); returns the batch's loss before the step.
        The fast path sets every parameter's grad, as a fresh backward on the Value path would (bit for bit
        if exact). last_weights then holds the weights the step started from."""
        total, _ = self.fast.loss_and_grads(X, y, loss=self.loss, l2=l2, exact=self.exact)
        self._lr = lr
        self.optimizer.step()
        return total

    def phased_step(self, X, y, lr, l2):
        """The same step as step(), on the Value path and one phase at a time: an engine.lesson.TrainingStep
        over this MLP whose update is this model's optimiser (momentum and Adam keep their state)."""
        self._lr = lr
        return lesson.TrainingStep(self.mlp, X, y, loss=self.loss, alpha=l2, lr=lr, optimizer=self.optimizer)

    # -- weights ------------------------------------------------------------------------------------

    @property
    def last_weights(self):
        """The weights before the last step (read by that step: no second pass over the parameters)."""
        return self.fast.last_weights

    def get_weights(self):
        return np.array([p.data for p in self.params])

    def set_weights(self, flat):
        for p, value in zip(self.params, flat):
            p.data = float(value)

    def _neuron(self, layer, target):
        return self.mlp.layers[layer].neurons[target]

    def weight(self, layer, target, source):
        return self._neuron(layer, target).w[source].data

    def set_weight(self, layer, target, source, value):
        self._neuron(layer, target).w[source].data = float(value)

    def snapshot(self):
        """Weights, biases and their grads per layer, as arrays (rows: neurons, columns: inputs)."""
        snap = {"sizes": self.sizes, "weights": [], "weight_grads": [], "biases": [], "bias_grads": []}
        for layer in self.mlp.layers:
            snap["weights"].append(np.array([[w.data for w in n.w] for n in layer.neurons]))
            snap["weight_grads"].append(np.array([[w.grad for w in n.w] for n in layer.neurons]))
            snap["biases"].append(np.array([n.b.data for n in layer.neurons]))
            snap["bias_grads"].append(np.array([n.b.grad for n in layer.neurons]))
        return snap

    # -- evaluation ---------------------------------------------------------------------------------

    def scores(self, X):
        """The model's output for every row of X, for drawing and for the metrics."""
        return self.fast.predict(X)

    def layer_outputs(self, X):
        """Every layer's output for every row of X: (rows, neurons) arrays, the hidden layers', then the score."""
        return self.fast.layer_outputs(X)

    def point_losses(self, scores, y):
        """Each point's data loss (no L2 term)."""
        margin = y * scores
        if self.loss == "svm":
            return np.maximum(0.0, 1.0 - margin)
        if self.loss == "bce":
            return np.logaddexp(0.0, -margin)
        return (scores - y) ** 2

    def mean_loss(self, scores, y):
        """The data loss (no L2 term) averaged over the points."""
        return float(self.point_losses(scores, y).mean())

    def value_graph(self, x, y, whole=True):
        """One point's scalar graph down to its loss term, through the current network.

        whole: the forward pass through every neuron (~1,000 nodes for two layers of 16). Else the compact graph:
        the output neuron and the loss, the last hidden layer's outputs entering as leaves (their grads are what
        backpropagation hands on to the layers below). Names follow the engine's: L2N3 is neuron 3 of layer 2's
        output, L2N3w1 its first weight, L2N3b its bias."""
        inputs = [engine.Value(float(x[0]), label="x1"), engine.Value(float(x[1]), label="x2")]
        layers = list(enumerate(self.mlp.layers, start=1))
        if not whole and len(layers) > 1:
            hidden = _forward(inputs, layers[:-1])
            inputs = [engine.Value(h.data, label=h.label) for h in hidden]
            layers = layers[-1:]
        score = _forward(inputs, layers)[0]
        score.label = "score"
        loss = losses.LOSSES[self.loss](score, engine.Value(float(y), label="y"))
        loss.label = "loss"
        return loss


def _forward(inputs, layers):
    """The outputs of the numbered layers [(number, Layer)], each named after its neuron (L2N3)."""
    values = inputs
    for number, layer in layers:
        values = [neuron(values) for neuron in layer.neurons]
        for j, value in enumerate(values, start=1):
            value.label = f"L{number}N{j}"
    return values
