"""Reductions over axes: Z = Σ A, mean, max, min."""
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..autograd import Function


def _reduced_axes(a, axis):
    """The reduced axes as non-negative ints (an out-of-range axis raises numpy's AxisError)."""
    return tuple(range(a.ndim)) if axis is None else normalize_axis_tuple(axis, a.ndim)


def _regrow(dz, axes, keepdims):
    """Give dZ back the reduced axes as size-1 axes, so it broadcasts over A."""
    return dz if keepdims else np.expand_dims(dz, axes)


class Sum(Function):
    formula = "dA = dZ broadcast over the summed axes"

    def forward(ctx, a, axis=None, keepdims=False):
        ctx.axes, ctx.keepdims, ctx.shape = _reduced_axes(a, axis), keepdims, a.shape
        return a.sum(axis=ctx.axes, keepdims=keepdims)

    def backward(ctx, dz):
        return np.broadcast_to(_regrow(dz, ctx.axes, ctx.keepdims), ctx.shape)


class Mean(Function):
    formula = "dA = dZ / n broadcast over the n averaged elements"

    def forward(ctx, a, axis=None, keepdims=False):
        ctx.axes, ctx.keepdims, ctx.shape = _reduced_axes(a, axis), keepdims, a.shape
        ctx.count = math.prod(a.shape[i] for i in ctx.axes)
        return a.mean(axis=ctx.axes, keepdims=keepdims)

    def backward(ctx, dz):
        return np.broadcast_to(_regrow(dz, ctx.axes, ctx.keepdims) / ctx.count, ctx.shape)


class _Extremum(Function):
    """Max or min; the gradient is shared equally by tied extreme elements."""
    reduce = None

    def forward(ctx, a, axis=None, keepdims=False):
        if a.size == 0:
            raise ValueError(f"{ctx.op_name} of an empty tensor has no value")
        ctx.axes, ctx.keepdims = _reduced_axes(a, axis), keepdims
        z = type(ctx).reduce(a, axis=ctx.axes, keepdims=True)
        hits = a == z
        share = hits / hits.sum(axis=ctx.axes, keepdims=True)
        ctx.save_for_backward(share.astype(a.dtype, copy=False))
        return z if keepdims else np.squeeze(z, axis=ctx.axes)

    def backward(ctx, dz):
        share, = ctx.saved_tensors
        return _regrow(dz, ctx.axes, ctx.keepdims) * share


class Max(_Extremum):
    formula = "dA = dZ where A is the maximum (shared among ties), else 0"
    reduce = np.max


class Min(_Extremum):
    formula = "dA = dZ where A is the minimum (shared among ties), else 0"
    reduce = np.min
