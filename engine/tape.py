"""The fast path: a model + loss compiled once into a flat tape, replayed with numpy.

The Value path builds ~66,000 Value objects per training step of micrograd's demo and throws
them away. Yet the graph is the same every step, for every sample: only the numbers change.
So we record it once and write it down as a list of entries. Each step replays that list:
  forward:  each entry computed over all the samples of the batch at once;
  backward: the same local derivatives (np_local in ops.OPS), entries in reverse, each input's grad
            += local * upstream, parameters' grads summed over the batch.
Two kinds of entries:
  DenseLayer  one MLP layer: every neuron's b + w1*x1 + w2*x2 + ..., then the activation;
  Tape        any Value graph (here: one sample's loss), one numpy op per node (np_forward in ops.OPS).
Every sum is added in the Value path's order, so both paths give the same numbers, bit for bit.

    fast = FastModel(mlp)
    loss, acc = fast.loss_and_grads(X, y, loss="svm", l2=1e-4)  # sets p.grad on mlp.parameters()
    optimizer.step()                                            # any optimizer in optim.py
    scores = fast.predict(grid_points)                          # one pass for a whole grid
"""
import numpy as np

from .graph import build_topo
from .losses import LOSSES
from .nn import ACTIVATION_OPS
from .ops import OPS
from .value import Value


def _in_order_sum(terms):
    """terms[0] + terms[1] + terms[2] + ..., added one after the other as repeated += does
    (np.sum adds pairwise, which rounds differently). Each term may be a whole array."""
    total = terms[0].copy() if isinstance(terms[0], np.ndarray) else terms[0]
    for term in terms[1:]:
        total += term
    return total


class Tape:
    """The graph of `root` as a flat list of entries (op, output slot, input slots, exponent).

    Every node has a slot; leaves are inputs (one value per sample), parameters, or constants.
    `outputs` are nodes whose slots we want to read after a forward pass; `grad_inputs` are
    inputs whose grads backward must compute (parameters always get theirs)."""

    def __init__(self, root, inputs, params=(), outputs=(), grad_inputs=()):
        topo = build_topo(root)
        slot = {node: i for i, node in enumerate(topo)}
        self.size = len(topo)
        self.root = slot[root]
        self.output_slots = [slot[v] for v in outputs]
        self.input_slots = [slot.get(v) for v in inputs]  # None: that input is not used
        self.param_slots = [(slot[p], k) for k, p in enumerate(params) if p in slot]
        known = set(inputs) | set(params)
        self.constants = [(slot[v], v.data) for v in topo if not v._prev and v not in known]
        self.entries = [(v._op, slot[v], tuple(slot[c] for c in v._prev), v._exponent) for v in topo if v._prev]
        # per_sample: the slot holds one value per sample (it depends on an input);
        # needs_grad: the slot depends on a parameter, so backward must reach it
        self.per_sample = [False] * self.size
        self.needs_grad = [False] * self.size
        for s in self.input_slots:
            if s is not None:
                self.per_sample[s] = True
        for s, _ in self.param_slots:
            self.needs_grad[s] = True
        for v in grad_inputs:
            if v in slot:
                self.needs_grad[slot[v]] = True
        for _, out, ins, _ in self.entries:
            self.per_sample[out] = any(self.per_sample[i] for i in ins)
            self.needs_grad[out] = any(self.needs_grad[i] for i in ins)
        params_ = {s for s, _ in self.param_slots}
        # for each entry, where each input's grad goes: None (not needed), "add", or "sum"
        # (a shared intermediate fed by per-sample values gets one number, summed over the batch;
        # parameters keep their per-sample contributions, added up in order at the end)
        self.routes = [tuple(None if not self.needs_grad[i] else
                             "sum" if self.per_sample[out] and not self.per_sample[i] and i not in params_
                             else "add" for i in ins)
                       for _, out, ins, _ in self.entries]

    def forward(self, columns, param_values):
        """Every slot's value: arrays over the batch, numbers for what no input touches."""
        vals = [None] * self.size
        for s, data in self.constants:
            vals[s] = data
        for s, k in self.param_slots:
            vals[s] = param_values[k]
        for s, column in zip(self.input_slots, columns):
            if s is not None:
                vals[s] = column
        for op, out, ins, exponent in self.entries:
            forward = OPS[op].np_forward
            if exponent is not None:
                vals[out] = forward(vals[ins[0]], exponent)
            elif len(ins) == 2:
                vals[out] = forward(vals[ins[0]], vals[ins[1]])
            else:
                vals[out] = forward(vals[ins[0]])
        return vals

    def backward(self, vals, root_grad):
        """Every slot's grad (None where nothing flows) from a backward pass seeded with root_grad.

        Per-sample slots get arrays. So do parameters fed by per-sample entries: one
        contribution per sample, for the caller to add up in the Value path's order."""
        grads = [None] * self.size
        grads[self.root] = root_grad
        for (op, out, ins, exponent), routes in zip(reversed(self.entries), reversed(self.routes)):
            upstream = grads[out]
            if upstream is None:
                continue  # nothing flows back through this entry
            local = OPS[op].np_local
            if exponent is not None:
                locals_ = local(vals[ins[0]], exponent, vals[out])
            elif len(ins) == 2:
                locals_ = local(vals[ins[0]], vals[ins[1]], vals[out])
            else:
                locals_ = local(vals[ins[0]], vals[out])
            for i, d, route in zip(ins, locals_, routes):
                if route is None:
                    continue
                contribution = d * upstream
                if route == "sum":
                    contribution = np.sum(contribution)
                grads[i] = contribution if grads[i] is None else grads[i] + contribution
        return grads

    def input_grad(self, grads, index):
        """The grad of inputs[index] from backward's result."""
        s = self.input_slots[index]
        return None if s is None else grads[s]


