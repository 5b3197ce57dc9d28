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


@st.composite
def stacked_linear_operands(draw):
    """W holding several runs, (runs, in, out), with X shared or one per run, B (runs, 1, out) or none."""
    runs, m, n_in, n_out = (draw(st.integers(1, 4)) for _ in range(4))
    x_shape = draw(st.sampled_from([(m, n_in), (runs, m, n_in)]))
    with_bias = draw(st.booleans())
    operands = [array(draw, x_shape), array(draw, (runs, n_in, n_out))]
    return operands + [array(draw, (runs, 1, n_out))] if with_bias else operands


@given(stacked_linear_operands())
def test_a_stacked_linear_is_each_runs_own_layer_bit_for_bit(operands):
    """Each run's Z, dW, dB (and its share of dX) are what F.linear gives for that run alone."""
    x, w, *b = operands
    dz = np.random.default_rng(0).normal(size=(len(w), x.shape[-2], w.shape[-1]))
    F.linear(x, w, *b).backward(dz)
    full_and_fast(F.linear, *operands)
    dx_runs = []
    for k in range(len(w)):
        x_k = Tensor(x.data if x.ndim == 2 else x.data[k], requires_grad=True)
        w_k = Tensor(w.data[k], requires_grad=True)
        b_k = [Tensor(b[0].data[k, 0], requires_grad=True)] if b else []
        z_k = F.linear(x_k, w_k, *b_k)
        z_k.backward(dz[k])
        assert np.array_equal(z_k.data, (F.linear(x, w, *b).data)[k])
        assert np.array_equal(w_k.grad, w.grad[k])
        if b:
            assert np.array_equal(b_k[0].grad, b[0].grad[k, 0])
        dx_runs.append(x_k.grad)
    assert np.allclose(x.grad, sum(dx_runs) if x.ndim == 2 else np.stack(dx_runs))


def test_stacked_linear_shape_errors():
    w = Tensor(np.ones((3, 2, 4)))
    with pytest.raises(ValueError, match=r"W must be 2-D \(in_features, out_features\), or 3-D \(runs, in, out\)"):
        F.linear(Tensor(np.ones((5, 2))), Tensor(np.ones((1, 3, 2, 4))))
    with pytest.raises(ValueError, match=r"B has shape \(4,\), expected \(3, 1, 4\) for W \(3, 2, 4\)"):
        F.linear(Tensor(np.ones((5, 2))), w, Tensor(np.ones(4)))
    with pytest.raises(ValueError, match=r"X holds 2 runs but W holds 3"):
        F.linear(Tensor(np.ones((2, 5, 2))), w)
    with pytest.raises(ValueError, match=r"X must be \(m, in\) or \(runs, m, in\) beside W of shape \(runs, in, out\), "
                                         r"got shape \(2,\)"):
        F.linear(Tensor(np.ones(2)), w)
