"""Ops that move elements without changing them: reshape, transpose, indexing."""
import numpy as np

from ..autograd import Function


class Reshape(Function):
    formula = "dA = dZ reshaped to A's shape"

    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return a.reshape(shape)

    def backward(ctx, dz):
        return dz.reshape(ctx.shape)


class Transpose(Function):
    formula = "dA = dZ with the axes put back"

    def forward(ctx, a, axes=None):
        ctx.inverse = None if axes is None else tuple(np.argsort(axes))
        return a.transpose(axes)

    def backward(ctx, dz):
        return dz.transpose(ctx.inverse)


def _is_basic(index):
    """True for ints, slices, None and Ellipsis (each element picked at most once)."""
    parts = index if type(index) is tuple else (index,)
    return all(part is None or part is Ellipsis or isinstance(part, (int, np.integer, slice))
               and not isinstance(part, bool) for part in parts)


class GetItem(Function):
    op_name = "getitem"
    formula = "dA = dZ scattered back to the picked positions (repeats add up)"

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
