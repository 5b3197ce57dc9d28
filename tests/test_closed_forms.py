"""Autodiff equals the course's hand-written backprop for its XOR and MNIST networks.

The oracle is the course's own numpy code path (batch mean, rows are samples):
dZ_out = A_out − Y, dW = A_prevᵀ·dZ / m, dB = Σ_rows dZ / m, dZ_prev = dZ·Wᵀ ⊙ f′.
"""
import numpy as np
import pytest

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, gradcheck


def xavier(rng, n_in, n_out):
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def tensors(arrays, names):
    return [Tensor(a, requires_grad=True, name=n) for a, n in zip(arrays, names)]


def test_xor_2_2_1_backprop_equals_the_course():
    rng = np.random.default_rng(3)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    W1, B1, W2, B2 = xavier(rng, 2, 2), rng.normal(size=(1, 2)), xavier(rng, 2, 1), rng.normal(size=(1, 1))
    m = len(X)
    # The course's forward and backward (10.2), by hand.
    A1 = sigmoid(X @ W1 + B1)
    A2 = sigmoid(A1 @ W2 + B2)
    dZ2 = A2 - Y
    dW2, dB2 = A1.T @ dZ2 / m, dZ2.sum(axis=0, keepdims=True) / m
    dZ1 = dZ2 @ W2.T * A1 * (1 - A1)
    dW1, dB1 = X.T @ dZ1 / m, dZ1.sum(axis=0, keepdims=True) / m

    w1, b1, w2, b2 = params = tensors((W1, B1, W2, B2), ("W1", "B1", "W2", "B2"))
    loss = F.binary_cross_entropy_with_logits(F.linear(F.sigmoid(F.linear(X, w1, b1)), w2, b2), Y)
    loss.backward()
    for p, expected in zip(params, (dW1, dB1, dW2, dB2)):
        assert np.allclose(p.grad, expected, rtol=1e-12, atol=1e-15), p.name
    # The course's loss, with the sign of its code (not of the notes' eq. 12).
    assert np.isclose(loss.item(), -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mnist_784_64_16_10_backprop_equals_the_course(dtype):
    rng = np.random.default_rng(12)
    m = 16
    X = rng.uniform(0, 1, size=(m, 784)).astype(dtype)
    labels = rng.integers(0, 10, size=m)
    Y = np.eye(10, dtype=dtype)[labels]
    sizes = [(784, 64), (64, 16), (16, 10)]
    Ws = [xavier(rng, *s).astype(dtype) for s in sizes]
    Bs = [rng.normal(scale=0.1, size=(1, s[1])).astype(dtype) for s in sizes]
    # The course's 12.1 forward and backward, by hand.
    A1 = sigmoid(X @ Ws[0] + Bs[0])
    A2 = np.tanh(A1 @ Ws[1] + Bs[1])
    A3 = softmax(A2 @ Ws[2] + Bs[2])
    dZ3 = A3 - Y
    dW3, dB3 = A2.T @ dZ3 / m, dZ3.sum(axis=0, keepdims=True) / m
    dZ2 = dZ3 @ Ws[2].T * (1 - A2 * A2)
    dW2, dB2 = A1.T @ dZ2 / m, dZ2.sum(axis=0, keepdims=True) / m
    dZ1 = dZ2 @ Ws[1].T * A1 * (1 - A1)
    dW1, dB1 = X.T @ dZ1 / m, dZ1.sum(axis=0, keepdims=True) / m

    w1, w2, w3 = tensors(Ws, ("W1", "W2", "W3"))
    b1, b2, b3 = tensors(Bs, ("B1", "B2", "B3"))
    a1 = F.sigmoid(F.linear(X, w1, b1))
    a2 = F.tanh(F.linear(a1, w2, b2))
    loss = F.cross_entropy(F.linear(a2, w3, b3), labels)
    loss.backward()
    tolerance = dict(rtol=1e-10, atol=1e-14) if dtype == np.float64 else dict(rtol=1e-3, atol=1e-6)
    for p, expected in zip((w1, b1, w2, b2, w3, b3), (dW1, dB1, dW2, dB2, dW3, dB3)):
        assert p.grad.dtype == dtype
        assert np.allclose(p.grad, expected, **tolerance), p.name
    if dtype == np.float64:   # and finite differences agree (fast mode: 51,450 parameters)
        assert gradcheck(lambda *p: F.cross_entropy(F.linear(F.tanh(F.linear(F.sigmoid(F.linear(X, p[0], p[1])),
                                                                           p[2], p[3])), p[4], p[5]), labels),
                         w1, b1, w2, b2, w3, b3, fast_mode=True)


def test_regression_1_3_1_backprop_equals_the_course():
    # 9.4: identity output with half-MSE J = Σ(Z2 − Y)²/2m, so dZ2 = (Z2 − Y)/m.
    rng = np.random.default_rng(5)
    X = rng.uniform(0, 1, size=(10, 1))
    Y = np.sin(6.28 * X)
    W1, B1, W2, B2 = xavier(rng, 1, 3), np.zeros((1, 3)), xavier(rng, 3, 1), np.zeros((1, 1))
    m = len(X)
    A1 = sigmoid(X @ W1 + B1)
    Z2 = A1 @ W2 + B2
    dZ2 = Z2 - Y
    dW2, dB2 = A1.T @ dZ2 / m, dZ2.sum(axis=0, keepdims=True) / m
    dZ1 = dZ2 @ W2.T * A1 * (1 - A1)
    dW1, dB1 = X.T @ dZ1 / m, dZ1.sum(axis=0, keepdims=True) / m

    w1, b1, w2, b2 = params = tensors((W1, B1, W2, B2), ("W1", "B1", "W2", "B2"))
    half_mse = F.mse_loss(F.linear(F.sigmoid(F.linear(X, w1, b1)), w2, b2), Y) / 2
    half_mse.backward()
    for p, expected in zip(params, (dW1, dB1, dW2, dB2)):
        assert np.allclose(p.grad, expected, rtol=1e-12, atol=1e-15), p.name
