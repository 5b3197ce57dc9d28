"""Course 12.2: check the 784-64-16-10 network's backprop against central differences.

θ = vec(W1, B1, W2, B2, W3, B3), J = cross-entropy on a random batch with X in [0, 1];
diff = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) over all 51,450 parameters (two forward passes each).
In float64 a correct backward of smooth layers gives diff < 1e-7. For contrast, the
same check on a sigmoid whose backward forgets the (1 − A) factor.
"""
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Function, Tensor
from tinygrad_edu.claims import Claim
from tinygrad_edu.gradcheck import gradient_difference, verdict

try:
    from ._common import example_main, report
except ImportError:  # run as a script
    from _common import example_main, report


CLAIMS = [
    Claim("12.2", "backprop of the 784-64-16-10 net agrees with central differences: diff < 1e-7 (float64)",
          "< 1e-7 means correct", "diff", lambda diff: diff < 1e-7,
          holds_for=(1e-9,), fails_for=(1e-7, 1e-3), fmt="{:.1e}",
          zh="784-64-16-10 网络的反向传播与中心差分一致：diff < 1e-7（float64）"),
    Claim("12.2", "the check catches a sigmoid backward that forgets (1 − A): diff > 1e-2", "> 1e-2 means wrong",
          "diff with a buggy sigmoid", lambda diff: diff > 1e-2,
          holds_for=(0.5,), fails_for=(1e-2, 1e-8), fmt="{:.2f}",
          zh="梯度检查能发现漏掉 (1 − A) 的 Sigmoid 反向传播：diff > 1e-2"),
]
FIGURES = {}


class BuggySigmoid(Function):
    """A = σ(Z) with a classic slip in backward: dZ = dA ⊙ A (the (1 − A) is missing)."""
    formula = "dZ = dA ⊙ A   (wrong: should be dA ⊙ A ⊙ (1 − A))"

    def forward(ctx, z):
        a = 1 / (1 + np.exp(-z))
        ctx.save_for_backward(a)
        return a

    def backward(ctx, da):
        a, = ctx.saved_tensors
        return da * a


def parameters(seed):
    rng = np.random.default_rng(seed)
    sizes = [(784, 64), (64, 16), (16, 10)]
    params = []
    for n_in, n_out in sizes:
        limit = np.sqrt(6 / (n_in + n_out))
        params += [Tensor(rng.uniform(-limit, limit, (n_in, n_out)), requires_grad=True),
                   Tensor(rng.normal(0, 0.1, (1, n_out)), requires_grad=True)]
    return params


def network(sigmoid):
    def loss(X, labels, W1, B1, W2, B2, W3, B3):
        A1 = sigmoid(F.linear(X, W1, B1))
        A2 = F.tanh(F.linear(A1, W2, B2))
        return F.cross_entropy(F.linear(A2, W3, B3), labels)
    return loss


def run(quick=False, out="out", seed=0, progress=True):
    rng = np.random.default_rng(seed)
    X, labels = rng.random((4, 784)), rng.integers(0, 10, 4)
    params = parameters(seed)
    if quick:   # all but W1: 1,274 parameters instead of 51,450 (B1's gradient still passes the sigmoid)
        params[0].requires_grad = False
    right = gradient_difference(network(F.sigmoid), X, labels, *params)
    buggy = gradient_difference(network(BuggySigmoid.apply), X, labels, *params)
    print(f"  the course's verdicts: {verdict(right)}; with the buggy sigmoid, {verdict(buggy)}")
    return report({"diff": right, "diff with a buggy sigmoid": buggy})


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
