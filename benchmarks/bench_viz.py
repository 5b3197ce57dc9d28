"""How long drawing a 10,000-op graph takes: building the DOT source, and rendering it with `dot`."""
import time

import numpy as np

from tinygrad_edu import Tensor, viz


def chain(n_ops):
    x = Tensor(np.ones((4, 4)), requires_grad=True)
    y = x
    for _ in range(n_ops):
        y = y * 1.0001
    y.sum().backward(retain_graph=True)
    return y


def best_of(repeats, action):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    root = chain(10_000)
    rows = [
        ("draw_graph, 10,000 ops, default max_nodes=500 (DOT source)", best_of(5, lambda: viz.draw_graph(root))),
        ("  + render to SVG with dot", best_of(3, lambda: viz.draw_graph(root).pipe(format="svg"))),
        ("draw_graph, 10,000 ops, every node (max_nodes=None, DOT source)",
         best_of(3, lambda: viz.draw_graph(root, max_nodes=None))),
    ]
    for label, seconds in rows:
        print(f"{label:70s} {seconds * 1000:8.1f} ms")
    return rows


if __name__ == "__main__":
    main()
