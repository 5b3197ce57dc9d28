"""Matrix products: Z = A @ B and the course's layer Z = X·W + B."""
import numpy as np

from ..autograd import Function, ShapeError
from ._broadcast import unbroadcast


class MatMul(Function):
    formula = "dA = dZ·Bᵀ, dB = Aᵀ·dZ"

    def forward(ctx, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError(f"matmul: {a.shape} @ {b.shape}: @ needs at least 1-D operands; use * for scalars")
        inner = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if a.shape[-1] != inner:
            raise ShapeError(f"matmul: {a.shape} @ {b.shape}: inner dimensions {a.shape[-1]} and {inner} differ")
        ctx.save_for_backward(a, b)
        return a @ b

    def backward(ctx, dz):
        a, b = ctx.saved_tensors
        # Treat a vector as a one-row (A) or one-column (B) matrix, as numpy's @ does.
        a2 = a if a.ndim > 1 else a[np.newaxis, :]
        b2 = b if b.ndim > 1 else b[:, np.newaxis]
        if b.ndim == 1:
            dz = dz[..., np.newaxis]
        if a.ndim == 1:
            dz = dz[..., np.newaxis, :]
        need_a, need_b = ctx.needs_input_grad
        da = db = None
        if need_a:
            da = unbroadcast(dz @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if need_b:
            db = unbroadcast(np.swapaxes(a2, -1, -2) @ dz, b2.shape).reshape(b.shape)
        return da, db


class Linear(Function):
    formula = "dX = dZ·Wᵀ, dW = Xᵀ·dZ, dB = Σ_rows dZ"

    def forward(ctx, x, w, b=None):
        if w.ndim != 2:
            raise ShapeError(f"linear: W must be 2-D (in_features, out_features), got shape {w.shape}")
        if x.ndim == 0 or x.shape[-1] != w.shape[0]:
            raise ShapeError(f"linear: X {x.shape} · W {w.shape}: X has {x.shape[-1] if x.ndim else 0} "
                             f"features but W expects {w.shape[0]} (W is (in_features, out_features))")
        if b is not None and b.shape != w.shape[1:] and b.shape != (1, w.shape[1]):
            raise ShapeError(f"linear: B has shape {b.shape}, expected ({w.shape[1]},) or (1, {w.shape[1]}) "
                             f"for W {w.shape}")
        ctx.save_for_backward(x, w)
        ctx.b_shape = None if b is None else b.shape
        z = x @ w
        if b is None:
            return z
        if z.ndim < b.ndim:        # a single sample X (n_in,) with B (1, n_out): Z is (1, n_out)
            return z + b
        z += b
        return z

    def backward(ctx, dz):
        x, w = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad[:2]
        dx = None
        if need_x:
            dx = dz @ w.T
            if dx.shape != x.shape:
                dx = dx.reshape(x.shape)
        if x.ndim != 2:          # samples along several axes (or one sample): rows of X and dZ
            x, dz = x.reshape(-1, w.shape[0]), dz.reshape(-1, w.shape[1])
        dw = x.T @ dz if need_w else None
        if ctx.b_shape is None:
            return dx, dw
        db = np.add.reduce(dz, axis=0, keepdims=len(ctx.b_shape) == 2) if ctx.needs_input_grad[2] else None
        return dx, dw, db
