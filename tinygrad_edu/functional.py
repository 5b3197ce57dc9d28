"""The primitive ops as functions: `import tinygrad_edu.functional as F`.

Every function here is one graph node with a closed-form backward. Inputs may be
Tensors or anything numpy takes; targets, labels and weights are never differentiated.
"""
from .engine import Tensor
from .ops import (Abs, Add, Affine, BinaryCrossEntropy, BinaryCrossEntropyWithLogits, Clip, CrossEntropy, Div, Exp, HalfMseLoss,
                  LeakyReLU, Log, LogSoftmax, Matmul, MseLoss, Mul, Neg, Pow, ReLU, Sigmoid, Softmax, Sqrt, Sub,
                  Tanh, keepdims_of)


def _array(x):
    """A target or weight as a plain array (a Tensor's data; None stays None)."""
    return x.data if isinstance(x, Tensor) else x


def _target(op, prediction, target):
    """The target as an array; one that requires grad beside a prediction that does not is a slip."""
    if isinstance(target, Tensor) and target.requires_grad and not (
            isinstance(prediction, Tensor) and prediction.requires_grad):
        raise ValueError(f"{op}: the target requires grad but the prediction does not; the prediction comes "
                         f"first and the target second: {op}(prediction, target)")
    return _array(target)


def linear(x, weight, bias=None):
    """The course's layer Z = X·W + B; dW = Xᵀ·dZ, dB = Σ_rows dZ, dX = dZ·Wᵀ."""
    return Affine.apply(x, weight) if bias is None else Affine.apply(x, weight, bias)


def sigmoid(z):
    """A = 1/(1+e^−Z); dZ = dA ⊙ A ⊙ (1 − A)."""
    return Sigmoid.apply(z)


def tanh(z):
    """A = tanh(Z); dZ = dA ⊙ (1 − A²)."""
    return Tanh.apply(z)


def relu(z):
    """A = max(0, Z); dZ = dA ⊙ 1[Z > 0]."""
    return ReLU.apply(z)


def leaky_relu(z, slope=0.01):
    """A = Z for Z > 0, slope·Z elsewhere."""
    return LeakyReLU.apply(z, slope=slope)


def softmax(z, axis=-1):
    """A_j = e^{Z_j} / Σ_k e^{Z_k} along `axis`, computed after subtracting the max."""
    return Softmax.apply(z, axis=axis)


def log_softmax(z, axis=-1):
    """ln softmax(Z), computed as Z − max − ln Σ e^{Z − max}."""
    return LogSoftmax.apply(z, axis=axis)


def mse_loss(pred, target, reduction="mean"):
    """Mean of (A − Y)² (PyTorch's convention; the course's training loss is half of it)."""
    target = _target("mse_loss", pred, target)
    return MseLoss.apply(pred, target=target, reduction=reduction)


def half_mse_loss(pred, target, reduction="mean"):
    """The course's regression loss J = Σ(A − Y)²/2m, half of mse_loss: dZ = (A − Y)/m for the mean.

    The course's learning rates and stop losses (0.001, 0.005) are for this loss."""
    target = _target("half_mse_loss", pred, target)
    return HalfMseLoss.apply(pred, target=target, reduction=reduction)


def binary_cross_entropy(prob, target, weight=None, reduction="mean"):
    """−[Y ln A + (1 − Y) ln(1 − A)] on probabilities A (each log clamped at −100)."""
    target = _target("binary_cross_entropy", prob, target)
    return BinaryCrossEntropy.apply(prob, target=target, weight=_array(weight), reduction=reduction)


def binary_cross_entropy_with_logits(logits, target, pos_weight=None, reduction="mean"):
    """The course's Logistic + BCE as one node: A = σ(Z), dZ = (A − Y)/m for the mean."""
    target = _target("binary_cross_entropy_with_logits", logits, target)
    return BinaryCrossEntropyWithLogits.apply(logits, target=target, pos_weight=_array(pos_weight), reduction=reduction)


def cross_entropy(logits, target, weight=None, reduction="mean"):
    """Softmax + multi-class CE as one node: A = softmax(Z), dZ = (A − Y)/m for the mean.

    `target` is class indices of shape (m,) or one-hot/probability rows of shape (m, n).
    With class `weight` (PyTorch's convention), the mean over class indices divides by the
    samples' total weight Σ_i w[y_i]; over probability rows it divides by m.
    """
    target = _target("cross_entropy", logits, target)
    return CrossEntropy.apply(logits, target=target, weight=_array(weight), reduction=reduction)


def add(a, b): return Add.apply(a, b)
def sub(a, b): return Sub.apply(a, b)
def mul(a, b): return Mul.apply(a, b)
def div(a, b): return Div.apply(a, b)
def neg(a): return Neg.apply(a)
def pow(a, b): return Pow.apply(a, b)  # noqa: A001 - the op's name
def matmul(a, b): return Matmul.apply(a, b)
def exp(a): return Exp.apply(a)
def log(a): return Log.apply(a)
def sqrt(a): return Sqrt.apply(a)
def abs(a): return Abs.apply(a)  # noqa: A001 - the op's name
def clip(a, lo=None, hi=None): return Clip.apply(a, lo=lo, hi=hi)


def sum(a, axis=None, keepdims=False, *, keepdim=None):  # noqa: A001 - the op's name
    return _tensor(a).sum(axis, keepdims_of(keepdims, keepdim))


def mean(a, axis=None, keepdims=False, *, keepdim=None):
    return _tensor(a).mean(axis, keepdims_of(keepdims, keepdim))


def max(a, axis=None, keepdims=False, *, keepdim=None):  # noqa: A001
    return _tensor(a).max(axis, keepdims_of(keepdims, keepdim))


def min(a, axis=None, keepdims=False, *, keepdim=None):  # noqa: A001
    return _tensor(a).min(axis, keepdims_of(keepdims, keepdim))


def reshape(a, *shape): return _tensor(a).reshape(*shape)
def permute(a, *dims): return _tensor(a).permute(*dims)
def transpose(a, dim0, dim1): return _tensor(a).transpose(dim0, dim1)


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)
