"""Where the time of one elementwise op goes: numpy's work against the engine's Python.

Times, per op on a (4, 4) float64 array, best of several runs:
  the numpy product itself (what the hand-written version pays, once forward, once backward),
  Mul.forward called directly (the op's own code), Mul.apply (forward + recording the node),
  Mul.backward called directly, and backward() of a 1,000-op chain divided by 1,000.
"""
import timeit

import numpy as np

from tinygrad_edu import Tensor
from tinygrad_edu.ops.elementwise import Mul


def per_call(statement, number=20000):
    return min(timeit.repeat(statement, number=number, repeat=7)) / number * 1e6


def main():
    a, c = np.random.default_rng(0).random((4, 4)), np.full((4, 4), 1.0001)
    x, constant = Tensor(a, requires_grad=True), Tensor(c)
    ctx = (x * constant)._ctx                  # a recorded call, as backward finds it

    def chain_backward():
        y = x
        for _ in range(1000):
            y = y * constant
        return y

    def backward_only():
        y = chain_backward()
        start = timeit.default_timer()
        y.backward(np.ones((4, 4)))
        return timeit.default_timer() - start

    rows = [
        ("numpy a * c", per_call(lambda: a * c)),
        ("Mul.forward(ctx, a, c): the op's own code", per_call(lambda: Mul.forward(ctx, a, c))),
        ("x * c: Mul.apply, forward and recording the node", per_call(lambda: x * constant)),
        ("Mul.backward(ctx, dz): the op's own code", per_call(lambda: Mul.backward(ctx, a))),
        ("backward() of a 1,000-op chain, per op", min(backward_only() for _ in range(20)) / 1000 * 1e6),
    ]
    for label, microseconds in rows:
        print(f"{label:55s} {microseconds:6.2f} µs")
    return rows


if __name__ == "__main__":
    main()
