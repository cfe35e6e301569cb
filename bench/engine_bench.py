"""Engine speed on workload W, side by side in one run: micrograd 0.1.0, our Value path, our
fast path (engine/tape.py); the 50x50 decision-boundary grid; the 100,000-deep chain.
Then the same inside Pyodide 0.27.7 under Node, from the built site's dist/pyodide/.

    .venv/bin/python bench/engine_bench.py                # everything, prints JSON
    .venv/bin/python bench/engine_bench.py --steps 10     # fewer micrograd/Value steps (quicker)
    .venv/bin/python bench/engine_bench.py --no-pyodide

Times are medians over steps (and over rounds for the fast path and the grid): this machine is
shared and noisy, so compare the ratios measured in one run, not numbers across runs.
"""
import argparse
import gc
import json
import os
import pathlib
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
W_DATA = ROOT / "tests" / "data" / "moons_w.json"
PUBLISHED = {0: 0.8958441028683222, 99: 0.010978370135492717}


def lr(k):
    return 1.0 - 0.9 * k / 100


def load_w():
    d = json.loads(pathlib.Path(W_DATA).read_text())
    return d["X"], d["y"]


class Clock:
    """Wall and CPU seconds of a block (CPU time is steadier on a shared machine)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def w_micrograd(X, y):
    """micrograd's demo loop, verbatim but for the data; yields (loss, Clock) per step."""
    from micrograd.engine import Value
    from micrograd.nn import MLP
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    for k in range(100):
        with Clock() as clock:
            inputs = [list(map(Value, xrow)) for xrow in X]
            scores = list(map(model, inputs))
            data_loss = sum((1 + -yi * si).relu() for yi, si in zip(y, scores)) * (1.0 / len(scores))
            total = data_loss + 1e-4 * sum((p * p for p in model.parameters()))
            model.zero_grad()
            total.backward()
            for p in model.parameters():
                p.data -= lr(k) * p.grad
            loss = total.data
            # micrograd's closures leave every node in a reference cycle: collect them now, on
            # micrograd's clock, so that the next engine measured does not pay for them
            del inputs, scores, data_loss, total
            gc.collect()
        yield loss, clock


def w_value(X, y):
    from engine.losses import loss_and_accuracy
    from engine.nn import MLP
    from engine.optim import SGD
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    opt = SGD(model.parameters(), lr=lr)
    for _ in range(100):
        with Clock() as clock:
            total, _ = loss_and_accuracy(model, X, y, loss="svm", alpha=1e-4)
            model.zero_grad()
            total.backward()
            opt.step()
            loss = total.data
            del total
        yield loss, clock


def w_fast(X, y, keep=None, exact=True):
    from engine.nn import MLP
    from engine.optim import SGD
    from engine.tape import FastModel
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    with Clock() as compile_clock:
        fast = FastModel(model)
        fast._loss_tape("svm")  # compile once, timed separately
    if keep is not None:
        keep.update(fast=fast, compile_s=compile_clock.wall)
    opt = SGD(model.parameters(), lr=lr)
    for _ in range(100):
        with Clock() as clock:
            total, _ = fast.loss_and_grads(X, y, loss="svm", l2=1e-4, exact=exact)
            opt.step()
        yield total, clock


def grid_seconds(fast, rounds):
    import numpy as np
    xs, ys = np.meshgrid(np.linspace(-2, 3, 50), np.linspace(-1.5, 2, 50))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    fast.predict(grid)  # warm up
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fast.predict(grid)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def chain_seconds(n=100_000):
    from engine import Value
    t = time.perf_counter()
    x0 = x = Value(1.0)
    for _ in range(n):
        x = x * 1.0001
    x.backward()
    elapsed = time.perf_counter() - t
    assert abs(x0.grad / 1.0001 ** n - 1) < 1e-9
    return elapsed


def max_diff(a, b):
    return max(abs(p - q) for p, q in zip(a, b))


