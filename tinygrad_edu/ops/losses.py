"""Losses, each one node; the output function is fused in where the course pairs it.

Paired as the course does, each gives dZ = A − Y at the output (÷ m for the mean):
Logistic + binary cross-entropy and Softmax + cross-entropy.
"""
import functools

import numpy as np

from ..engine import Function, ShapeError
from .activations import exp_neg_abs, shift_by_max, stable_sigmoid

_REDUCTIONS = ("mean", "sum", "none")
# log(max(p, e^−100)) = max(log p, −100): PyTorch's clamp, with no log(0) warning.
_LOG_FLOOR = float(np.exp(-100.0))


def _start(ctx, reduction, count):
    """Check `reduction` and remember how to scale the upstream gradient."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    ctx.reduction, ctx.count = reduction, count


def _reduce(ctx, loss):
    """The per-sample loss, or its mean or sum as `reduction` asks."""
    return loss if ctx.reduction == "none" else _scaled_total(ctx, loss.sum())


def _scaled_total(ctx, total):
    """A summed loss divided by the count for the mean."""
    return total / ctx.count if ctx.reduction == "mean" else total


def _upstream(ctx, dloss):
    """d(reduced loss)/d(per-sample loss): 1/m for the mean, 1 for the sum, dloss for none."""
    return dloss / ctx.count if ctx.reduction == "mean" else dloss


def _labels_in_0_1(y):
    """BCE's targets are labels or probabilities: a ValueError showing any outside [0, 1]."""
    if y.size and (y.min() < 0 or y.max() > 1):
        bad = np.unique(y[(y < 0) | (y > 1)])
        raise ValueError(f"targets must lie in [0, 1] (0/1 labels or probabilities), got {_few(bad)}; "
                         f"labels in {{-1, 1}} become {{0, 1}} with (Y + 1) / 2")


def _few(values, most=5):
    shown = ", ".join(f"{v:g}" for v in values[:most])
    return shown + (f" and {len(values) - most} more" if len(values) > most else "")


def _same_shape(prediction, target):
    if prediction.shape != target.shape:
        raise ShapeError(f"prediction shape {prediction.shape} and target shape {target.shape} differ; "
                         f"reshape the target to {prediction.shape}")


def _difference(ctx, a, target, reduction):
    """A − Y for the squared-error losses, kept for backward, after checking the target's shape."""
    y = np.asarray(target, dtype=a.dtype)
    _same_shape(a, y)
    _start(ctx, reduction, a.size)
    diff = a - y
    ctx.save_for_backward(diff)
    return diff


class MseLoss(Function):
    formula = "L = mean (A − Y)² · dA = 2(A − Y)/m"

    def forward(ctx, a, target, reduction="mean"):
        diff = _difference(ctx, a, target, reduction)
        return _reduce(ctx, diff * diff)

    def backward(ctx, dloss):
        diff, = ctx.saved_tensors
        return (diff + diff) * _upstream(ctx, dloss)


class HalfMseLoss(Function):
    """The course's regression loss J = Σ(A − Y)²/2m: its ½ cancels the 2 of the square."""
    formula = "L = Σ (A − Y)² / 2m · dA = (A − Y)/m"

    def forward(ctx, a, target, reduction="mean"):
        diff = _difference(ctx, a, target, reduction)
        return _reduce(ctx, 0.5 * (diff * diff))

    def backward(ctx, dloss):
        diff, = ctx.saved_tensors
        return diff * _upstream(ctx, dloss)


class BinaryCrossEntropy(Function):
    formula = "L = −mean[Y ln A + (1 − Y) ln(1 − A)] · dA = (A − Y) / (A ⊙ (1 − A)) / m"

    def forward(ctx, a, target, weight=None, reduction="mean"):
        y = np.asarray(target, dtype=a.dtype)
        _same_shape(a, y)
        _labels_in_0_1(y)
        if a.size and (a.min() < 0 or a.max() > 1):
            raise ValueError(f"probabilities must lie in [0, 1], got values from "
                             f"{a.min():.4g} to {a.max():.4g}; for raw scores use binary_cross_entropy_with_logits")
        _start(ctx, reduction, a.size)
        w = None if weight is None else np.asarray(weight, dtype=a.dtype)
        ctx.save_for_backward(a, y, w)
        loss = -(y * np.log(np.maximum(a, _LOG_FLOOR)) + (1 - y) * np.log(np.maximum(1 - a, _LOG_FLOOR)))
        return _reduce(ctx, loss if w is None else w * loss)

    def backward(ctx, dloss):
        a, y, w = ctx.saved_tensors
        # PyTorch's floor on A(1 − A) keeps the gradient finite at A = 0 or 1.
        da = (a - y) / np.maximum(a * (1 - a), 1e-12) * _upstream(ctx, dloss)
        return da if w is None else w * da


