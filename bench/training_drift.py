"""How far the page's training path (engine/tape.py's exact=False: matrix products) drifts from the exact one
(micrograd's order of additions, bit for bit) on the training view's default run, in CPython.

    .venv/bin/python bench/training_drift.py [--steps 10000]

Prints JSON: at some steps, both paths' training loss and accuracy and the largest weight difference.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.training.controller import TrainingRun  # noqa: E402
from playground.training.state import TrainingSettings  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    args = parser.parse_args()
    runs = {}
    for exact in (True, False):
        run = TrainingRun(TrainingSettings())
        run.model.exact = exact
        runs[exact] = run
    checkpoints = sorted({c for c in (1, 10, 100, 1_000, 10_000, args.steps) if c <= args.steps})
    report = []
    for checkpoint in checkpoints:
        for run in runs.values():
            run.train(max_steps=checkpoint - run.step_count)
        exact, rounded = runs[True], runs[False]
        report.append({
            "step": checkpoint,
            "max_weight_diff": float(np.abs(exact.model.get_weights() - rounded.model.get_weights()).max()),
            "max_weight": float(np.abs(exact.model.get_weights()).max()),
            "train_loss": [exact.last_metrics["train_loss"], rounded.last_metrics["train_loss"]],
            "train_accuracy": [exact.last_metrics["train_accuracy"], rounded.last_metrics["train_accuracy"]],
            "test_accuracy": [exact.last_metrics["test_accuracy"], rounded.last_metrics["test_accuracy"]],
        })
    print(json.dumps({"settings": "training view defaults (2-16-16-1 ReLU, moons 100, SGD 0.5, max-margin)",
                      "pairs": "[exact, rounded]", "checkpoints": report}, indent=1))


if __name__ == "__main__":
    main()
