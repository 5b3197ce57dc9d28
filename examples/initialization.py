"""Course 15.1: zero initialization keeps the hidden units identical.

The recipe is the course's `Level1_ZeroInitialize_Sample.py` (ch15, `NeuralNet_4_1`): a
1-3-1 sigmoid net on the complex curve, all 1000 rows, weights and biases all zero,
plain SGD η 0.1, batch 10, 50 epochs. Every hidden unit then computes the same thing and
gets the same gradient, so they stay one unit copied three times; the course prints
W1 = [−0.8245 ×3], B1 = [−0.01144 ×3], W2 = [−0.6858 ×3]ᵀ. Beside it the same net from
Xavier weights, whose units move apart.
"""
import numpy as np

from tinygrad_edu import datasets, nn, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import fit

try:
    from ._common import example_main, report
except ImportError:  # run as a script
    from _common import example_main, report

CLAIMS = [
    Claim("15.1", "zero initialization keeps the 3 hidden units identical: after 50 epochs their weights W1, B1 and "
                  "W2 differ by at most 1e-12 (from Xavier weights they differ)",
          "W1 = [−0.8245 ×3], B1 = [−0.01144 ×3], W2 = [−0.6858 ×3]", "largest difference between units: zero / Xavier",
          lambda spread: spread[0] <= 1e-12 < spread[1],
          holds_for=((0.0, 0.5), (1e-12, 0.1)), fails_for=((1e-6, 0.5), (0.0, 0.0)), fmt="{:.3g}",
          why="the largest difference between the hidden units' weights, from zeros / from Xavier: {values}.",
          zh="零初始化使 3 个隐层神经元保持相同：50 轮后它们的 W1、B1、W2 相差至多 1e-12（Xavier 初始化时则不同）",
          why_zh="隐层神经元权重之间的最大差别，零初始化 / Xavier：{values}。"),
]
FIGURES = {}


def train(init, seed, epochs, progress):
    (X, Y), _ = datasets.complex_curve(seed=seed)
    model = nn.Sequential(nn.Linear(1, 3, init=init, seed=seed), nn.Sigmoid(), nn.Linear(3, 1, init=init, seed=seed + 1))
    fit(model, nn.HalfMSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=10, seed=seed),
        epochs=epochs, progress=progress)
    return model


def unit_spread(model):
    """The largest difference between two hidden units' incoming weight, bias or outgoing weight."""
    W1, B1, W2 = model[0].weight.data, model[0].bias.data, model[2].weight.data
    return float(max(np.ptp(W1, axis=1).max(), np.ptp(B1), np.ptp(W2, axis=0).max()))


def run(quick=False, out="out", seed=0, progress=True):
    epochs = 5 if quick else 50
    zero = train("zeros", seed, epochs, progress)
    print(f"  from zeros: W1 = {zero[0].weight.data.ravel()}, B1 = {zero[0].bias.data}, W2 = {zero[2].weight.data.ravel()}")
    spread = (unit_spread(zero), unit_spread(train("xavier", seed, epochs, progress)))
    return report({"largest difference between units: zero / Xavier": spread})


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
