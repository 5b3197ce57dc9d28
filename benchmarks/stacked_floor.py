"""Where the time of a side-by-side step goes: the demo's longest job, 11.2's hidden units.

One step of three seeds of the 2-8-3 net side by side (batch 10, softmax + cross-entropy,
each seed its own data and batch order), measured four ways side by side in one run:
the hand-written stacked numpy step with its update; the recorded ops' own forward and
backward alone (no engine, no optimizer, no loader); the traced forward and backward on
arrays (`Traced.forward` and `Pass.gradients`, as `fit_stacked` runs a step); and
the whole step of `fit_stacked` (loaders, update and bookkeeping included).

    python benchmarks/stacked_floor.py
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
import three_class  # noqa: E402
from replay_floor import ops_only  # noqa: E402
from tinygrad_edu import nn, optim  # noqa: E402
from tinygrad_edu.data import DataLoader  # noqa: E402
from tinygrad_edu.trace import Traced  # noqa: E402
from tinygrad_edu.train import _Batches, fit_stacked  # noqa: E402

SEEDS, HIDDEN, STEPS = (0, 1, 2), 8, 3000


def numpy_steps(batches, models, n):
    """The same step by hand: the course's formulas on weights with a leading seed axis."""
    W1, W2 = (np.stack([m[i].weight.data for m in models]) for i in (0, 2))
    B1, B2 = np.zeros((len(models), 1, HIDDEN)), np.zeros((len(models), 1, 3))
    for i in range(n):
        x, target, m = batches[i % len(batches)]
        X, Y = x.data, np.eye(3)[target.data].reshape(len(models), m, 3)
        A1 = 1 / (1 + np.exp(-(X @ W1 + B1)))
        Z2 = A1 @ W2 + B2
        E = np.exp(Z2 - Z2.max(axis=2, keepdims=True))
        dZ2 = (E / E.sum(axis=2, keepdims=True) - Y) / m
        dZ1 = dZ2 @ W2.transpose(0, 2, 1) * A1 * (1 - A1)
        W2 -= 0.1 * (A1.transpose(0, 2, 1) @ dZ2)
        B2 -= 0.1 * dZ2.sum(axis=1, keepdims=True)
        W1 -= 0.1 * (X.transpose(0, 2, 1) @ dZ1)
        B1 -= 0.1 * dZ1.sum(axis=1, keepdims=True)


def best_per_step(run, n=STEPS, repeats=5):
    best = np.inf
    for _ in range(repeats):                        # best of the repeats: the least disturbed
        start = time.perf_counter()
        run(n)
        best = min(best, time.perf_counter() - start)
    return best / n * 1e6


def main():
    data = {seed: three_class.course_data(seed) for seed in SEEDS}
    models = [three_class.build(HIDDEN, seed) for seed in SEEDS]
    loaders = [DataLoader(*data[seed][0], batch_size=10, seed=seed) for seed in SEEDS]
    batches = list(_Batches(loaders, list(range(len(SEEDS)))))
    stacked = nn.stack(models)
    per_sample = nn.CrossEntropyLoss(reduction="none")

    def step(x, targets):
        output = stacked(x)
        return per_sample(output.reshape(-1, output.shape[-1]), targets)

    traced, parameters = Traced(step), stacked.parameters()
    x, target, m = batches[0]
    upstream = np.ones(len(SEEDS) * m) / m
    traced.forward(x, target).gradients(upstream, parameters)      # records
    record = traced.last
    arrays = [x.data, target.data] + [held.data for held in record.held if held is not None]

    def ops_steps(n):
        for _ in range(n):
            ops_only(record, arrays, upstream)

    def traced_steps(n):
        for i in range(n):
            x, target, _ = batches[i % len(batches)]
            traced.forward(x, target).gradients(upstream, parameters)

    def fit_stacked_steps(n):
        epochs = max(1, n // len(loaders[0]))
        runs = [(three_class.build(HIDDEN, seed), lambda p: optim.SGD(p, lr=0.1)) for seed in SEEDS]
        fit_stacked(runs, nn.CrossEntropyLoss(), [DataLoader(*data[seed][0], batch_size=10, seed=seed)
                                                  for seed in SEEDS],
                    epochs=epochs, val_data=[data[seed][1] for seed in SEEDS], check_every=100 * len(loaders[0]),
                    progress=False)

    steps_of_fit = (STEPS // len(loaders[0])) * len(loaders[0])
    rows = [("hand-written stacked numpy, update included", best_per_step(lambda n: numpy_steps(batches, models, n))),
            ("the recorded ops' own forward and backward, nothing else", best_per_step(ops_steps)),
            ("traced forward and backward, on arrays as fit_stacked runs them", best_per_step(traced_steps)),
            ("the whole step of fit_stacked (loaders, update, bookkeeping)",
             best_per_step(fit_stacked_steps, n=steps_of_fit, repeats=3))]
    print(f"| one step of {len(SEEDS)} seeds of 2-{HIDDEN}-3 side by side | µs | ratio to numpy |\n|---|---|---|")
    for name, us in rows:
        print(f"| {name} | {us:.1f} | {us / rows[0][1]:.2f}× |")


if __name__ == "__main__":
    main()
