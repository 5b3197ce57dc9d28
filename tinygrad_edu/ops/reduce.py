"""Reductions over axes: Z = Σ A, mean, max, min."""
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..autograd import Function


def _reduced_axes(a, axis):
    """The reduced axes as non-negative ints (an out-of-range axis raises numpy's AxisError)."""
    return tuple(range(a.ndim)) if axis is None else normalize_axis_tuple(axis, a.ndim)


def _kept_shape(shape, axes):
    """The shape of the result with keepdims=True: reduced axes become size 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _spread(dz, ctx):
    """dZ copied back over the reduced axes: a fresh array of A's shape."""
    da = np.empty(ctx.shape, dtype=dz.dtype)
    da[...] = dz.reshape(ctx.kept_shape)
    return da


class Sum(Function):
    formula = "dA = dZ broadcast over the summed axes"

    def forward(ctx, a, axis=None, keepdims=False):
        axes = _reduced_axes(a, axis)
        ctx.shape, ctx.kept_shape = a.shape, _kept_shape(a.shape, axes)
        return a.sum(axis=axes, keepdims=keepdims)

    def backward(ctx, dz):
        return _spread(dz, ctx)


class Mean(Function):
    formula = "dA = dZ / n broadcast over the n averaged elements"

    def forward(ctx, a, axis=None, keepdims=False):
        axes = _reduced_axes(a, axis)
        ctx.shape, ctx.kept_shape = a.shape, _kept_shape(a.shape, axes)
        ctx.count = math.prod(a.shape[i] for i in axes)
        return a.mean(axis=axes, keepdims=keepdims)

    def backward(ctx, dz):
        return _spread(dz / ctx.count, ctx)


class _Extremum(Function):
    """Max or min; the gradient is shared equally by tied extreme elements."""
    reduce = None

    def forward(ctx, a, axis=None, keepdims=False):
        if a.size == 0:
            raise ValueError(f"{ctx.op_name} of an empty tensor has no value")
        axes = _reduced_axes(a, axis)
        ctx.kept_shape = _kept_shape(a.shape, axes)
        z = type(ctx).reduce(a, axis=axes, keepdims=True)
        hits = a == z
        share = hits / hits.sum(axis=axes, keepdims=True)
        ctx.save_for_backward(share.astype(a.dtype, copy=False))
        return z if keepdims else z.reshape([n for i, n in enumerate(z.shape) if i not in axes])

    def backward(ctx, dz):
        share, = ctx.saved_tensors
        return dz.reshape(ctx.kept_shape) * share


class Max(_Extremum):
    formula = "dA = dZ where A is the maximum (shared among ties), else 0"
    reduce = np.max


class Min(_Extremum):
    formula = "dA = dZ where A is the minimum (shared among ties), else 0"
    reduce = np.min
