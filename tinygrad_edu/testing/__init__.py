"""Hypothesis strategies and assertions for testing backprop (the ones our own tests use).

    from hypothesis import given
    from tinygrad_edu.testing import tensors, assert_grads_close

    @given(tensors(shape=(3, 4)))
    def test_my_op(x):
        assert_grads_close(lambda x: MyOp.apply(x).sum(), x)
"""
import numpy as np

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as error:  # hypothesis is the `test` extra
    raise ImportError("tinygrad_edu.testing needs hypothesis: pip install 'tinygrad_edu[test]'") from error

from ..gradcheck import gradcheck
from ..engine import Tensor


def shapes(min_dims=0, max_dims=3, min_side=1, max_side=5):
    """Array shapes, 0-d and size-1 axes included."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(shape, min_dims=0, max_dims=None, min_side=1, max_side=5):
    """Shapes that broadcast against `shape` (fewer axes, or size-1 axes where it has more)."""
    max_dims = len(shape) if max_dims is None else max_dims
    return hnp.broadcastable_shapes(shape, min_dims=min_dims, max_dims=max_dims,
                                    min_side=min_side, max_side=max_side)


def floats(low=-3.0, high=3.0, dtype=np.float64):
    """Finite floats in [low, high] representable in `dtype`."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False, width=np.dtype(dtype).itemsize * 8)


def tensors(shape=None, dtype=np.float64, elements=None, requires_grad=True, name=None):
    """Tensors of a fixed shape (a tuple) or of shapes drawn from a strategy (default: `shapes()`)."""
    shape = shapes() if shape is None else shape
    elements = floats(dtype=dtype) if elements is None else elements
    return hnp.arrays(np.dtype(dtype), shape, elements=elements).map(
        lambda array: Tensor(array, requires_grad=requires_grad, name=name))


def assert_grads_close(fn, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, fast_mode=False):
    """Assert that backward of fn(*inputs) matches central differences (see `gradcheck`)."""
    gradcheck(fn, *inputs, eps=eps, atol=atol, rtol=rtol, fast_mode=fast_mode)
