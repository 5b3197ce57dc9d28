"""Activations: the course's closed-form derivatives, finite differences, stability."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor
from tinygrad_edu.ops.activations import shift_by_max
from tinygrad_edu.testing import shapes, tensors

from .helpers import SMALL, full_and_fast, spaced

SMOOTH = {
    "sigmoid": (F.sigmoid, lambda z: 1 / (1 + np.exp(-z))),
    "tanh": (F.tanh, lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))),
}


@pytest.mark.parametrize("name", sorted(SMOOTH))
@given(x=tensors(shape=shapes(**SMALL)))
def test_smooth_activations(name, x):
    op, reference = SMOOTH[name]
    assert op(x).op == name
    assert np.allclose(op(x).data, reference(x.data))
    full_and_fast(op, x)


@pytest.mark.parametrize("name", ["relu", "leaky_relu"])
@given(x=tensors(shape=shapes(**SMALL), elements=spaced()))
def test_piecewise_linear_activations(name, x):
    op = getattr(F, name)
    slope = 0.01 if name == "leaky_relu" else 0.0
    assert np.allclose(op(x).data, np.where(x.data > 0, x.data, slope * x.data))
    full_and_fast(op, x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(x=tensors(shape=shapes(min_dims=1, **{k: v for k, v in SMALL.items() if k != "min_dims"})),
       data=st.data())
def test_softmax_family(name, x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    e = np.exp(x.data)
    expected = e / e.sum(axis=axis, keepdims=True)
    z = getattr(F, name)(x, axis=axis)
    assert np.allclose(z.data, expected if name == "softmax" else np.log(expected))
    full_and_fast(lambda t: getattr(t, name)(axis=axis), x)


def test_course_derivatives():
    z = np.linspace(-4, 4, 9)
    for op, derivative in ((F.sigmoid, lambda a: a * (1 - a)), (F.tanh, lambda a: 1 - a * a)):
        x = Tensor(z, requires_grad=True)
        a = op(x)
        a.sum().backward()
        assert np.allclose(x.grad, derivative(a.data))
    x = Tensor(z, requires_grad=True)
    F.relu(x).sum().backward()
    assert np.array_equal(x.grad, (z > 0).astype(float))
    x = Tensor(z, requires_grad=True)
    F.leaky_relu(x, slope=0.2).sum().backward()
    assert np.allclose(x.grad, np.where(z > 0, 1.0, 0.2))


def test_softmax_jacobian_is_diag_a_minus_a_a_t():
    z = np.array([[0.5, -1.0, 2.0]])
    x = Tensor(z, requires_grad=True)
    a = F.softmax(x).data[0]
    for j in range(3):
        x.zero_grad()
        dA = np.zeros((1, 3))
        dA[0, j] = 1
        F.softmax(x).backward(dA)
        assert np.allclose(x.grad[0], (np.diag(a) - np.outer(a, a))[j])


EXTREME = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])


@pytest.mark.parametrize("op", [F.sigmoid, F.tanh, F.relu, F.leaky_relu, F.softmax, F.log_softmax])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_inputs_give_finite_values_and_gradients_without_warnings(op, dtype):
    x = Tensor(EXTREME.astype(dtype), requires_grad=True)
    z = op(x)
    z.backward(np.ones(z.shape, dtype=dtype))
    assert np.isfinite(z.data).all() and np.isfinite(x.grad).all()
    assert z.dtype == dtype and x.grad.dtype == dtype


def test_extreme_values_are_right():
    a = F.sigmoid(Tensor(EXTREME)).data
    assert 0 <= a[0] < 1e-300 and a[-1] == 1.0 and a[3] == 0.5
    assert np.isclose(a[2], np.exp(-50) / (1 + np.exp(-50)), rtol=1e-12)   # relative accuracy for z < 0
    logp = F.log_softmax(Tensor(EXTREME)).data
    assert logp[-1] == 0.0 and np.isclose(logp[0], -2e4)


@given(z=hnp.arrays(st.sampled_from([np.float32, np.float64]),
                    st.tuples(st.integers(0, 20), st.integers(1, 12)),
                    elements=st.floats(width=32, allow_nan=True, allow_infinity=True)))
def test_shift_by_max_of_rows_equals_numpys_max(z):
    with np.errstate(invalid="ignore"):      # inf − inf in a row of infinities is NaN both ways
        expected = z - z.max(axis=1, keepdims=True)
        np.testing.assert_array_equal(shift_by_max(z, 1), expected)
        np.testing.assert_array_equal(shift_by_max(z, -1), expected)
