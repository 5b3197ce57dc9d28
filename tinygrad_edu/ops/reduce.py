"""Reductions over axes: Z = Σ A, mean, max, min.

`axis` is None (every axis), an int or a tuple of ints, negative ones counting from the
end; an axis out of range raises numpy's AxisError (an IndexError, as in PyTorch).
"""
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..engine import Function


def reduced_axes(a, axis):
    """The reduced axes as non-negative ints."""
    return tuple(range(a.ndim)) if axis is None else normalize_axis_tuple(axis, a.ndim)


def _kept_shape(shape, axes):
    """The shape of the result with keepdims=True: reduced axes become size 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _spread(ctx, dz):
    """dZ copied back over the reduced axes, to A's shape (a read-only view, no copy)."""
    return np.broadcast_to(dz.reshape(ctx.kept_shape), ctx.shape)


class Sum(Function):
    formula = "Z = Σ A · dA = dZ copied over the summed axes"

    def forward(ctx, a, axis=None, keepdims=False):
        axes = reduced_axes(a, axis)
        ctx.shape, ctx.kept_shape = a.shape, _kept_shape(a.shape, axes)
        return a.sum(axis=axes, keepdims=keepdims)

    def backward(ctx, dz):
        return _spread(ctx, dz)


class Mean(Function):
    formula = "Z = mean A · dA = dZ / n copied over the n averaged elements"

    def forward(ctx, a, axis=None, keepdims=False):
        axes = reduced_axes(a, axis)
        ctx.shape, ctx.kept_shape = a.shape, _kept_shape(a.shape, axes)
        ctx.count = math.prod(a.shape[i] for i in axes)
        return a.mean(axis=axes, keepdims=keepdims)

    def backward(ctx, dz):
        return _spread(ctx, dz / ctx.count)


class _Extremum(Function):
    """Max or min. The gradient goes to the extreme elements, shared equally among ties; where
    the input holds NaN, the result is NaN and the gradient goes to the NaNs (as in PyTorch)."""
    reduce = None

    def forward(ctx, a, axis=None, keepdims=False):
        if a.size == 0:
            raise ValueError("an empty tensor has no largest or smallest element")
        axes = reduced_axes(a, axis)
        ctx.shape, ctx.kept_shape = a.shape, _kept_shape(a.shape, axes)
        z = type(ctx).reduce(a, axis=axes, keepdims=True)
        hits = (a == z) | (np.isnan(a) & np.isnan(z))
        ctx.save_for_backward((hits / hits.sum(axis=axes, keepdims=True)).astype(a.dtype))
        return z if keepdims else z.reshape([n for i, n in enumerate(z.shape) if i not in axes])

    def backward(ctx, dz):
        share, = ctx.saved_tensors
        return _spread(ctx, dz) * share


class Max(_Extremum):
    formula = "Z = max A · dA = dZ at the maximum (shared among ties), 0 elsewhere"
    reduce = np.max


class Min(_Extremum):
    formula = "Z = min A · dA = dZ at the minimum (shared among ties), 0 elsewhere"
    reduce = np.min
