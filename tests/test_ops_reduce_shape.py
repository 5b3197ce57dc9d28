"""Reductions and shape ops: values against numpy, gradients against finite differences."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor
from tinygrad_edu.testing import shapes, tensors

from .helpers import SMALL, full_and_fast


@st.composite
def tensor_and_axis(draw, elements=None):
    x = draw(tensors(shape=shapes(**SMALL), elements=elements))
    axis = draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1) if x.ndim else st.none(),
                          hnp.valid_tuple_axes(x.ndim)))
    return x, axis, draw(st.booleans())


@pytest.mark.parametrize("name", ["sum", "mean"])
@given(case=tensor_and_axis())
def test_sum_and_mean(name, case):
    x, axis, keepdims = case
    z = getattr(x, name)(axis=axis, keepdims=keepdims)
    assert np.allclose(z.data, getattr(np, name)(x.data, axis=axis, keepdims=keepdims))
    full_and_fast(lambda t: getattr(t, name)(axis=axis, keepdims=keepdims), x)


@pytest.mark.parametrize("name", ["max", "min"])
@given(case=tensor_and_axis(elements=st.integers(-50, 50).map(lambda k: k / 10)))
def test_max_and_min(name, case):
    x, axis, keepdims = case
    z = getattr(x, name)(axis=axis, keepdims=keepdims)
    assert np.array_equal(z.data, getattr(np, name)(x.data, axis=axis, keepdims=keepdims))
    # Ties make max non-differentiable; finite differences only hold without them.
    hits = x.data == getattr(np, name)(x.data, axis=axis, keepdims=True)
    if (hits.sum(axis=axis) == 1).all():
        full_and_fast(lambda t: getattr(t, name)(axis=axis, keepdims=keepdims), x)


def test_max_shares_the_gradient_among_ties():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]
    x.zero_grad()
    x.min().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_max_of_empty_tensor_is_an_error():
    with pytest.raises(ValueError, match=r"^max: input \(0, 2\) float64: an empty tensor has no largest"):
        Tensor(np.ones((0, 2))).max()


@given(x=tensors(shape=shapes(**SMALL)), data=st.data())
def test_reshape(x, data):
    shape = data.draw(st.sampled_from([(-1,), (x.size,), (1, x.size), (x.size, 1, 1)]))
    z = x.reshape(*shape)
    assert np.array_equal(z.data, x.data.reshape(shape))
    assert np.array_equal(x.reshape(shape).data, z.data)           # a tuple works too
    full_and_fast(lambda t: t.reshape(*shape), x)


@given(x=tensors(shape=shapes(min_dims=1, max_dims=3, max_side=4)), data=st.data())
def test_basic_indexing(x, data):
    index = data.draw(hnp.basic_indices(x.shape, allow_ellipsis=True, allow_newaxis=True))
    z = x[index]
    assert np.array_equal(z.data, x.data[index])
    full_and_fast(lambda t: t[index] * 1.0, x)


@given(x=tensors(shape=shapes(min_dims=1, max_dims=2, max_side=4)), data=st.data())
def test_integer_array_indexing_adds_repeats(x, data):
    rows = data.draw(hnp.arrays(np.int64, st.integers(1, 6), elements=st.integers(0, x.shape[0] - 1)))
    z = x[rows]
    assert np.array_equal(z.data, x.data[rows])
    z.sum().backward()
    counts = np.bincount(rows, minlength=x.shape[0]).astype(float)
    assert np.array_equal(x.grad, np.broadcast_to(counts.reshape((-1,) + (1,) * (x.ndim - 1)), x.shape))
    full_and_fast(lambda t: t[rows], x)


def test_boolean_and_tensor_indices():
    x = Tensor([[1.0, -2.0], [3.0, -4.0]], requires_grad=True)
    x[x > 0].sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0], [1.0, 0.0]]
    x.zero_grad()
    x[Tensor([1, 1]), 0].sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [2.0, 0.0]]


def test_functional_reductions_and_shapes():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert F.sum(x, axis=0).tolist() == [3.0, 5.0, 7.0]
    assert F.mean(x).item() == 2.5 and F.max(x).item() == 5.0 and F.min(x).item() == 0.0
    assert F.reshape(x, 3, 2).shape == (3, 2) and F.transpose(x, 0, 1).shape == (3, 2)
    assert F.reshape(np.ones(4), (2, 2)).shape == (2, 2)
