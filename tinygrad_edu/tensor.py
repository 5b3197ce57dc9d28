"""Tensor: a numpy array that remembers the op that made it, and the backward pass."""
import numpy as np

from .autograd import _check_finite, _graph, _scalar, _to_array


class Tensor:
    """An ndarray plus what autodiff needs: `.grad`, `.requires_grad` and the op that made it.

    `Tensor(data)` copies `data` (like `torch.tensor`); Python floats take the default
    dtype (float64), numpy arrays keep theirs, and only floating tensors can require grad.
    """
    __slots__ = ("data", "grad", "requires_grad", "name", "_ctx", "_retain", "__weakref__")
    # Make numpy hand `ndarray + Tensor` to Tensor.__radd__ instead of looping over elements.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        if isinstance(data, Tensor):
            data = data.data
        array = _to_array(data, dtype)
        if array is data:
            array = array.copy()
        if requires_grad and array.dtype.kind != "f":
            raise TypeError(f"Tensor: only floating-point tensors can require grad, got {array.dtype}; "
                            f"pass float data or dtype=np.float64")
        self.data = array
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._ctx = None
        self._retain = _graph.retain_all

    @classmethod
    def _constant(cls, array):
        """Wrap an array the library made (no copy, no checks): a graph input that needs no grad."""
        t = object.__new__(cls)
        t.data, t.grad, t.requires_grad, t.name, t._ctx, t._retain = array, None, False, None, None, False
        return t

    # ---- what it is -------------------------------------------------------------------------
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: self.data.size)
    dtype = property(lambda self: self.data.dtype)

    @property
    def is_leaf(self):
        return self._ctx is None

    @property
    def op(self):
        """Name of the op that made this tensor (None for a leaf)."""
        return None if self._ctx is None else self._ctx.op_name

    @property
    def parents(self):
        """The input tensors of the op that made this tensor (empty for a leaf)."""
        return () if self._ctx is None else self._ctx.parents

    @property
    def formula(self):
        """The backward rule of the op that made this tensor, in the course's notation."""
        return None if self._ctx is None else self._ctx.formula

    def numpy(self):
        return self.data

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item: only a one-element tensor has an item, this one has shape {self.shape}")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def detach(self):
        """The same data, cut from the graph."""
        return Tensor._constant(self.data)

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __bool__(self):
        return bool(self.data)

    __hash__ = object.__hash__

    def _repr_svg_(self):
        """Notebooks show a tensor as the drawing of the graph that made it."""
        from .viz import draw_graph  # the drawing layer sits above the engine: load it only when asked
        return draw_graph(self).pipe(format="svg", encoding="utf-8")

    def __repr__(self):
        values = np.array2string(self.data, precision=4, threshold=20, separator=", ", prefix="Tensor(")
        parts = [values, f"shape={self.shape}", f"dtype={self.dtype}"]
        if self.op is not None:
            parts.append(f"op={self.op}")
        if self.requires_grad:
            parts.append("requires_grad=True")
        if self.name is not None:
            parts.append(f"name={self.name!r}")
        return f"Tensor({', '.join(parts)})"

    # ---- gradients ----------------------------------------------------------------------------
    def retain_grad(self):
        """Keep this non-leaf tensor's `.grad` after backward (leaves always keep theirs)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad: this tensor does not require grad, so it gets no gradient")
        self._retain = True
        return self

    def zero_grad(self):
        self.grad = None

    def backward(self, grad=None, retain_graph=False):
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires grad.

        Walks the ops in reverse topological order, each op's backward turning dZ into
        the gradients of its inputs. Without `retain_graph` each op's saved arrays are
        dropped as soon as its backward has run.
        """
        if not self.requires_grad:
            raise RuntimeError("backward: this tensor does not require grad; create its inputs with "
                               "requires_grad=True (and not inside no_grad())")
        seed = self._seed(grad)
        if self._ctx is None:
            _store_grad(self, seed)
            return
        # Kahn's order: a tensor's op runs once every op that consumed it has passed its
        # gradient back, so its gradient is complete by then. The count of consumers still
        # to come and the gradient summed so far live on each op's ctx (_waiting, _pending).
        root = self._ctx
        _count_consumers(root)
        root._pending = seed
        ready = [self]
        anomaly = _graph.anomaly
        try:
            while ready:
                node = ready.pop()
                ctx = node._ctx
                dz = ctx._pending
                if dz is None:                  # no gradient reached it: nothing to pass on
                    grads = (None,) * len(ctx.parents)
                else:
                    ctx._pending = None
                    if node._retain:
                        _store_grad(node, dz)
                    if ctx.saved_tensors is None:
                        raise RuntimeError(f"backward: the graph through {ctx.op_name} was already freed by an "
                                           f"earlier backward; pass retain_graph=True to the first backward to "
                                           f"go through it twice")
                    grads = type(ctx).backward(ctx, dz)
                    if not retain_graph:        # drop what forward saved, now that it has been used
                        ctx.saved_tensors = None
                    if type(grads) is not tuple:
                        grads = tuple(grads) if type(grads) is list else (grads,)
                    if ctx._user_op:
                        grads = _checked_grads(ctx, grads)
                    if anomaly:
                        for g in grads:
                            if g is not None:
                                _check_finite(g, f"backward of {ctx.op_name}", ctx.parents)
                for parent, g in zip(ctx.parents, grads):
                    above = parent._ctx
                    if above is None:           # a leaf: its gradient is complete
                        if g is not None and parent.requires_grad:
                            # An array the op just made is kept as it is; anything that may be
                            # shared (dZ passed on, a view) is copied by _store_grad.
                            if parent.grad is None and g is not dz and type(g) is np.ndarray and g.base is None:
                                parent.grad = g
                            else:
                                _store_grad(parent, g)
                        continue
                    if g is not None:
                        previous = above._pending
                        above._pending = g if previous is None else previous + g
                    above._waiting -= 1
                    if not above._waiting:
                        ready.append(parent)
        except BaseException:
            _clear_counts(root)
            raise

    def _seed(self, grad):
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward: grad can be implied only for a one-element tensor, this one has "
                                 f"shape {self.shape}; pass backward(grad) with an array of that shape")
            if self.data.ndim == 0:         # the usual loss: the shared read-only 1, not a new array each time
                return _scalar(1, self.data.dtype).data
            return np.ones(self.data.shape, dtype=self.data.dtype)
        seed = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
        if seed.shape != self.shape:
            raise ValueError(f"backward: grad has shape {seed.shape} but the tensor has shape {self.shape}")
        return seed

    # ---- operators (each one delegates to a primitive op) ------------------------------------------
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
    def __matmul__(self, other): return MatMul.apply(self, other)
    def __rmatmul__(self, other): return MatMul.apply(other, self)
    def __neg__(self): return Neg.apply(self)
    def __getitem__(self, index): return GetItem.apply(self, index=_plain_index(index))

    # Comparisons are not differentiable: plain boolean tensors.
    def __lt__(self, other): return Tensor._constant(self.data < _data(other))
    def __le__(self, other): return Tensor._constant(self.data <= _data(other))
    def __gt__(self, other): return Tensor._constant(self.data > _data(other))
    def __ge__(self, other): return Tensor._constant(self.data >= _data(other))
    def __eq__(self, other): return Tensor._constant(np.asarray(self.data == _data(other)))
    def __ne__(self, other): return Tensor._constant(np.asarray(self.data != _data(other)))

    def sum(self, axis=None, keepdims=False): return Sum.apply(self, axis=axis, keepdims=keepdims)
    def mean(self, axis=None, keepdims=False): return Mean.apply(self, axis=axis, keepdims=keepdims)
    def max(self, axis=None, keepdims=False): return Max.apply(self, axis=axis, keepdims=keepdims)
    def min(self, axis=None, keepdims=False): return Min.apply(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape):
        return Reshape.apply(self, shape=shape[0] if len(shape) == 1 and not isinstance(shape[0], int) else shape)

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        return Transpose.apply(self, axes=tuple(axes) if axes else None)

    @property
    def T(self):
        return Transpose.apply(self)

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


