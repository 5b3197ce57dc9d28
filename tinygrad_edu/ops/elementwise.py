"""Elementwise arithmetic and math: Z = f(A) or Z = A ∘ B with numpy broadcasting."""
import numpy as np

from ..autograd import Function
from ._broadcast import unbroadcast


class Add(Function):
    formula = "dA = dZ, dB = dZ"

    def forward(ctx, a, b):
        ctx.shapes = a.shape, b.shape
        return a + b

    def backward(ctx, dz):
        a_shape, b_shape = ctx.shapes
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(dz, a_shape) if need_a else None,
                unbroadcast(dz, b_shape) if need_b else None)


class Sub(Function):
    formula = "dA = dZ, dB = −dZ"

    def forward(ctx, a, b):
        ctx.shapes = a.shape, b.shape
        return a - b

    def backward(ctx, dz):
        a_shape, b_shape = ctx.shapes
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(dz, a_shape) if need_a else None,
                unbroadcast(-dz, b_shape) if need_b else None)


class Mul(Function):
    formula = "dA = dZ ⊙ B, dB = dZ ⊙ A"

    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    def backward(ctx, dz):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(dz * b, a.shape) if need_a else None,
                unbroadcast(dz * a, b.shape) if need_b else None)


class Div(Function):
    formula = "dA = dZ / B, dB = −dZ ⊙ Z / B"

    def forward(ctx, a, b):
        z = a / b
        ctx.save_for_backward(a, b, z)
        return z

    def backward(ctx, dz):
        a, b, z = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(dz / b, a.shape) if need_a else None,
                unbroadcast(-dz * z / b, b.shape) if need_b else None)


class Neg(Function):
    formula = "dA = −dZ"

    def forward(ctx, a):
        return -a

    def backward(ctx, dz):
        return -dz


class Pow(Function):
    formula = "dA = dZ ⊙ B ⊙ A^(B−1), dB = dZ ⊙ Z ⊙ ln A"

    def forward(ctx, a, b):
        z = a ** b
        ctx.save_for_backward(a, b, z)
        return z

    def backward(ctx, dz):
        a, b, z = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(dz * b * a ** (b - 1), a.shape) if need_a else None,
                unbroadcast(dz * z * np.log(a), b.shape) if need_b else None)


class Exp(Function):
    formula = "dA = dZ ⊙ Z"

    def forward(ctx, a):
        z = np.exp(a)
        ctx.save_for_backward(z)
        return z

    def backward(ctx, dz):
        z, = ctx.saved_tensors
        return dz * z


class Log(Function):
    formula = "dA = dZ / A"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    def backward(ctx, dz):
        a, = ctx.saved_tensors
        return dz / a


class Sqrt(Function):
    formula = "dA = dZ / (2Z)"

    def forward(ctx, a):
        z = np.sqrt(a)
        ctx.save_for_backward(z)
        return z

    def backward(ctx, dz):
        z, = ctx.saved_tensors
        return dz / (z + z)


class Abs(Function):
    formula = "dA = dZ ⊙ sign(A)"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    def backward(ctx, dz):
        a, = ctx.saved_tensors
        return dz * np.sign(a)


class Clip(Function):
    formula = "dA = dZ ⊙ 1[lo ≤ A ≤ hi]"

    def forward(ctx, a, lo=None, hi=None):
        if lo is None and hi is None:
            raise ValueError("clip needs lo, hi or both")
        inside = np.ones(a.shape, dtype=bool)
        if lo is not None:
            inside &= a >= lo
        if hi is not None:
            inside &= a <= hi
        ctx.save_for_backward(inside)
        return np.clip(a, lo, hi)

    def backward(ctx, dz):
        inside, = ctx.saved_tensors
        return dz * inside
