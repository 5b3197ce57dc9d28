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
    """The course's layer, PyTorch's F.linear: one node, as `nn.Linear` draws it.

    W of shape (runs, in, out) with B of shape (runs, 1, out) holds several nets of one shape
    side by side (`train.fit_stacked`): each run's Z is its own X·W + B, with X shared (m, in)
    or one per run (runs, m, in), and each run's dW and dB come from its own dZ alone.
    """
    op_name = "linear"
    formula = "Z = X·W + B · dX = dZ·Wᵀ, dW = Xᵀ·dZ, dB = Σ_rows dZ"

    def forward(ctx, x, w, b=None):
        if w.ndim not in (2, 3):
            raise ShapeError(f"W must be 2-D (in_features, out_features), or 3-D (runs, in, out) for nets side by "
                             f"side, got shape {w.shape}")
        n_in, n_out = w.shape[-2:]
        if x.ndim == 0 or x.shape[-1] != n_in:
            raise ShapeError(f"X has {x.shape[-1] if x.ndim else 0} features but W expects {n_in} "
                             f"(W is (in_features, out_features))")
        bias_shapes = ((n_out,), (1, n_out)) if w.ndim == 2 else ((len(w), 1, n_out),)
        if b is not None and b.shape not in bias_shapes:
            raise ShapeError(f"B has shape {b.shape}, expected {' or '.join(map(str, bias_shapes))} for W {w.shape}")
        if w.ndim == 3 and x.ndim not in (2, 3):
            raise ShapeError(f"X must be (m, in) or (runs, m, in) beside W of shape (runs, in, out), got shape "
                             f"{x.shape}")
        if w.ndim == 3 and x.ndim == 3 and len(x) != len(w):
            raise ShapeError(f"X holds {len(x)} runs but W holds {len(w)}")
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
        dx = dz @ w.mT if ctx.needs_input_grad[0] else None
        if w.ndim == 2 and x.ndim != 2:    # samples along several axes of X (or X is one sample): one row each
            x, dz = x.reshape(-1, w.shape[0]), dz.reshape(-1, w.shape[1])
        dw = x.mT @ dz
        if len(ctx.parents) == 2:                          # a layer without B
            return dx, dw
        rows = 0 if w.ndim == 2 else 1                     # the runs' axis comes first when W stacks runs
        return dx, dw, np.add.reduce(dz, axis=rows, keepdims=ctx.parents[2].ndim != 1)    # Σ_rows dZ
