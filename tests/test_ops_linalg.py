"""matmul and the course's layer Z = X·W + B."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor
from tinygrad_edu.testing import floats

from .helpers import full_and_fast


def array(draw, shape):
    return Tensor(draw(hnp.arrays(np.float64, shape, elements=floats())), requires_grad=True)


@st.composite
def matmul_operands(draw):
    m, k, n = (draw(st.integers(1, 4)) for _ in range(3))
    batch_a, batch_b = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3)).input_shapes
    a_shape = draw(st.sampled_from([(k,), batch_a + (m, k)]))
    b_shape = draw(st.sampled_from([(k,), batch_b + (k, n)]))
    return array(draw, a_shape), array(draw, b_shape)


@given(matmul_operands())
def test_matmul_matches_numpy_for_vectors_matrices_and_batches(operands):
    a, b = operands
    assert np.allclose((a @ b).data, a.data @ b.data)
    full_and_fast(lambda a, b: a @ b, a, b)


def test_matmul_closed_form():
    a = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    b = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    dz = np.arange(8.0).reshape(2, 4)
    (a @ b).backward(dz)
    assert np.array_equal(a.grad, dz @ b.data.T) and np.array_equal(b.grad, a.data.T @ dz)
    assert np.array_equal(F.matmul(a, b).data, a.data @ b.data)


def test_matmul_rejects_scalars():
    with pytest.raises(ValueError, match=r"^matmul: inputs \(\) float64, \(2,\) float64: @ needs at least 1-D operands"):
        Tensor(2.0) @ Tensor([1.0, 2.0])


@st.composite
def linear_operands(draw):
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    x_shape = draw(st.sampled_from([(n_in,), (draw(st.integers(1, 5)), n_in), (2, 3, n_in)]))
    bias_shape = draw(st.sampled_from([None, (n_out,), (1, n_out)]))
    x, w = array(draw, x_shape), array(draw, (n_in, n_out))
    return (x, w) if bias_shape is None else (x, w, array(draw, bias_shape))


@given(linear_operands())
def test_linear_is_x_w_plus_b(operands):
    z = F.linear(*operands)
    expected = operands[0].data @ operands[1].data + (operands[2].data if len(operands) == 3 else 0)
    assert z.op == "linear" and len(z.parents) == len(operands)
    assert np.allclose(z.data, expected)
    full_and_fast(F.linear, *operands)


def test_linear_backward_is_the_course_formula():
    rng = np.random.default_rng(1)
    X, W, B = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(1, 2))
    x, w, b = (Tensor(v, requires_grad=True) for v in (X, W, B))
    dZ = rng.normal(size=(5, 2))
    F.linear(x, w, b).backward(dZ)
    assert np.allclose(w.grad, X.T @ dZ)                 # dW = Xᵀ·dZ
    assert np.allclose(b.grad, dZ.sum(axis=0, keepdims=True))   # dB = Σ_rows dZ
    assert np.allclose(x.grad, dZ @ W.T)                 # dX = dZ·Wᵀ


def test_linear_skips_the_input_gradient_when_not_needed():
    x = Tensor(np.ones((2, 3)))
    w = Tensor(np.ones((3, 4)), requires_grad=True)
    F.linear(x, w).sum().backward()
    assert x.grad is None and w.grad.shape == (3, 4)


def test_linear_shape_errors():
    x, w = Tensor(np.ones((64, 784))), Tensor(np.ones((64, 16)))
    with pytest.raises(ValueError, match=r"^linear: inputs \(64, 784\) float64, \(64, 16\) float64: X has 784 features but W expects 64"):
        F.linear(x, w)
    with pytest.raises(ValueError, match=r"W must be 2-D"):
        F.linear(x, Tensor(np.ones(784)))
    with pytest.raises(ValueError, match=r"B has shape \(3,\), expected \(16,\) or \(1, 16\)"):
        F.linear(Tensor(np.ones((2, 64))), w, Tensor(np.ones(3)))
