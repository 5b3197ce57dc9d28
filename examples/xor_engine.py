"""XOR with the course's 2-2-1 network (10.3), written with the autograd engine alone.

No layers, no optimizer: four tensors W1, B1, W2, B2, the course's forward pass, one
`loss.backward()` and the plain SGD update W ← W − η·dW, so every step is visible.
Logistic output + binary cross-entropy are fused in one op whose backward is dZ2 = A2 − Y.
"""
import math

import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, no_grad
from tinygrad_edu.claims import Claim

try:
    from ._common import epochs_by_seed, example_main, figure_path, pyplot, report, seeds_named
except ImportError:  # run as a script
    from _common import epochs_by_seed, example_main, figure_path, pyplot, report, seeds_named

HIDDEN = (1, 2, 3, 4, 8, 16)
COURSE_EPOCHS = (math.inf, 6200, 4900, 4300, 4400, 4500)
BY_WIDTH, BY_WIDTH_ZH = ("epochs for 1 / 2 / 3 / 4 / 8 / 16 hidden units: {values}.",
                         "1 / 2 / 3 / 4 / 8 / 16 个隐层神经元的轮数：{values}。")
CLAIMS = [
    Claim("10.3", "XOR on a 2-2-1 net (η 0.1, bs 1) reaches BCE 0.005 near epoch 5900 (2950–10000)", "5900",
          "epochs", lambda epochs: 2950 <= epochs <= 10000,
          holds_for=(2950, 5900, 10000), fails_for=(2900, math.inf), fmt="{:.0f}",
          zh="异或：2-2-1 网络（η 0.1，bs 1）在第 5900 轮左右（2950–10000）使交叉熵降到 0.005"),
    Claim("10.3", "then every output is within 0.01 of its label (the course's Test())", "largest |A2 − Y| 0.0054",
          "largest error", lambda error: error < 0.01,
          holds_for=(0.0054,), fails_for=(0.01, 0.2), fmt="{:.4f}",
          zh="此时每个输出与标签相差都小于 0.01（课程的 Test()）"),
    Claim("10.4.4", "one hidden unit cannot solve XOR: BCE never reaches 0.005 in 10000 epochs",
          "never / 6200 / 4900 / 4300 / 4400 / 4500 for 1 / 2 / 3 / 4 / 8 / 16",
          "epochs by hidden units", lambda epochs: epochs[0] == math.inf,
          holds_for=((math.inf, 6200, 4900, 4300, 4400, 4500),), fails_for=((9000, 6200, 4900, 4300, 4400, 4500),),
          fmt="{:.0f}",
          why=BY_WIDTH,
          zh="1 个隐层神经元解决不了异或：10000 轮内交叉熵达不到 0.005",
          why_zh=BY_WIDTH_ZH),
    Claim("10.4.4", "4 hidden units need the fewest epochs, within 20% of the fastest of 2 / 3 / 4 / 8 / 16",
          "never / 6200 / 4900 / 4300 / 4400 / 4500 for 1 / 2 / 3 / 4 / 8 / 16", "epochs by hidden units",
          lambda e: e[3] < math.inf and e[3] <= 1.2 * min(e[1:]),
          holds_for=((math.inf, 6200, 4900, 4300, 4400, 4500), (math.inf, 6200, 4900, 4300, 3600, 4500)),
          fails_for=((math.inf, 6200, 4900, 4300, 3500, 4500), (math.inf, math.inf, 4900, math.inf, 4400, 4500)),
          fmt="{:.0f}",
          why=BY_WIDTH,
          zh="4 个隐层神经元所需轮数最少：与 2 / 3 / 4 / 8 / 16 个中最快者相差在 20% 以内",
          why_zh=BY_WIDTH_ZH),
    Claim("10.4.4", "more units are not easier: 8 and 16 hidden units are no faster than 4 (within 20%)",
          "never / 6200 / 4900 / 4300 / 4400 / 4500 for 1 / 2 / 3 / 4 / 8 / 16", "epochs by hidden units",
          lambda e: e[3] < math.inf and min(e[4:]) >= 0.8 * e[3],
          holds_for=((math.inf, 6200, 4900, 4300, 4400, 4500), (math.inf, 6200, 4900, 4300, 3500, 4500)),
          fails_for=((math.inf, 6200, 4900, 4300, 3400, 4500), (math.inf, 6200, 4900, math.inf, 4400, 4500)),
          fmt="{:.0f}",
          why=BY_WIDTH,
          zh="更多神经元并不更容易：8 个和 16 个隐层神经元不比 4 个快（相差 20% 以内）",
          why_zh=BY_WIDTH_ZH),
    Claim("10.1", "one logistic unit (no hidden layer) cannot get all four XOR points right: at most 3 of 4 after "
                  "10000 epochs", "impossible (a contradiction in the weights)", "one unit: accuracy",
          lambda accuracy: accuracy <= 0.75,
          holds_for=(0.5, 0.75), fails_for=(1.0,), fmt="{:.2f}",
          why="the single unit's accuracy on the four points: {values}.",
          zh="单个逻辑回归神经元（没有隐层）不能把异或的四个点全部分对：10000 轮后至多对 3 个",
          why_zh="单个神经元在四个点上的准确率：{values}。"),
]
FIGURES = {"xor_hidden_units.png": "10.4.4 · epochs XOR needs to reach the course's stop loss for each number of "
                                   "hidden units: one dot per seed beside the course's one run; a dot on the top line "
                                   "never got there."}

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
Y = np.array([[0], [1], [1], [0]], dtype=np.float64)


