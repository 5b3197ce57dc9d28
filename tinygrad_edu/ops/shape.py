"""Ops that move elements without changing them: reshape, permute (transpose, .T), indexing."""
import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..engine import Function


class Reshape(Function):
    formula = "Z = A reshaped · dA = dZ reshaped back to A's shape"

    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return a.reshape(shape)

    def backward(ctx, dz):
        return dz.reshape(ctx.shape)


class Permute(Function):
    formula = "Z = A with its axes reordered · dA = dZ with the axes put back"

    def forward(ctx, a, dims):
        if len(dims) != a.ndim:
            raise ValueError(f"dims {tuple(dims)} must name each of the {a.ndim} axes once")
        dims = normalize_axis_tuple(dims, a.ndim)          # negative axes count from the end
        ctx.inverse = tuple(np.argsort(dims))
        return a.transpose(dims)

    def backward(ctx, dz):
        return dz.transpose(ctx.inverse)


def _is_basic(index):
    """True for ints, slices, None and Ellipsis (each element picked at most once)."""
    parts = index if type(index) is tuple else (index,)
    return all(part is None or part is Ellipsis or isinstance(part, (int, np.integer, slice))
               and not isinstance(part, bool) for part in parts)


class GetItem(Function):
    formula = "Z = A[index] · dA = dZ put back at the picked places (repeats add up)"

    def forward(ctx, a, index):
        ctx.index, ctx.shape = index, a.shape
        return a[index]

    def backward(ctx, dz):
        da = np.zeros(ctx.shape, dtype=dz.dtype)
        if _is_basic(ctx.index):
            da[ctx.index] = dz
        else:
            np.add.at(da, ctx.index, dz)
        return da
