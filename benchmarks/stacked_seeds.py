"""Would several seeds trained side by side as one stacked computation pay numpy's per-call
cost once? Hand-written numpy only, the 1-3-1 SGD step of batch 10 (the demo's commonest
step): S separate nets stepped one after another against one net whose weights carry a
leading seed axis, (S, in, out), stepped with batched matmuls. Prints microseconds per
seed-step for each S, both measured side by side in one run.

    python benchmarks/stacked_seeds.py
"""
import time

import numpy as np

from reference import regression_step, sigmoid


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


if __name__ == "__main__":
    print("| seeds S | one net at a time, µs per seed-step | stacked (S, in, out), µs per seed-step | ratio |")
    print("|---|---|---|---|")
    for seeds in (1, 3, 5, 10, 20):
        solo, stacked = per_seed_step(seeds)
        print(f"| {seeds} | {solo:.1f} | {stacked:.1f} | {stacked / solo:.2f} |")
