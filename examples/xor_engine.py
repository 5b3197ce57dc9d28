"""XOR with the course's 2-2-1 network (10.3), written with the autograd engine alone.

No layers, no optimizer: four tensors W1, B1, W2, B2, the course's forward pass, one
`loss.backward()` and the plain SGD update W ← W − η·dW, so every step is visible.
Logistic output + binary cross-entropy are fused in one op whose backward is dZ2 = A2 − Y.
"""
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, no_grad

try:
    from ._common import example_main, report
except ImportError:  # run as a script
    from _common import example_main, report

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
Y = np.array([[0], [1], [1], [0]], dtype=np.float64)


def xavier(n_in, n_out, rng):
    """The course's Xavier init: U(±√(6/(n_in + n_out)))."""
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def train(eta=0.1, max_epochs=10000, eps=0.005, check_every=100, seed=0, verbose=True):
    """Single-sample SGD (batch size 1) until the BCE loss on the four points is ≤ eps."""
    rng = np.random.default_rng(seed)
    W1 = Tensor(xavier(2, 2, rng), requires_grad=True, name="W1")
    B1 = Tensor(np.zeros((1, 2)), requires_grad=True, name="B1")
    W2 = Tensor(xavier(2, 1, rng), requires_grad=True, name="W2")
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
    return {"epochs": epoch + 1, "loss": loss, "A2": A2.ravel(), "accuracy": accuracy}


def run(quick=False, out="out", seed=0, progress=True):
    result = train(seed=seed, verbose=progress)
    for x, a in zip(X, result["A2"]):
        print(f"  x = {x.astype(int)}  A2 = {a:.5f}")
    worst = np.abs(result["A2"] - Y.ravel()).max()
    return report([("XOR, 2-2-1, η 0.1, bs 1: epochs to BCE ≤ 0.005", "5900", f"{result['epochs']}"),
                   ("XOR: largest |A2 − Y| over the four points (the course's test: < 0.01)", "0.0054",
                    f"{worst:.4f}"),
                   ("XOR: accuracy", "1.00", f"{result['accuracy']:.2f}")])


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
