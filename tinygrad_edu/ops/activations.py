"""Activation functions of the course, each one node with its closed-form derivative."""
import functools

import numpy as np

from ..engine import Function


def exp_neg_abs(z):
    """e^−|Z|, which lies in (0, 1] and so never overflows."""
    return np.exp(-np.abs(z))


@functools.lru_cache(maxsize=None)
def _sigmoid_floor(dtype):
    """The Z below which e^−Z would overflow `dtype` (−708 for float64, −87 for float32)."""
    return dtype.type(1 - np.log(np.finfo(dtype).max))


def stable_sigmoid(z):
    """A = 1/(1+e^−Z), which is accurate for every Z but overflows e^−Z for very negative Z;
    there Z is floored, where A is already below the smallest normal number of the dtype."""
    dtype = z.dtype if z.dtype.kind == "f" else np.dtype(np.float64)
    a = np.empty(z.shape, dtype=dtype)     # one buffer for every step (a 0-d one stays an array)
    np.maximum(z, _sigmoid_floor(dtype), out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    a += 1
    return np.reciprocal(a, out=a)


def shift_by_max(z, axis):
    """Z minus its max along `axis`: the softmax trick that keeps e^Z ≤ 1."""
    if z.ndim == 2 and axis in (1, -1):
        # The rows' max read off argmax: numpy's max along a short last axis goes row by
        # row and is 2–3× slower (29 µs against 10 µs for 256×10 float32). Same values.
        top = z[np.arange(len(z)), z.argmax(axis=1)]
        return z - top[:, np.newaxis]
    return z - z.max(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    shifted = shift_by_max(z, axis)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


class Sigmoid(Function):
    formula = "A = σ(Z) · dZ = dA ⊙ A ⊙ (1 − A)"

    def forward(ctx, z):
        a = stable_sigmoid(z)
        ctx.save_for_backward(a)
        return a

    def backward(ctx, da):
        a, = ctx.saved_tensors
        return da * a * (1 - a)


class Tanh(Function):
    formula = "A = tanh(Z) · dZ = dA ⊙ (1 − A²)"

    def forward(ctx, z):
        a = np.tanh(z)
        ctx.save_for_backward(a)
        return a

    def backward(ctx, da):
        a, = ctx.saved_tensors
        return da * (1 - a * a)


class ReLU(Function):
    formula = "A = max(0, Z) · dZ = dA ⊙ 1[Z > 0]"

    def forward(ctx, z):
        a = np.maximum(z, 0)
        ctx.save_for_backward(a)
        return a

    def backward(ctx, da):
        a, = ctx.saved_tensors
        return da * (a > 0)


class LeakyReLU(Function):
    formula = "A = Z where Z > 0, slope·Z elsewhere · dZ = dA where Z > 0, slope·dA elsewhere"

    def forward(ctx, z, slope=0.01):
        positive = z > 0
        ctx.save_for_backward(positive)
        ctx.slope = slope
        return np.where(positive, z, slope * z)

    def backward(ctx, da):
        positive, = ctx.saved_tensors
        return np.where(positive, da, ctx.slope * da)


class Softmax(Function):
    formula = "A = softmax(Z) · dZ = A ⊙ (dA − Σ_j dA ⊙ A)"

    def forward(ctx, z, axis=-1):
        e = np.exp(shift_by_max(z, axis))
        a = e / e.sum(axis=axis, keepdims=True)
        ctx.save_for_backward(a)
        ctx.axis = axis
        return a

    def backward(ctx, da):
        a, = ctx.saved_tensors
        return a * (da - (da * a).sum(axis=ctx.axis, keepdims=True))


class LogSoftmax(Function):
    formula = "A = ln softmax(Z) · dZ = dA − softmax(Z) ⊙ Σ_j dA"

    def forward(ctx, z, axis=-1):
        out = log_softmax(z, axis)
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    def backward(ctx, da):
        out, = ctx.saved_tensors
        return da - np.exp(out) * da.sum(axis=ctx.axis, keepdims=True)
