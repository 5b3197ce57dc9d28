"""The hand-written numpy versions the benchmarks compare against: the course's formulas, once.

Each network keeps its weights in a dict and trains in place, with exactly the
forward and backward the course writes out (rows are samples, Z = X·W + B).
"""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def mnist_step(p, X, Y, lr):
    """One SGD step of the 784-64-16-10 net (sigmoid → tanh → softmax + CE); Y one-hot."""
    m = len(X)
    A1 = sigmoid(X @ p["W1"] + p["B1"])
    A2 = np.tanh(A1 @ p["W2"] + p["B2"])
    Z3 = A2 @ p["W3"] + p["B3"]
    E = np.exp(Z3 - Z3.max(axis=1, keepdims=True))
    A3 = E / E.sum(axis=1, keepdims=True)
    dZ3 = (A3 - Y) / m
    dZ2 = dZ3 @ p["W3"].T * (1 - A2 * A2)
    dZ1 = dZ2 @ p["W2"].T * A1 * (1 - A1)
    p["W3"] -= lr * (A2.T @ dZ3)
    p["B3"] -= lr * dZ3.sum(axis=0)
    p["W2"] -= lr * (A1.T @ dZ2)
    p["B2"] -= lr * dZ2.sum(axis=0)
    p["W1"] -= lr * (X.T @ dZ1)
    p["B1"] -= lr * dZ1.sum(axis=0)


def regression_step(p, x, y, lr):
    """One SGD step of the 1-3-1 net (sigmoid hidden layer, identity output, half-MSE)."""
    m = len(x)
    A1 = sigmoid(x @ p["W1"] + p["B1"])
    Z2 = A1 @ p["W2"] + p["B2"]
    dZ2 = (Z2 - y) / m
    dZ1 = dZ2 @ p["W2"].T * A1 * (1 - A1)
    p["W2"] -= lr * (A1.T @ dZ2)
    p["B2"] -= lr * dZ2.sum(axis=0)
    p["W1"] -= lr * (x.T @ dZ1)
    p["B1"] -= lr * dZ1.sum(axis=0)


def elementwise_chain(x, c, n):
    """Forward n products y ← y ⊙ c and their backward, keeping what backprop would keep."""
    values = [x]
    for _ in range(n):
        values.append(values[-1] * c)
    grad = np.ones_like(x)
    for _ in range(n):
        grad = grad * c
    return grad
