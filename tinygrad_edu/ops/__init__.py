"""Every primitive op (forward, backward and formula side by side, grouped by kind), and
Tensor's operators and methods, each of which is one of these ops."""
import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..engine import Tensor
from .activations import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .elementwise import Abs, Add, Clip, Div, Exp, Log, Mul, Neg, Pow, Sqrt, Sub
from .linalg import Affine, Matmul
from .losses import BinaryCrossEntropy, BinaryCrossEntropyWithLogits, CrossEntropy, HalfMseLoss, MseLoss
from .reduce import Max, Mean, Min, Sum
from .shape import GetItem, Permute, Reshape

__all__ = ["LeakyReLU", "LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Tanh", "Abs", "Add", "Clip", "Div", "Exp",
           "Log", "Mul", "Neg", "Pow", "Sqrt", "Sub", "Affine", "Matmul", "BinaryCrossEntropy",
           "BinaryCrossEntropyWithLogits", "CrossEntropy", "HalfMseLoss", "MseLoss", "Max", "Mean", "Min", "Sum", "GetItem",
           "Permute", "Reshape", "keepdims_of"]


def keepdims_of(keepdims, keepdim):
    """`keepdims=` (numpy's spelling) or `keepdim=` (PyTorch's): either one works."""
    return keepdims if keepdim is None else keepdim


def _data(x):
    return x.data if isinstance(x, Tensor) else x


def _index(index):
    """An index with any Tensors in it replaced by their arrays (numpy's indexing rules)."""
    if type(index) is tuple:
        return tuple(_data(part) for part in index)
    return _data(index)


def _dims(dims):
    """permute(0, 2, 1) and permute((0, 2, 1)) alike."""
    return tuple(dims[0]) if len(dims) == 1 and not isinstance(dims[0], int) else dims


class _Operators:
    """The methods Tensor gets from the ops (copied onto Tensor below)."""
    def __add__(self, other): return Add.apply(self, other)
    def __radd__(self, other): return Add.apply(other, self)
    def __sub__(self, other): return Sub.apply(self, other)
    def __rsub__(self, other): return Sub.apply(other, self)
    def __mul__(self, other): return Mul.apply(self, other)
    def __rmul__(self, other): return Mul.apply(other, self)
    def __truediv__(self, other): return Div.apply(self, other)
    def __rtruediv__(self, other): return Div.apply(other, self)
    def __pow__(self, other): return Pow.apply(self, other)
    def __rpow__(self, other): return Pow.apply(other, self)
    def __matmul__(self, other): return Matmul.apply(self, other)
    def __rmatmul__(self, other): return Matmul.apply(other, self)
    def __neg__(self): return Neg.apply(self)
    def __getitem__(self, index): return GetItem.apply(self, index=_index(index))

    # Comparisons are not differentiable: plain boolean tensors.
    def __lt__(self, other): return Tensor._wrap(self.data < _data(other))
    def __le__(self, other): return Tensor._wrap(self.data <= _data(other))
    def __gt__(self, other): return Tensor._wrap(self.data > _data(other))
    def __ge__(self, other): return Tensor._wrap(self.data >= _data(other))
    def __eq__(self, other): return Tensor._wrap(np.asarray(self.data == _data(other)))
    def __ne__(self, other): return Tensor._wrap(np.asarray(self.data != _data(other)))

    def sum(self, axis=None, keepdims=False, *, keepdim=None):
        return Sum.apply(self, axis=axis, keepdims=keepdims_of(keepdims, keepdim))

    def mean(self, axis=None, keepdims=False, *, keepdim=None):
        return Mean.apply(self, axis=axis, keepdims=keepdims_of(keepdims, keepdim))

    def max(self, axis=None, keepdims=False, *, keepdim=None):
        return Max.apply(self, axis=axis, keepdims=keepdims_of(keepdims, keepdim))

    def min(self, axis=None, keepdims=False, *, keepdim=None):
        return Min.apply(self, axis=axis, keepdims=keepdims_of(keepdims, keepdim))

    def reshape(self, *shape):
        return Reshape.apply(self, shape=_dims(shape))

    def permute(self, *dims):
        """Reorder the axes: Z's axis i is A's axis dims[i] (PyTorch's permute, numpy's transpose)."""
        return Permute.apply(self, dims=_dims(dims))

    def transpose(self, dim0, dim1):
        """Swap two axes, as PyTorch's transpose does."""
        dim0, dim1 = normalize_axis_tuple((dim0, dim1), self.data.ndim, "transpose", allow_duplicate=True)
        dims = list(range(self.data.ndim))
        dims[dim0], dims[dim1] = dim1, dim0
        return Permute.apply(self, dims=dims)

    @property
    def T(self):
        """The axes in reverse order (the transpose of a matrix)."""
        return Permute.apply(self, dims=tuple(reversed(range(self.data.ndim))))

    def exp(self): return Exp.apply(self)
    def log(self): return Log.apply(self)
    def sqrt(self): return Sqrt.apply(self)
    def abs(self): return Abs.apply(self)
    def clip(self, lo=None, hi=None): return Clip.apply(self, lo=lo, hi=hi)
    def sigmoid(self): return Sigmoid.apply(self)
    def tanh(self): return Tanh.apply(self)
    def relu(self): return ReLU.apply(self)
    def softmax(self, axis=-1): return Softmax.apply(self, axis=axis)
    def log_softmax(self, axis=-1): return LogSoftmax.apply(self, axis=axis)


# The engine knows nothing of the ops; they hand Tensor its methods here, when the package loads.
for _name, _method in vars(_Operators).items():
    if callable(_method) or isinstance(_method, property):
        setattr(Tensor, _name, _method)