def _data(x):
    return x.data if isinstance(x, Tensor) else x


def _plain_index(index):
    """An index with any Tensors in it replaced by their arrays."""
    if type(index) is tuple:
        return tuple(_data(part) for part in index)
    return _data(index)


def _count_consumers(root):
    """Set `_waiting` of every op below `root` (the ctx backward starts from) to the number of
    ops of the graph that use its output. Outside a backward pass every op's count is 0,
    which marks it as not reached yet. An explicit stack, not recursion, so a chain of
    100,000 ops is fine."""
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            above = parent._ctx
            if above is not None:
                if above._waiting:
                    above._waiting += 1
                else:
                    above._waiting = 1
                    stack.append(above)


def _clear_counts(root):
    """After a backward pass stopped by an error: put back every op's 0 count and drop the
    gradients it had summed, so the next pass over the graph starts clean."""
    stack, seen = [root], {id(root)}
    while stack:
        ctx = stack.pop()
        ctx._waiting, ctx._pending = 0, None
        for parent in ctx.parents:
            above = parent._ctx
            if above is not None and id(above) not in seen:
                seen.add(id(above))
                stack.append(above)


def _store_grad(tensor, g):
    """Add g to `tensor.grad`. A new gradient is stored as a copy: an ndarray (numpy turns 0-d
    results into scalars) that shares memory with no other gradient."""
    if tensor.grad is None:
        tensor.grad = np.array(g)
    else:
        tensor.grad = np.asarray(tensor.grad + g)


def _checked_grads(ctx, grads):
    """The gradients a user's op returned, each made an array of its input's shape and dtype, or an error."""
    if len(grads) != len(ctx.parents):
        raise RuntimeError(f"backward of {ctx.op_name} returned {len(grads)} gradients for {len(ctx.parents)} inputs")
    checked = []
    for index, (parent, g) in enumerate(zip(ctx.parents, grads)):
        if g is not None and parent.requires_grad:
            # A copy, which the engine may keep: the op may hold on to its own array. Numbers and
            # lists take the input's dtype; an array of another dtype is an error below.
            g = np.array(g, dtype=None if type(g) is np.ndarray else parent.data.dtype)
            if g.shape != parent.data.shape or g.dtype != parent.data.dtype:
                raise RuntimeError(f"backward of {ctx.op_name} returned a gradient of shape {g.shape} and dtype "
                                   f"{g.dtype} for input {index}, which has shape {parent.data.shape} and dtype "
                                   f"{parent.data.dtype}")
        checked.append(g)
    return tuple(checked)


# The operators above resolve to these primitives; imported last because the ops build on
# Function, whose apply() builds Tensors.
from .ops.activations import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh  # noqa: E402
from .ops.elementwise import Abs, Add, Clip, Div, Exp, Log, Mul, Neg, Pow, Sqrt, Sub  # noqa: E402
from .ops.linalg import MatMul  # noqa: E402
from .ops.reduce import Max, Mean, Min, Sum  # noqa: E402
from .ops.shape import GetItem, Reshape, Transpose  # noqa: E402
