"""Elementwise arithmetic and math: Z = f(A) or Z = A ∘ B, with numpy's broadcasting.

A gradient here has Z's shape; where broadcasting stretched an input, the engine sums
it back to that input's shape.
"""
import numpy as np

from ..engine import Function


class Add(Function):
    formula = "Z = A + B · dA = dZ, dB = dZ"

    def forward(ctx, a, b):
        return a + b

    def backward(ctx, dz):
        return dz, dz


class Sub(Function):
    formula = "Z = A − B · dA = dZ, dB = −dZ"

    def forward(ctx, a, b):
        return a - b

    def backward(ctx, dz):
        return dz, -dz


class Mul(Function):
    formula = "Z = A ⊙ B · dA = dZ ⊙ B, dB = dZ ⊙ A"

    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    def backward(ctx, dz):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad             # a constant (x * 2) needs no product
        return dz * b if need_a else None, dz * a if need_b else None


class Div(Function):
    formula = "Z = A / B · dA = dZ / B, dB = −dZ ⊙ Z / B"

    def forward(ctx, a, b):
        z = a / b
        ctx.save_for_backward(b, z)
        return z

    def backward(ctx, dz):
        b, z = ctx.saved_tensors
        da = dz / b
        return da, -da * z if ctx.needs_input_grad[1] else None      # loss / 2 needs no dB


class Neg(Function):
    formula = "Z = −A · dA = −dZ"

    def forward(ctx, a):
        return -a

    def backward(ctx, dz):
        return -dz


class Pow(Function):
    formula = "Z = A^B · dA = dZ ⊙ B ⊙ A^(B−1), dB = dZ ⊙ Z ⊙ ln A"

    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):     # 0 ** −1 is inf, as in PyTorch
            z = a ** b
        ctx.save_for_backward(a, b, z)
        return z

    def backward(ctx, dz):
        a, b, z = ctx.saved_tensors
        # At the edges PyTorch's values, with no warnings: dA = 0 where B = 0 (A⁰ is 1 even at
        # A = 0), and dB = 0 where A = 0 and B ≥ 0 (Z is 0 or 1 there, not Z·ln 0).
        with np.errstate(divide="ignore", invalid="ignore"):
            da = dz * np.where(b == 0, 0, b * a ** (b - 1))
            db = dz * np.where((a == 0) & (b >= 0), 0, z * np.log(a))
        return da, db


class Exp(Function):
    formula = "Z = exp(A) · dA = dZ ⊙ Z"

    def forward(ctx, a):
        z = np.exp(a)
        ctx.save_for_backward(z)
        return z

    def backward(ctx, dz):
        z, = ctx.saved_tensors
        return dz * z


class Log(Function):
    formula = "Z = ln A · dA = dZ / A"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    def backward(ctx, dz):
        a, = ctx.saved_tensors
        return dz / a


class Sqrt(Function):
    formula = "Z = √A · dA = dZ / (2Z)"

    def forward(ctx, a):
        z = np.sqrt(a)
        ctx.save_for_backward(z)
        return z

    def backward(ctx, dz):
        z, = ctx.saved_tensors
        return dz / (2 * z)


class Abs(Function):
    formula = "Z = |A| · dA = dZ ⊙ sign(A)"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    def backward(ctx, dz):
        a, = ctx.saved_tensors
        return dz * np.sign(a)


class Clip(Function):
    formula = "Z = clip(A, lo, hi) · dA = dZ ⊙ 1[lo ≤ A ≤ hi]"

    def forward(ctx, a, lo=None, hi=None):
        if lo is None and hi is None:
            raise ValueError("needs lo, hi or both")
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
