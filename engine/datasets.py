"""2-D classification data sets, pure Python: each returns (X, y) with X a list of [x0, x1]
points and y a list of labels -1/+1. The same (n, noise, seed) always gives the same points."""
import math
import random


def _finish(points, rng, noise):
    """Add Gaussian noise, shuffle, split into X and y."""
    rng.shuffle(points)
    X = [[x0 + rng.gauss(0, noise), x1 + rng.gauss(0, noise)] for x0, x1, _ in points]
    y = [label for _, _, label in points]
    return X, y


def moons(n=100, noise=0.1, seed=0):
    """Two interleaving half circles (like scikit-learn's make_moons)."""
    rng = random.Random(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    points = []
    for i in range(n_outer):
        t = math.pi * i / max(n_outer - 1, 1)
        points.append((math.cos(t), math.sin(t), -1))
    for i in range(n_inner):
        t = math.pi * i / max(n_inner - 1, 1)
        points.append((1 - math.cos(t), 0.5 - math.sin(t), 1))
    return _finish(points, rng, noise)


def circles(n=100, noise=0.1, seed=0, factor=0.5):
    """A circle of +1 inside a ring of -1."""
    rng = random.Random(seed)
    points = []
    for i in range(n):
        inner = i % 2 == 1
        t = rng.uniform(0, 2 * math.pi)
        r = factor if inner else 1.0
        points.append((r * math.cos(t), r * math.sin(t), 1 if inner else -1))
    return _finish(points, rng, noise)


def xor(n=100, noise=0.1, seed=0):
    """Four quadrants: +1 where x0 and x1 have the same sign."""
    rng = random.Random(seed)
    points = []
    for _ in range(n):
        x0, x1 = rng.uniform(-1, 1), rng.uniform(-1, 1)
        x0 += 0.1 if x0 > 0 else -0.1  # keep a small gap along the axes
        x1 += 0.1 if x1 > 0 else -0.1
        points.append((x0, x1, 1 if x0 * x1 > 0 else -1))
    return _finish(points, rng, noise)


def spiral(n=100, noise=0.1, seed=0):
    """Two spirals wound around each other."""
    rng = random.Random(seed)
    points = []
    half = n // 2
    for label, turn, count in ((1, 0.0, n - half), (-1, math.pi, half)):
        for i in range(count):
            r = i / count
            t = 1.75 * 2 * math.pi * r + turn
            points.append((r * math.sin(t), r * math.cos(t), label))
    return _finish(points, rng, noise)


def blobs(n=100, noise=0.1, seed=0):
    """Two Gaussian clusters; noise widens them."""
    rng = random.Random(seed)
    spread = 0.2 + noise
    points = []
    for i in range(n):
        label = 1 if i % 2 == 0 else -1
        points.append((0.6 * label + rng.gauss(0, spread), 0.6 * label + rng.gauss(0, spread), label))
    return _finish(points, rng, 0.0)


DATASETS = {"moons": moons, "circles": circles, "xor": xor, "spiral": spiral, "blobs": blobs}


def make(name, n=100, noise=0.1, seed=0):
    """A data set by name: make('spiral', n=200, noise=0.05, seed=3)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}, expected one of {tuple(DATASETS)}")
    return DATASETS[name](n=n, noise=noise, seed=seed)
