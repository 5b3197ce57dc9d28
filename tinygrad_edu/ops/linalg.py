"""Matrix products: Z = A @ B, and the course's layer Z = X·W + B as one op."""
import numpy as np

from ..engine import Function, ShapeError


class Matmul(Function):
    formula = "Z = A·B · dA = dZ·Bᵀ, dB = Aᵀ·dZ"

    def forward(ctx, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError("@ needs at least 1-D operands; use * for scalars")
        inner = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if a.shape[-1] != inner:
            raise ShapeError(f"inner dimensions {a.shape[-1]} and {inner} differ")
        ctx.save_for_backward(a, b)
        return a @ b

    def backward(ctx, dz):
        a, b = ctx.saved_tensors
        # numpy's @ reads a vector A as one row and a vector B as one column, then drops that axis.
        if a.ndim == 1 and b.ndim == 1:
            return dz * b, dz * a
        if a.ndim == 1:
            row = dz[..., np.newaxis, :]
            return (row @ b.mT)[..., 0, :], a[:, np.newaxis] @ row
        if b.ndim == 1:
            column = dz[..., np.newaxis]
            return column @ b[np.newaxis, :], (a.mT @ column)[..., 0]
        need_a, need_b = ctx.needs_input_grad             # data @ W needs no dA
        return dz @ b.mT if need_a else None, a.mT @ dz if need_b else None


class Affine(Function):
    """The course's layer, PyTorch's F.linear: one node, as `nn.Linear` draws it."""
    op_name = "linear"
    formula = "Z = X·W + B · dX = dZ·Wᵀ, dW = Xᵀ·dZ, dB = Σ_rows dZ"

    def forward(ctx, x, w, b=None):
        if w.ndim != 2:
            raise ShapeError(f"W must be 2-D (in_features, out_features), got shape {w.shape}")
        if x.ndim == 0 or x.shape[-1] != w.shape[0]:
            raise ShapeError(f"X has {x.shape[-1] if x.ndim else 0} features but W expects {w.shape[0]} "
                             f"(W is (in_features, out_features))")
        if b is not None and b.shape != (w.shape[1],) and b.shape != (1, w.shape[1]):
            raise ShapeError(f"B has shape {b.shape}, expected ({w.shape[1]},) or (1, {w.shape[1]}) for W {w.shape}")
        if x.dtype != w.dtype:
            if x.dtype.kind == "f":
                raise TypeError(f"X is {x.dtype} but W is {w.dtype}: convert X (X.astype(np.{w.dtype})) or the "
                                f"model (model.to(np.{x.dtype}))")
            x = x.astype(w.dtype)                          # integer data is read as W's dtype
        ctx.save_for_backward(x, w)
        z = x @ w
        return z if b is None else z + b

    def backward(ctx, dz):
        x, w = ctx.saved_tensors
        # X is the data in the first layer: skip dX, the step's largest product, when nobody wants it.
        dx = dz @ w.T if ctx.needs_input_grad[0] else None
        if x.ndim != 2:          # samples along several axes of X (or X is one sample): one row each
            x, dz = x.reshape(-1, w.shape[0]), dz.reshape(-1, w.shape[1])
        dw = x.T @ dz
        if len(ctx.parents) == 2:                          # a layer without B
            return dx, dw
        return dx, dw, np.add.reduce(dz, axis=0, keepdims=ctx.parents[2].ndim == 2)    # Σ_rows dZ