class BinaryCrossEntropyWithLogits(Function):
    formula = "A = σ(Z), L = −mean[Y ln A + (1 − Y) ln(1 − A)] · dZ = (A − Y)/m"

    def forward(ctx, z, target, pos_weight=None, reduction="mean"):
        y = np.asarray(target, dtype=z.dtype)
        _same_shape(z, y)
        _labels_in_0_1(y)
        _start(ctx, reduction, z.size)
        a = stable_sigmoid(z)
        softplus_neg_z = np.log1p(exp_neg_abs(z)) + np.maximum(-z, 0)   # −ln A, exact for any Z
        if pos_weight is None:
            loss = (1 - y) * z + softplus_neg_z
            y_weight = None
        else:
            # PyTorch's pos_weight p scales the positive term: −[p·Y ln A + (1 − Y) ln(1 − A)].
            y_weight = 1 + (np.asarray(pos_weight, dtype=z.dtype) - 1) * y
            loss = (1 - y) * z + y_weight * softplus_neg_z
        ctx.save_for_backward(a, y, y_weight)
        return _reduce(ctx, loss)

    def backward(ctx, dloss):
        a, y, y_weight = ctx.saved_tensors
        dz = a - y if y_weight is None else (1 - y) - y_weight * (1 - a)
        return dz * _upstream(ctx, dloss)


class CrossEntropy(Function):
    formula = "A = softmax(Z), L = −mean Σ_j Y ln A · dZ = (A − Y)/m"

    def forward(ctx, z, target, weight=None, reduction="mean"):
        if z.ndim != 2:
            raise ShapeError(f"logits must be 2-D (m samples, n classes), got shape {z.shape}")
        m, n = z.shape
        target = np.asarray(target)
        y = _target_matrix(target, m, n, z.dtype)
        if weight is not None:
            weight = np.asarray(weight, dtype=z.dtype)
            if weight.shape != (n,):
                raise ShapeError(f"class weight must have shape ({n},), got {weight.shape}")
            y = y * weight
        # Each sample's weight s_i = Σ_j Y_ij: 1 for class indices without weights, where dZ = A − Y.
        rows = None if weight is None and target.ndim == 1 else y.sum(axis=1, keepdims=True)
        # PyTorch's mean: over class indices it divides by the samples' total weight Σ_i w[y_i]
        # (m without weights); over probability rows by m, the number of samples.
        _start(ctx, reduction, y.sum() if weight is not None and target.ndim == 1 else m)
        shifted = shift_by_max(z, axis=1)
        a = np.exp(shifted)
        total = a.sum(axis=1, keepdims=True)
        a /= total                                            # A = softmax(Z)
        ctx.save_for_backward(a, y, rows)
        # loss_i = −Σ_j Y_ij ln A_ij = s_i·ln Σ_k e^shifted_ik − Σ_j Y_ij·shifted_ij
        log_total = np.log(total).ravel()
        if rows is not None:
            log_total *= rows.ravel()
        # The mean is the sum of the per-sample losses over m, so a run of fit_stacked (its
        # samples' losses summed) reports the same number as fit.
        return _reduce(ctx, log_total - (y * shifted).sum(axis=1))

    def backward(ctx, dloss):
        a, y, rows = ctx.saved_tensors
        upstream = _upstream(ctx, dloss)
        if ctx.reduction == "none":
            upstream = upstream[:, np.newaxis]
        # A − Y for one-hot rows; rows of total weight s give s·A − Y.
        return ((a if rows is None else a * rows) - y) * upstream


@functools.lru_cache(maxsize=64)
def _identity(n, dtype):
    """The n×n identity, whose rows are the one-hot targets (kept read-only: it is shared)."""
    eye = np.eye(n, dtype=dtype)
    eye.flags.writeable = False
    return eye


def _target_matrix(target, m, n, dtype):
    """Y as an (m, n) matrix: class indices become one-hot rows, probabilities pass through."""
    if target.shape == (m,):
        if target.dtype.kind not in "iu":
            raise TypeError(f"a target of shape ({m},) holds class indices and must be integer, "
                            f"got {target.dtype}; use target.astype(int), or pass one-hot rows of shape ({m}, {n})")
        low, high = (target.min(), target.max()) if m else (0, 0)
        if low < 0 or high >= n:
            raise ValueError(f"class index {low if low < 0 else high} is out of range for {n} classes: indices "
                             f"count from 0 to {n - 1}" + ("; labels counted from 1 become indices with y - 1"
                                                            if low >= 1 and high == n else ""))
        return _identity(n, dtype)[target]
    if target.shape == (m, n):
        y = target.astype(dtype, copy=False)
        negative = np.flatnonzero((y < 0).any(axis=1))
        if negative.size:
            raise ValueError(f"target rows are one-hot or probabilities, but row {negative[0]} has a negative "
                             f"value: {y[negative[0]].tolist()}")
        totals = y.sum(axis=1)
        off = np.flatnonzero(np.abs(totals - 1) > np.sqrt(np.finfo(dtype).eps))
        if off.size:
            raise ValueError(f"target rows are one-hot or probabilities and must sum to 1, but {off.size} do not: "
                             f"row {off[0]} sums to {totals[off[0]]:g} ({y[off[0]].tolist()})")
        return y
    raise ShapeError(f"logits {(m, n)} need a target of shape ({m},) (class indices) "
                     f"or ({m}, {n}) (one-hot or probabilities), got {target.shape}")