def xavier(n_in, n_out, rng):
    """The course's Xavier init: U(±√(6/(n_in + n_out)))."""
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def train(hidden=2, eta=0.1, max_epochs=10000, eps=0.005, check_every=100, seed=0, verbose=True):
    """Single-sample SGD (batch size 1) until the BCE loss on the four points is ≤ eps."""
    rng = np.random.default_rng(seed)
    W1 = Tensor(xavier(2, hidden, rng), requires_grad=True, name="W1")
    B1 = Tensor(np.zeros((1, hidden)), requires_grad=True, name="B1")
    W2 = Tensor(xavier(hidden, 1, rng), requires_grad=True, name="W2")
    B2 = Tensor(np.zeros((1, 1)), requires_grad=True, name="B2")
    params = [W1, B1, W2, B2]

    def forward(x):
        A1 = F.sigmoid(F.linear(x, W1, B1))   # Z1 = X·W1 + B1, A1 = Sigmoid(Z1)
        return F.linear(A1, W2, B2)           # Z2 = A1·W2 + B2 (the logistic is in the loss)

    for epoch in range(max_epochs):
        for i in rng.permutation(len(X)):
            loss = F.binary_cross_entropy_with_logits(forward(X[i:i + 1]), Y[i:i + 1])
            loss.backward()                   # dZ2 = A2 − Y, then back through W2, Sigmoid, W1
            for p in params:
                p.data -= eta * p.grad
                p.grad = None
        if (epoch + 1) % check_every == 0:
            with no_grad():
                loss = F.binary_cross_entropy_with_logits(forward(X), Y).item()
            if verbose:
                print(f"epoch {epoch:5d}  loss {loss:.6f}")
            if loss <= eps:
                break
    with no_grad():
        A2 = F.sigmoid(forward(X)).numpy()
    accuracy = float(np.mean((A2 > 0.5) == (Y > 0.5)))
    return {"epochs": epoch + 1 if loss <= eps else math.inf, "loss": loss, "A2": A2.ravel(), "accuracy": accuracy}


def one_unit(eta=0.1, epochs=10000, seed=0):
    """10.1: z = x1·w1 + x2·w2 + b, a = Logistic(z), single-sample SGD on the BCE: the share of
    the four points on the right side of a = 0.5 afterwards."""
    rng = np.random.default_rng(seed)
    W, B = Tensor(xavier(2, 1, rng), requires_grad=True), Tensor(np.zeros((1, 1)), requires_grad=True)
    for _ in range(epochs):
        for i in rng.permutation(len(X)):
            F.binary_cross_entropy_with_logits(F.linear(X[i:i + 1], W, B), Y[i:i + 1]).backward()
            for p in (W, B):
                p.data -= eta * p.grad
                p.grad = None
    with no_grad():
        return float(np.mean((F.linear(X, W, B).numpy() > 0) == (Y > 0.5)))


def draw_seeds(out, by_seed):
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(7, 4.2))
    epochs_by_seed(ax, [str(hidden) for hidden in HIDDEN], {s: m["epochs by hidden units"] for s, m in by_seed.items()},
                   COURSE_EPOCHS, max(m["max epochs"] for m in by_seed.values()),
                   f"XOR on 2-n-1 nets (η 0.1, bs 1), {seeds_named(by_seed)}")
    ax.set(xlabel="hidden units", ylabel="epochs to BCE 0.005")
    figure.tight_layout()
    figure.savefig(figure_path(out, "xor_hidden_units.png"), dpi=100)
    plt.close(figure)


def run(quick=False, out="out", seed=0, progress=True):
    max_epochs = 1000 if quick else 10000
    results = {hidden: train(hidden, max_epochs=max_epochs, seed=seed, verbose=False) for hidden in HIDDEN}
    for x, a in zip(X, results[2]["A2"]):
        print(f"  x = {x.astype(int)}  A2 = {a:.5f}")
    measured = {"epochs": results[2]["epochs"], "largest error": np.abs(results[2]["A2"] - Y.ravel()).max(),
                "accuracy": results[2]["accuracy"], "max epochs": max_epochs,
                "epochs by hidden units": tuple(results[hidden]["epochs"] for hidden in HIDDEN),
                "one unit: accuracy": one_unit(epochs=max_epochs, seed=seed)}
    draw_seeds(out, {seed: measured})
    return report(measured)


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