def measure(steps=100, rounds=3, with_micrograd=True):
    """Every number of the benchmark, as a dict (also run inside Pyodide).

    The three engines run interleaved, step k of each in turn, so they share the machine's ups
    and downs; medians over the steps. The fast path also runs `rounds` more times on its own."""
    X, y = load_w()
    keep = {}
    runners = {"value": w_value(X, y), "fast": w_fast(X, y, keep)}
    if with_micrograd:
        runners["micrograd"] = w_micrograd(X, y)
    losses = {name: [] for name in runners}
    clocks = {name: [] for name in runners}
    for _ in range(steps):
        for name, runner in runners.items():
            loss, clock = next(runner)
            losses[name].append(loss)
            clocks[name].append(clock)
    rounded = []   # the fast path with matrix products (exact=False), what the page trains with
    for _ in range(rounds):
        clocks["fast"].extend(clock for _, clock in w_fast(X, y))
        rounded.extend(w_fast(X, y, exact=False))

    def per_step(name, kind):
        return statistics.median(getattr(c, kind) for c in clocks[name])

    out = {"python": platform.python_version(), "platform": sys.platform, "steps": steps}
    for name in runners:
        out[f"{name}_s_per_step"] = per_step(name, "wall")
        out[f"{name}_cpu_s_per_step"] = per_step(name, "cpu")
    out["fast_steps_per_s"] = 1.0 / out["fast_s_per_step"]
    if rounded:
        out["fast_rounded_steps_per_s"] = 1.0 / statistics.median(clock.wall for _, clock in rounded)
        out["fast_rounded_vs_exact_max_diff"] = max_diff([loss for loss, _ in rounded[:100]], losses["fast"])
    out["fast_compile_s"] = keep["compile_s"]
    for name in runners:
        out[f"{name}_vs_published"] = max(abs(losses[name][k] - v) for k, v in PUBLISHED.items() if k < steps)
    out["fast_vs_value_max_diff"] = max_diff(losses["fast"], losses["value"])
    if with_micrograd:
        for kind, suffix in (("wall", ""), ("cpu", "_cpu")):
            if per_step("fast", kind) == 0:
                continue  # no CPU clock (Pyodide's process_time stays at 0)
            mg = per_step("micrograd", kind)
            out[f"value_speedup_vs_micrograd{suffix}"] = mg / per_step("value", kind)
            out[f"fast_speedup_vs_micrograd{suffix}"] = mg / per_step("fast", kind)
        out["value_vs_micrograd_max_diff"] = max_diff(losses["value"], losses["micrograd"])
        out["fast_vs_micrograd_max_diff"] = max_diff(losses["fast"], losses["micrograd"])
    out["final_loss"] = {name: losses[name][-1] for name in runners}
    out["grid_50x50_s"] = grid_seconds(keep["fast"], 20)
    out["chain_100000_s"] = chain_seconds()
    return out


# --- Pyodide under Node --------------------------------------------------------------------

NODE_DRIVER = r"""
import fs from 'node:fs';
const dir = process.env.PYODIDE_DIR;
const { loadPyodide } = await import(dir + '/pyodide.mjs');
const py = await loadPyodide({ indexURL: dir + '/' });
await py.loadPackage('numpy', { messageCallback: () => {} });
const files = JSON.parse(fs.readFileSync(process.env.BENCH_FILES, 'utf8'));
for (const [path, text] of Object.entries(files)) {
  py.FS.mkdirTree(path.substring(0, path.lastIndexOf('/')));
  py.FS.writeFile(path, text);
}
const result = py.runPython(process.env.BENCH_CODE);
process.stdout.write(result + '\n');
"""


def pyodide_files():
    """The engine, micrograd 0.1.0 (pure Python) and this script, to copy into Pyodide's FS."""
    import micrograd
    files = {}
    for path in sorted((ROOT / "engine").glob("*.py")):
        files[f"/bench/engine/{path.name}"] = path.read_text()
    for path in sorted(pathlib.Path(micrograd.__file__).parent.glob("*.py")):
        files[f"/bench/micrograd/{path.name}"] = path.read_text()
    files["/bench/engine_bench.py"] = pathlib.Path(__file__).read_text()
    files["/bench/tests/data/moons_w.json"] = W_DATA.read_text()
    return files


def measure_in_pyodide(steps, rounds):
    pyodide_dir = ROOT / "dist" / "pyodide"
    if not (pyodide_dir / "pyodide.mjs").exists() or not list(pyodide_dir.glob("numpy-*.whl")):
        return {"skipped": f"no Pyodide core with numpy in {pyodide_dir}: run `make build` first"}
    with tempfile.TemporaryDirectory() as tmp:
        files_json = pathlib.Path(tmp) / "files.json"
        files_json.write_text(json.dumps(pyodide_files()))
        code = ("import sys, json, traceback\nsys.path.insert(0, '/bench')\ntry:\n"
                "    import engine_bench\n    engine_bench.W_DATA = '/bench/tests/data/moons_w.json'\n"
                f"    r = json.dumps(engine_bench.measure(steps={steps}, rounds={rounds}))\n"
                "except BaseException:\n    r = json.dumps({'error': traceback.format_exc()})\nr")
        env = dict(os.environ, PYODIDE_DIR=str(pyodide_dir), BENCH_FILES=str(files_json), BENCH_CODE=code)
        done = subprocess.run(["node", "--input-type=module", "-e", NODE_DRIVER], env=env,
                              capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    result["pyodide"] = lock.get("info", {}).get("version")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="W steps (at most 100) of each engine")
    parser.add_argument("--rounds", type=int, default=3, help="extra runs of the fast path's 100 steps")
    parser.add_argument("--no-pyodide", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    report = {"cpython": measure(steps=args.steps, rounds=args.rounds)}
    if not args.no_pyodide:
        report["pyodide"] = measure_in_pyodide(args.steps, args.rounds)
    report["targets"] = {"fast_speedup_vs_micrograd_cpython": ">= 100", "value_speedup_vs_micrograd": ">= 5",
                         "fast_steps_per_s_pyodide": ">= 100", "grid_50x50_s_pyodide": "<= 0.010"}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