class DenseLayer:
    """One MLP layer as a single tape entry over a batch: z = b + w1*x1 + w2*x2 + ...; a = act(z).

    The Value path adds a neuron's terms one after the other, so we do too (an in-order
    cumulative sum along the terms, np.add.accumulate) and get the same rounding, for all
    neurons and samples at once."""

    def __init__(self, layer):
        self.neurons = layer.neurons
        act = ACTIVATION_OPS[layer.neurons[0].activation]  # None: linear
        self.act = None if act is None else OPS[act]
        self.nout, self.nin = len(layer.neurons), len(layer.neurons[0].w)

    def forward(self, x, W, b):
        """x: (batch, nin), W: (nout, nin), b: (nout,) -> (z, a), each (batch, nout)."""
        terms = np.empty((self.nin + 1, x.shape[0], self.nout))
        terms[0] = b                                    # the bias comes first: b + w1*x1 + ...
        np.multiply(W.T[:, None, :], x.T[:, :, None], out=terms[1:])
        z = _in_order_sum(terms)
        a = z if self.act is None else self.act.np_forward(z)
        return z, a

    def forward_rounded(self, x, W, b):
        """forward's numbers by matrix products: ~1e-16 apart from the in-order sums, several times faster."""
        z = x @ W.T + b
        return z, (z if self.act is None else self.act.np_forward(z))

    def backward_summed(self, x, W, z, a, grad_a, need_grad_x):
        """The grads of W (nout, nin) and b (nout,) summed over the batch by matrix products (in no fixed order),
        and of x (batch, nin) or None."""
        grad_z = grad_a if self.act is None else self.act.np_local(z, a)[0] * grad_a
        return grad_z.T @ x, grad_z.sum(axis=0), (grad_z @ W if need_grad_x else None)

    def backward(self, x, W, z, a, grad_a, need_grad_x):
        """Per-sample grads: (of W (batch, nout, nin), of b (batch, nout), of x (batch, nin) or None)."""
        grad_z = grad_a if self.act is None else self.act.np_local(z, a)[0] * grad_a
        grad_W = grad_z[:, :, None] * x[:, None, :]      # d(w*x)/dw = x
        grad_x = None
        if need_grad_x:
            # x_k's grad collects w_jk * grad_z_j from every neuron j; the Value path
            # visits the neurons last to first, so add them up in that order
            terms = W[::-1, None, :] * grad_z.T[::-1, :, None]  # (neuron, sample, input)
            grad_x = _in_order_sum(terms)
        return grad_W, grad_z, grad_x


