"""Computation graphs of the course's networks: drawings (`tinygrad-edu graph NAME`) and
pages to step through backprop in a browser (`tinygrad-edu explore NAME`).

xor:   the 2-2-1 XOR net on its four points, before and after backward (gradients in
       red), and one drawing per backward step in xor_steps/ to page through backprop.
sine:  the 1-2-1 net of the sine curve (9.5) on eight points.
mnist: the 784-64-16-10 net drawn by module: one cluster per layer, parameters by name.
"""
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, datasets, nn, viz

try:
    from . import mnist, xor_engine
    from ._common import example_main, figure_path
except ImportError:  # run as a script
    import mnist
    import xor_engine
    from _common import example_main, figure_path


CLAIMS = []
FIGURES = {
    "xor_forward.svg": "the XOR net's graph after the forward pass: each box a tensor with its values, each oval "
                       "an op with its backward rule.",
    "xor_backward.svg": "the same after loss.backward(): every tensor now carries its gradient (in red).",
    "xor_steps/step_01.svg": "the first step of backprop on the XOR net; xor_steps/ holds one drawing per step, in "
                             "the order the engine runs them.",
    "mnist_graph.svg": "the 784-64-16-10 net drawn by module: one cluster per layer, parameters by name.",
    "xor_explorer.html": "step through backprop of the XOR net in the browser: each op's formula with the names "
                         "of the tensors on screen, the arrays flowing in and out.",
    "mnist_explorer.html": "the same for the 784-64-16-10 net on four images.",
}


def xor_loss(seed=0):
    """The course's XOR net at its initial weights: the loss tensor, with named parameters."""
    rng = np.random.default_rng(seed)
    W1 = Tensor(xor_engine.xavier(2, 2, rng), requires_grad=True, name="W1")
    B1 = Tensor(np.zeros((1, 2)), requires_grad=True, name="B1")
    W2 = Tensor(xor_engine.xavier(2, 1, rng), requires_grad=True, name="W2")
    B2 = Tensor(np.zeros((1, 1)), requires_grad=True, name="B2")
    X = Tensor(xor_engine.X, name="X")
    Z1 = F.linear(X, W1, B1)
    Z1.name = "Z1"
    A1 = F.sigmoid(Z1)
    A1.name = "A1"
    Z2 = F.linear(A1, W2, B2)
    Z2.name = "Z2"
    loss = F.binary_cross_entropy_with_logits(Z2, xor_engine.Y)
    loss.name = "loss"
    return loss


def draw_xor(out, format="svg"):
    paths = [viz.draw_graph(xor_loss()).render(figure_path(out, "xor_forward"), format=format, cleanup=True)]
    loss = xor_loss()
    paths += viz.backward_steps(loss, figure_path(out, "xor_steps"), format=format)
    paths.append(viz.draw_graph(loss).render(figure_path(out, "xor_backward"), format=format, cleanup=True))
    return paths


def draw_mnist(out, format="svg"):
    model = mnist.build(seed=0, dtype=np.float64)
    X = np.random.default_rng(0).random((4, 784))
    return [viz.draw_module(model, X).render(figure_path(out, "mnist_graph"), format=format, cleanup=True)]


DRAWINGS = {"xor": draw_xor, "mnist": draw_mnist}


def explore_xor():
    return viz.explore(xor_loss(), title="XOR, 2-2-1 (course 10.3): one forward and backward pass")


def explore_sine():
    (X, Y), _ = datasets.sin_curve(n_train=8, seed=0)
    model = nn.Sequential(nn.Linear(1, 2, seed=0), nn.Sigmoid(), nn.Linear(2, 1, seed=1))
    loss = F.half_mse_loss(model(Tensor(X, name="X")), Y)
    loss.name = "half-MSE"
    return viz.explore(loss, model=model, title="Sine curve, 1-2-1 (course 9.5): eight points, half-MSE")


def explore_mnist():
    model = mnist.build(seed=0, dtype=np.float64)
    X = Tensor(np.random.default_rng(0).random((4, 784)), name="X")
    loss = F.cross_entropy(model(X), np.array([3, 1, 4, 1]))
    loss.name = "CE"
    return viz.explore(loss, model=model, title="784-64-16-10 (course 12.1): four images, softmax + cross-entropy")


EXPLORERS = {"xor": explore_xor, "sine": explore_sine, "mnist": explore_mnist}


def run(quick=False, out="out", seed=0, progress=True):
    paths = [path for draw in DRAWINGS.values() for path in draw(out)]
    pages = [EXPLORERS[name]().save(figure_path(out, f"{name}_explorer.html")) for name in ("xor", "mnist")]
    print(f"  wrote {len(paths)} graph drawings and {len(pages)} backprop pages to {out}/")
    return {}


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
