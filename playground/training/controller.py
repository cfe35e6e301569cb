"""The training loop, with no Panel in it: data, model, optimiser, metrics, divergence.

A TrainingRun is built from a TrainingSettings and trains the engine's MLP on the engine's fast path.
The view calls train() a few steps at a time and reads the results; tests call it directly.
"""

import math
import time

import numpy as np

from . import engine_bridge as bridge
from .history import ThinnedHistory
from .state import validate

# Training has diverged when the loss stops being a number, or explodes past this many times its start:
# with a huge learning rate a ReLU network's loss can shoot to 1e37 and back without ever overflowing.
EXPLOSION = 1000.0


class TrainingRun:
    def __init__(self, settings):
        self.settings = settings
        self.reset()

    # -- building -----------------------------------------------------------------------------------

    def reset(self):
        """A fresh run from the settings: the same settings always give the same run."""
        self.step_count = 0
        self._first_loss = None
        self.diverged = False
        self.message = ""
        self.model = None
        self.history = ThinnedHistory()   # loss and accuracy rows, oldest first, bounded (history.py)
        self.last_metrics = None
        problems = validate(self.settings)
        if problems:
            self.message = " ".join(problems)
            self.has_data = False
            return
        self.load_data()
        s = self.settings
        self.model = bridge.Model(s.hidden_layers, s.activation, s.loss, s.optimizer, s.seed)
        self._batch_rng = np.random.default_rng(s.seed)
        self._record()

    def load_data(self):
        """(Re)build the points from the settings, keeping the model (clicks add and remove points)."""
        s = self.settings
        if s.dataset == "imported":   # a CSV file's points (csv_points.py), split as generated ones are
            imported = np.array(s.imported_points, dtype=float).reshape(-1, 3)
            points, labels = imported[:, :2], imported[:, 2]
        else:
            points, labels = bridge.make_dataset(s.dataset, s.n_points, s.noise, s.seed)
        order = np.random.default_rng(s.seed).permutation(len(labels))
        is_train = np.zeros(len(labels), dtype=bool)
        is_train[order[:max(1, round(s.train_fraction * len(labels)))] if len(labels) else []] = True
        keep = np.setdiff1d(np.arange(len(labels)), s.removed_points)
        self.generated_index = list(keep)  # which generated point each kept point is
        added = np.array(s.added_points, dtype=float).reshape(-1, 3)
        self.points = np.concatenate([points[keep].reshape(-1, 2), added[:, :2]])
        self.labels = np.concatenate([labels[keep], added[:, 2]]).astype(float)
        self.is_train = np.concatenate([is_train[keep], np.ones(len(added), dtype=bool)])
        self._train_x, self._train_y = self.points[self.is_train], self.labels[self.is_train]  # once, not per step
        self.has_data = True
        # The box follows the generated points only, so it stays put while the student clicks points in.
        self.extent = _view_box(points)

    def reload_points(self):
        """After points were clicked in or removed: new data, same network, fresh metrics."""
        self.load_data()
        if not self.diverged:
            self.message = ""
        if self.has_model:
            self._record()

    @property
    def has_model(self):
        return self.model is not None

    @property
    def ready(self):
        """Can it train? Not with invalid settings, after divergence, or without training points."""
        return self.has_model and not self.diverged and bool(self.is_train.any())

    # -- training -----------------------------------------------------------------------------------

    def learning_rate(self):
        s = self.settings
        return s.learning_rate / (1.0 + s.decay * self.step_count)

    def train(self, max_steps=10_000, budget_seconds=None, record=True):
        """Run up to max_steps steps, stopping early when budget_seconds have passed. Returns steps done.
        record: measure the metrics and add them to the history (else record_if_behind() does, later)."""
        if not self.ready:
            if self.has_model and not self.is_train.any():
                self.message = "Add some points first: there is nothing to train on."
            return 0
        start = time.perf_counter()
        done = 0
        while done < max_steps and self.ready:
            self._one_step()
            done += 1
            if budget_seconds is not None and time.perf_counter() - start > budget_seconds:
                break
        if done and record:
            self._record()
        return done

    def record_if_behind(self):
        """Measure and record the metrics if steps were trained since they last were (train(record=False))."""
        if self.has_model and (self.last_metrics or {}).get("step") != self.step_count:
            self._record()

    def _batch(self):
        """The points of the next step: every training point, or a random batch of them."""
        s = self.settings
        train_x, train_y = self._train_x, self._train_y
        if 0 < s.batch_size < len(train_y):
            pick = self._batch_rng.choice(len(train_y), size=s.batch_size, replace=False)
            train_x, train_y = train_x[pick], train_y[pick]
        return train_x, train_y

    def _one_step(self):
        train_x, train_y = self._batch()
        try:
            loss = self.model.step(train_x, train_y, self.learning_rate(), self.settings.l2)
        except (ArithmeticError, ValueError):  # the engine refuses overflowing ops (DomainError)
            loss = math.inf
        self._count_step(loss, self.model.last_weights)  # what the step started from (an op refused: nothing changed)

    def _count_step(self, loss, saved):
        """After a step from the weights `saved` with this loss: count it, or undo it if training diverged."""
        if self._first_loss is None:
            self._first_loss = loss
        limit = EXPLOSION * max(self._first_loss, 1.0)
        if not (math.isfinite(loss) and loss <= limit and np.isfinite(self.model.get_weights()).all()):
            # Undo the step, so the drawings keep showing finite numbers.
            self.model.set_weights(saved)
            self.diverged = True
            what = "is no longer a finite number" if not math.isfinite(loss) else (
                f"exploded to {loss:.3g} (it started at {self._first_loss:.3g})")
            self.message = (f"Training diverged at step {self.step_count}: the loss {what}. "
                            f"Lower the learning rate, then press Reset.")
            return
        self.step_count += 1

    # -- one step, phase by phase (the view's "Step by phase") ---------------------------------------

    def begin_phased_step(self):
        """The next step as an engine.lesson.TrainingStep on the Value path: the same batch, learning rate,
        loss, L2 and optimiser as train(max_steps=1). Run its phases, then finish_phased_step(step); a step
        dropped before that changes nothing. None when the run cannot train (see ready)."""
        if not self.ready:
            return None
        # The batch is drawn and the generator put back: only a finished step uses it up, so a dropped one (the
        # run went on by Step or Play meanwhile) leaves the run's trajectory the one its settings replay.
        before = self._batch_rng.bit_generator.state
        train_x, train_y = self._batch()
        self._phased_rng = self._batch_rng.bit_generator.state
        self._batch_rng.bit_generator.state = before
        self._phased_from = self.model.get_weights()
        return self.model.phased_step(train_x, train_y, self.learning_rate(), self.settings.l2)

    def finish_phased_step(self, step, failed=False):
        """Count a phased step whose phases have all run (failed: an op was refused on the way: undo it)."""
        loss = math.inf if failed or step.loss is None else step.loss.data
        self._batch_rng.bit_generator.state = self._phased_rng   # its batch is used up, as a step's is
        self._count_step(loss, self._phased_from)
        self._record()

    # -- reading ------------------------------------------------------------------------------------

    def scores(self, points):
        return self.model.scores(np.asarray(points, dtype=float))

    def evaluate(self):
        """Loss and accuracy on the training and the test points (None where a set is empty)."""
        row = {"step": self.step_count}
        for split, mask in (("train", self.is_train), ("test", ~self.is_train)):
            if mask.any():
                x, y = self.points[mask], self.labels[mask]
                scores = self.scores(x)
                row[f"{split}_loss"] = self.model.mean_loss(scores, y)
                row[f"{split}_accuracy"] = float(np.mean(np.sign(scores) == y))
            else:
                row[f"{split}_loss"] = row[f"{split}_accuracy"] = None
        return row

    def _record(self):
        self.last_metrics = self.evaluate()
        self.history.append(self.last_metrics)

    def take_history(self):
        """(rows, whole): the history rows recorded since the last call, to stream into the curves, or (whole)
        every row kept, to replace the curves' rows with, when the history has been thinned meanwhile."""
        return self.history.take()

    def neuron_maps(self, size):
        """What every neuron computes over the view box, on a size x size grid (grid_points' order): one
        (neurons, size, size) array per layer, the inputs x1 and x2 first, the output's score last."""
        grid = grid_points(self.extent, size)
        layers = [grid] + self.model.layer_outputs(grid)
        return [layer.T.reshape(-1, size, size) for layer in layers]

    def network_snapshot(self):
        return self.model.snapshot()

    def weight(self, layer, target, source):
        return self.model.weight(layer, target, source)

    def set_weight(self, layer, target, source, value):
        if math.isfinite(value):
            self.model.set_weight(layer, target, source, value)
            self._record()

    def restore(self, weights, step_count):
        """A fresh run's model gets shared weights and the step count they were trained to."""
        if not self.has_model or len(weights) != len(self.model.get_weights()):
            raise ValueError("the weights do not fit the network of the settings")
        self.model.set_weights(weights)
        self.step_count = step_count
        self._record()   # the metrics of the restored weights, for the status and the curves

    def removal(self, index):
        """The settings update that removes point `index` (an added point or a generated one)."""
        s = self.settings
        if index < len(self.generated_index):
            return {"removed_points": sorted(s.removed_points + [int(self.generated_index[index])])}
        added = index - len(self.generated_index)
        return {"added_points": s.added_points[:added] + s.added_points[added + 1:]}

    def point_graph(self, index, whole=False):
        """One point's scalar graph through the current network, down to its loss term, and a title saying
        which point it is and, when its gradient is zero, why. whole=False: the compact graph (the output neuron
        and the loss; see engine_bridge.Model.value_graph)."""
        x, y = self.points[index], self.labels[index]
        root = self.model.value_graph(x, y, whole=whole)
        split = "train" if self.is_train[index] else "test"
        title = f"Point {index} ({split}, label {int(y):+d}): loss {root.data:.4g}"
        if root.data == 0.0 and self.model.loss == "svm":
            title += ", classified with margin: max-margin loss 0, so every gradient is 0"
        return root, title

    def point_to_explain(self):
        """The training point whose graph shows a gradient best: the misclassified point nearest the decision
        boundary, else the point with the smallest margin that still has a loss; None if every loss is 0
        (max-margin: every point classified with margin)."""
        train = np.flatnonzero(self.is_train)
        if not self.has_model or not len(train):
            return None
        scores, labels = self.scores(self.points[train]), self.labels[train]
        margins, losses = labels * scores, self.model.point_losses(scores, labels)
        candidates = np.flatnonzero((margins < 0) & (losses > 0))
        if not len(candidates):
            candidates = np.flatnonzero(losses > 0)
        if not len(candidates):
            return None
        return int(train[candidates[np.argmin(np.abs(margins[candidates]))]])

def grid_points(extent, size):
    """The (size*size, 2) array of cell centres covering extent = (x0, x1, y0, y1), row by row from the bottom."""
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(size) + 0.5) * (x1 - x0) / size
    ys = y0 + (np.arange(size) + 0.5) * (y1 - y0) / size
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def _view_box(points, margin=0.25, empty=(-2.0, 2.0, -2.0, 2.0)):
    """A square box around the points, with a margin; a fixed box for a blank canvas."""
    if len(points) < 2:
        return empty
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    half = max(high - low) / 2 + margin
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
