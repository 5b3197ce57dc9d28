"""Random expressions of 3-8 ops, and float32 kept through every op."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, gradcheck
from tinygrad_edu.testing import floats

# Smooth ops whose outputs stay moderate whatever the inputs, so any chain of them is
# finite and differentiable everywhere (finite differences need no care at kinks).
UNARY = {
    "tanh": F.tanh,
    "sigmoid": F.sigmoid,
    "neg": lambda x: -x,
    "halve": lambda x: x * 0.5,
    "log1p_square": lambda x: (x * x + 1.0).log(),
    "sqrt1p_square": lambda x: (x * x + 1.0).sqrt(),
    "exp_tanh": lambda x: x.tanh().exp(),
    "softmax": lambda x: x.softmax(axis=-1),
    "log_softmax": lambda x: x.log_softmax(axis=-1) * 0.3,
    "center": lambda x: x - x.mean(axis=-1, keepdims=True),
    "row_sum": lambda x: x + x.sum(axis=0, keepdims=True) * 0.1,
    "transpose_twice": lambda x: x.T.T,
    "slice_square": lambda x: x[..., :1] * x,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "matmul_square": lambda a, b: F.tanh(a @ b.T) @ b,
}


@st.composite
def expressions(draw):
    """A program: a list of (op, operand indices) over a growing list of values."""
    steps = []
    n_values = 2
    for _ in range(draw(st.integers(3, 8))):
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY))), (draw(st.integers(0, n_values - 1)),)))
        else:
            steps.append((draw(st.sampled_from(sorted(BINARY))),
                          (draw(st.integers(0, n_values - 1)), draw(st.integers(0, n_values - 1)))))
        n_values += 1
    return steps


def run(steps, a, b):
    values = [a, b]
    for name, operands in steps:
        op = UNARY.get(name) or BINARY[name]
        values.append(op(*(values[i] for i in operands)))
    return values[-1]


@given(steps=expressions(), data=st.data())
def test_random_expressions_match_finite_differences(steps, data):
    shape = data.draw(st.sampled_from([(1, 3), (2, 3), (3, 3)]))
    a, b = (Tensor(data.draw(hnp.arrays(np.float64, shape, elements=floats(-2, 2))), requires_grad=True)
            for _ in range(2))
    assert gradcheck(lambda a, b: run(steps, a, b), a, b)
    assert gradcheck(lambda a, b: run(steps, a, b), a, b, fast_mode=True)


@given(steps=expressions())
def test_random_expressions_keep_float32(steps):
    rng = np.random.default_rng(0)
    a, b = (Tensor(rng.normal(size=(2, 3)).astype(np.float32), requires_grad=True) for _ in range(2))
    out = run(steps, a, b)
    out.backward(np.ones(out.shape, dtype=np.float32))
    assert out.dtype == np.float32
    assert all(t.grad is None or t.grad.dtype == np.float32 for t in (a, b))


EVERY_OP = {
    "linear": lambda x, w: F.linear(x, w, w[0]),
    "matmul": lambda x, w: x @ w,
    "pow": lambda x, w: (x * x + 1.0) ** w[0],
    "abs_clip": lambda x, w: x.abs().clip(0.1, 0.9) + w[0],
    "max_min": lambda x, w: x.max(axis=0) + w.min(axis=1),
    "leaky_relu_relu": lambda x, w: F.leaky_relu(x) + F.relu(w[0]),
    "losses": lambda x, w: (F.mse_loss(x, np.zeros((2, 2))) + F.binary_cross_entropy(F.sigmoid(x), np.ones((2, 2)))
                            + F.binary_cross_entropy_with_logits(w, np.ones((2, 2)), pos_weight=2.0)
                            + F.cross_entropy(x @ w, np.array([0, 1]), weight=np.array([1.0, 2.0]))),
    "indexing": lambda x, w: x[np.array([0, 0])] * w[:, 1:],
}


@pytest.mark.parametrize("name", sorted(EVERY_OP))
def test_every_op_keeps_float32(name):
    rng = np.random.default_rng(1)
    x, w = (Tensor(rng.uniform(0.1, 0.9, size=(2, 2)).astype(np.float32), requires_grad=True) for _ in range(2))
    out = EVERY_OP[name](x, w)
    out.backward(np.ones(out.shape, dtype=np.float32))
    assert out.dtype == np.float32 and x.grad.dtype == np.float32 and w.grad.dtype == np.float32
