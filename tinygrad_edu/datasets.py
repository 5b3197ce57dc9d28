"""The course's data sets (docs/COURSE.md §2): seeded generators, and MNIST-format files.

Each generator returns numpy arrays `(X_train, Y_train), (X_test, Y_test)`: rows are
samples; regression targets and binary labels are (m, 1) columns, class labels for
several classes are integers (m,).
"""
import numpy as np

from .data.mnist import load_mnist, read_idx

__all__ = ["sin_curve", "complex_curve", "xor", "arc", "multiclass", "load_mnist", "read_idx"]


def _uniform_noise(rng, n, half_width):
    """The course's (U[0,1) − 0.5)·2w: uniform noise in ±w."""
    return (rng.random((n, 1)) - 0.5) * 2 * half_width


def sin_curve(n_train=500, n_test=100, seed=None):
    """Course 9.5.1: y = sin(6.28x) + U(±0.1), x ~ U[0,1); test on a noise-free grid."""
    rng = np.random.default_rng(seed)
    x = rng.random((n_train, 1))
    x_test = np.linspace(0, 1, n_test).reshape(-1, 1)
    return (x, np.sin(6.28 * x) + _uniform_noise(rng, n_train, 0.1)), (x_test, np.sin(6.28 * x_test))


def complex_curve_function(x):
    """The course's "cobra" curve: 0.4x² + 0.3x·sin(15x) + 0.01·cos(50x) − 0.3."""
    return 0.4 * x ** 2 + 0.3 * x * np.sin(15 * x) + 0.01 * np.cos(50 * x) - 0.3


def complex_curve(n_train=1000, n_test=200, seed=None):
    """Course 9.5.2: the cobra curve + U(±0.05), x ~ U[0,1); test on a noise-free grid."""
    rng = np.random.default_rng(seed)
    x = rng.random((n_train, 1))
    x_test = np.linspace(0, 1, n_test).reshape(-1, 1)
    return ((x, complex_curve_function(x) + _uniform_noise(rng, n_train, 0.05)),
            (x_test, complex_curve_function(x_test)))


def xor():
    """Course 10.3: the four XOR points and labels (train = validation = test)."""
    return (np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64),
            np.array([[0], [1], [1], [0]], dtype=np.float64))


def _arcs(rng, count):
    x1 = np.linspace(0, 3.14, count)
    lower = np.sin(x1) + _uniform_noise(rng, count, 0.125).ravel()
    upper = np.sin(x1) + 0.65 + _uniform_noise(rng, count, 0.125).ravel()
    X = np.concatenate([np.stack([x1, lower], axis=1), np.stack([x1, upper], axis=1)])
    Y = np.concatenate([np.zeros((count, 1)), np.ones((count, 1))])
    order = rng.permutation(len(X))        # the course stacks the classes; shuffle so splits are fair
    return X[order], Y[order]


def arc(n_per_class=200, n_test_per_class=50, seed=None):
    """Course 10.5: two sine arcs 0.65 apart with noise U(±0.125); class 1 is the upper arc."""
    rng = np.random.default_rng(seed)
    return _arcs(rng, n_per_class), _arcs(rng, n_test_per_class)


def multiclass_labels(X):
    """Course 11.1 geometry: 0 inside the square |x1|,|x2| < 0.2, 1 inside the circle r < 0.45, 2 outside."""
    square = (np.abs(X[:, 0]) < 0.2) & (np.abs(X[:, 1]) < 0.2)
    circle = np.hypot(X[:, 0], X[:, 1]) < 0.45
    return np.where(square, 0, np.where(circle, 1, 2))


def multiclass(n_train=1000, n_test=500, seed=None):
    """Course 11.1: X ~ U[−0.5, 0.5)², three classes by position; integer labels."""
    rng = np.random.default_rng(seed)
    X = rng.random((n_train + n_test, 2)) - 0.5
    y = multiclass_labels(X)
    return (X[:n_train], y[:n_train]), (X[n_train:], y[n_train:])