class FastModel:
    """An MLP with one output, compiled for fast training and prediction.

    The tape: one DenseLayer entry per layer, then the loss of one sample as a generic Tape
    (the entries of the graph that engine.losses builds, replayed over the batch). The
    parameters stay the MLP's Values: loss_and_grads reads their data and writes their grads,
    so the optimizers in optim.py work unchanged and the Value path sees the same model."""

    def __init__(self, mlp):
        self.mlp = mlp
        self.params = mlp.parameters()
        self.layers = [DenseLayer(layer) for layer in mlp.layers]
        if self.layers[-1].nout != 1:
            raise ValueError("FastModel needs an MLP with one output")
        self.nin = self.layers[0].nin
        self._loss_tapes = {}

    def _loss_tape(self, loss):
        """The tape of one sample's loss, with the score and the label as its inputs."""
        if loss not in self._loss_tapes:
            if loss not in LOSSES:
                raise ValueError(f"unknown loss {loss!r}, expected one of {tuple(LOSSES)}")
            score, y = Value(0.0, label="score"), Value(1.0, label="y")
            self._loss_tapes[loss] = Tape(LOSSES[loss](score, y), [score, y], grad_inputs=[score])
        return self._loss_tapes[loss]

    def _weights(self):
        """Each layer's (W, b) as arrays, read from the parameters' current data."""
        P = np.array([p.data for p in self.params])
        out, start = [], 0
        for layer in self.layers:
            block = P[start:start + layer.nout * (layer.nin + 1)].reshape(layer.nout, layer.nin + 1)
            out.append((block[:, :-1], block[:, -1]))  # each neuron: its weights, then its bias
            start += block.size
        return P, out

    def _forward(self, X, weights, exact=True):
        x = np.asarray(X, dtype=float).reshape(-1, self.nin)
        saved = []
        for layer, (W, b) in zip(self.layers, weights):
            z, a = layer.forward(x, W, b) if exact else layer.forward_rounded(x, W, b)
            saved.append((x, z, a))
            x = a
        return x[:, 0], saved

    def predict(self, X):
        """The model's score for every row of X, as a numpy array (one pass). For drawing, so it uses plain
        matrix products (~3x faster than training's in-order sums; equal to the Value path up to rounding)."""
        return self.layer_outputs(X)[-1][:, 0]

    def layer_outputs(self, X):
        """Every layer's output for every row of X: a list of (rows, neurons) arrays, the last one the scores.
        What each neuron computes over a set of points, for drawing (matrix products, as in predict)."""
        x = np.asarray(X, dtype=float).reshape(-1, self.nin)
        outputs = []
        for layer, (W, b) in zip(self.layers, self._weights()[1]):
            x = x @ W.T + b
            if layer.act is not None:
                x = layer.act.np_forward(x)
            outputs.append(x)
        return outputs

    def loss_and_grads(self, X, y, loss="svm", l2=1e-4, exact=True):
        """micrograd's batch loss on (X, y) and its accuracy; sets p.grad for every parameter.

        exact: the same numbers as engine.losses.loss_and_accuracy followed by a fresh backward, bit for bit.
        exact=False: the same formulas, with matrix products and numpy's sums (their own order of additions):
        ~3x faster in Pyodide, the numbers ~1e-16 apart (relative) from the exact ones at each step.
        `last_weights` keeps the parameters' values the step read (before the optimiser changes them)."""
        tape = self._loss_tape(loss)
        labels = np.asarray(y, dtype=float).reshape(-1)
        n = len(labels)
        P, weights = self._weights()
        self.last_weights = P
        scores, saved = self._forward(X, weights, exact)
        vals = tape.forward([scores, labels], P)
        losses = np.broadcast_to(vals[tape.root], (n,))
        if not exact:
            return self._rounded_grads(tape, vals, losses, labels, scores, saved, P, weights, l2)
        # forward, in micrograd's order: sum(losses) * (1/n) + alpha * sum(p*p)
        total = _in_order_sum(losses.tolist()) * (1.0 / n)
        if l2:
            total = total + l2 * _in_order_sum((P * P).tolist())
        accuracy = float(np.mean((labels > 0) == (scores > 0)))
        # backward: each sample's loss gets d total / d loss_i = 1/n
        grads = tape.backward(vals, np.full(n, 1.0 * (1.0 / n)))
        grad_a = np.broadcast_to(tape.input_grad(grads, 0), (n,))[:, None]
        blocks = []
        for i in reversed(range(len(self.layers))):
            x, z, a = saved[i]
            grad_W, grad_b, grad_a = self.layers[i].backward(x, weights[i][0], z, a, grad_a, need_grad_x=i > 0)
            blocks.append(np.concatenate([grad_W, grad_b[:, :, None]], axis=2).reshape(n, -1))
        per_sample = np.concatenate(blocks[::-1], axis=1)  # (n, parameters), in parameters() order
        # the Value path runs the L2 term's backward first (p.grad += p*alpha, twice), then
        # the samples from the last to the first: add them up in that order
        ordered = np.empty((n + 2, len(P)))
        ordered[0] = ordered[1] = P * (l2 * 1.0)
        ordered[2:] = per_sample[::-1]
        for p, g in zip(self.params, _in_order_sum(ordered).tolist()):
            p.grad = g
        return float(total), accuracy

    def _rounded_grads(self, tape, vals, losses, labels, scores, saved, P, weights, l2):
        """loss_and_grads with exact=False, from the loss tape's forward on: sums by numpy, grads summed over
        the batch by matrix products."""
        n = len(labels)
        total = float(losses.sum()) * (1.0 / n) + (l2 * float(P @ P) if l2 else 0.0)
        accuracy = float(np.mean((labels > 0) == (scores > 0)))
        grads = tape.backward(vals, np.full(n, 1.0 / n))
        grad_a = np.broadcast_to(tape.input_grad(grads, 0), (n,))[:, None]
        blocks = []
        for i in reversed(range(len(self.layers))):
            x, z, a = saved[i]
            grad_W, grad_b, grad_a = self.layers[i].backward_summed(x, weights[i][0], z, a, grad_a, i > 0)
            blocks.append(np.concatenate([grad_W, grad_b[:, None]], axis=1).ravel())
        G = np.concatenate(blocks[::-1])
        if l2:
            G += P * (2.0 * l2)   # the L2 term's p*p: d/dp = 2p
        for p, g in zip(self.params, G.tolist()):
            p.grad = g
        return total, accuracy
