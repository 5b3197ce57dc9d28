"""What do several seeds trained side by side as one stacked computation buy? The 1-3-1 SGD
step of batch 10 (the demo's commonest step), S seeds: hand-written numpy, S separate nets
stepped one after another against one net whose weights carry a leading seed axis,
(S, in, out), stepped with batched matmuls; then tinygrad_edu, S runs of `train.fit` one
after another against one `train.fit_stacked` of the S runs (each seed its own batch
order, as the demo trains them). Prints microseconds per seed-step for each S, everything
measured side by side in one run.

    python benchmarks/stacked_seeds.py
"""
import time

import numpy as np

from reference import regression_step, sigmoid
from tinygrad_edu import datasets, nn, optim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import fit, fit_stacked


def stacked_step(p, x, y, lr):
    """The same step for S nets at once: x (S, m, 1), weights (S, in, out)."""
    m = x.shape[1]
    A1 = sigmoid(x @ p["W1"] + p["B1"])
    Z2 = A1 @ p["W2"] + p["B2"]
    dZ2 = (Z2 - y) / m
    dZ1 = dZ2 @ p["W2"].transpose(0, 2, 1) * A1 * (1 - A1)
    p["W2"] -= lr * (A1.transpose(0, 2, 1) @ dZ2)
    p["B2"] -= lr * dZ2.sum(axis=1, keepdims=True)
    p["W1"] -= lr * (x.transpose(0, 2, 1) @ dZ1)
    p["B1"] -= lr * dZ1.sum(axis=1, keepdims=True)


def net(rng, seeds=None):
    lead = () if seeds is None else (seeds,)
    return {"W1": rng.uniform(-1, 1, lead + (1, 3)), "B1": np.zeros(lead + (1, 3)),
            "W2": rng.uniform(-1, 1, lead + (3, 1)), "B2": np.zeros(lead + (1, 1))}


def per_seed_step(seeds, steps=3000, repeats=5):
    rng = np.random.default_rng(0)
    solo = [net(rng) for _ in range(seeds)]
    stacked = net(rng, seeds)
    x, y = rng.random((seeds, 10, 1)), rng.random((seeds, 10, 1))
    best_solo = best_stacked = np.inf
    for _ in range(repeats):                     # best of the repeats: the least disturbed run
        start = time.perf_counter()
        for _ in range(steps):
            for s in range(seeds):
                regression_step(solo[s], x[s], y[s], 0.1)
        best_solo = min(best_solo, time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(steps):
            stacked_step(stacked, x, y, 0.1)
        best_stacked = min(best_stacked, time.perf_counter() - start)
    return best_solo / steps / seeds * 1e6, best_stacked / steps / seeds * 1e6


def library_per_seed_step(seeds, epochs=20, repeats=3):
    """tinygrad_edu's fit, one seed after another, against fit_stacked of all of them: µs per seed-step."""
    (X, Y), _ = datasets.complex_curve(seed=0)
    X, Y = X[:900], Y[:900]
    build = lambda seed: nn.Sequential(nn.Linear(1, 3, seed=seed), nn.Sigmoid(), nn.Linear(3, 1, seed=seed + 1))  # noqa: E731
    sgd = lambda p: optim.SGD(p, lr=0.1)                                           # noqa: E731
    best_solo = best_stacked = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        for seed in range(seeds):
            model = build(seed)
            fit(model, nn.HalfMSELoss(), sgd(model.parameters()), DataLoader(X, Y, batch_size=10, seed=seed),
                epochs=epochs, progress=False)
        best_solo = min(best_solo, time.perf_counter() - start)
        start = time.perf_counter()
        fit_stacked([(build(seed), sgd) for seed in range(seeds)], nn.HalfMSELoss(),
                    [DataLoader(X, Y, batch_size=10, seed=seed) for seed in range(seeds)], epochs=epochs,
                    progress=False)
        best_stacked = min(best_stacked, time.perf_counter() - start)
    steps = epochs * 90 * seeds
    return best_solo / steps * 1e6, best_stacked / steps * 1e6


if __name__ == "__main__":
    print("| seeds S | numpy, one net at a time | numpy, stacked (S, in, out) | ratio | tinygrad_edu fit, one at a "
          "time | fit_stacked | ratio |")
    print("|---|---|---|---|---|---|---|")
    for seeds in (1, 3, 5, 10, 20):
        solo, stacked = per_seed_step(seeds)
        library_solo, library_stacked = library_per_seed_step(seeds)
        print(f"| {seeds} | {solo:.1f} | {stacked:.1f} | {stacked / solo:.2f} | {library_solo:.1f} | "
              f"{library_stacked:.1f} | {library_stacked / library_solo:.2f} |")
