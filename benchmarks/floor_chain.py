"""The least any Python autograd can spend on the elementwise-chain workload.

A toy engine that can do exactly one thing: record y ← y ⊙ c and replay it backward
along a straight chain. No inputs to convert, no "does it need a gradient", no
broadcasting, no graph with several consumers, no topological order, no freeing rules,
no checks. Its ratio to hand-written numpy is the floor of this workload in CPython,
against which tinygrad_edu's ratio is measured (see RESULTS.md).

    python benchmarks/floor_chain.py
"""
import sys
from pathlib import Path

if __name__ == "__main__":
    from benchmark_environment import restart_single_threaded
    restart_single_threaded()

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_nets  # noqa: E402


class Node:
    __slots__ = ("data", "parent", "saved")


def multiply(y, c):
    out = Node()
    out.data, out.parent, out.saved = y.data * c, y, c
    return out


def backward(node, grad):
    while node.parent is not None:
        grad, node = grad * node.saved, node.parent
    return grad


def chain_floor():
    y = Node()
    y.data, y.parent, y.saved = np.random.default_rng(0).random((4, 4)), None, None
    c = np.full((4, 4), 1.0001)
    for _ in range(bench_nets.CHAIN):
        y = multiply(y, c)
    return backward(y, np.ones((4, 4)))


def main(rounds=15):
    runs = {"numpy": bench_nets.chain_numpy, "floor": chain_floor, "tinygrad_edu": bench_nets.chain_ours}
    ratios, numpy_seconds = bench_nets.side_by_side(runs, rounds)
    print(f"hand-written numpy: {numpy_seconds / bench_nets.CHAIN * 1e6:.2f} µs per op")
    for name in runs:
        print(f"{name:13s} {ratios[name]:5.2f}× numpy")


if __name__ == "__main__":
    main()
