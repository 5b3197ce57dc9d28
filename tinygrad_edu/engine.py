"""The autograd engine: Tensor, Function, the tape, and backward.

Read it top to bottom:
1. the graph's switches: no_grad, retain_grads, detect_anomaly, the default dtype;
2. Tensor: a numpy array, its `.grad`, and the op that made it;
3. Function: the base of every op. `Op.apply(*tensors)` runs the op's forward and, when a
   gradient is wanted, records the call on the tape: the op keeps its inputs and its place;
4. backward_order and Tensor.backward: the tape read backwards. Each op gets dZ, the
   gradient of its output, and returns the gradients of its inputs; the engine does the
   bookkeeping (summing over broadcast axes, checking shapes, adding into `.grad`).

The ops themselves live in `ops/` and give Tensor its operators (`+`, `@`, `.sum()` ...)
when the package loads; this module imports nothing from the rest of the package.
"""
import contextlib
import itertools
import math
import re
from operator import attrgetter
from types import MappingProxyType

import numpy as np


class ShapeError(ValueError):
    """A tensor's shape does not fit an op; the message names the op and the shapes."""


# ---- 1. the graph's switches ---------------------------------------------------------------------
class _GraphState:
    """What `Function.apply` records, and the dtype that Python floats become."""
    __slots__ = ("enabled", "retain_all", "anomaly", "default_dtype")

    def __init__(self):
        self.enabled = True          # False inside no_grad()
        self.retain_all = False      # True inside retain_grads()
        self.anomaly = False         # True inside detect_anomaly()
        self.default_dtype = np.dtype(np.float64)


_graph = _GraphState()


@contextlib.contextmanager
def _switch(name, value):
    previous = getattr(_graph, name)
    setattr(_graph, name, value)
    try:
        yield
    finally:
        setattr(_graph, name, previous)


def no_grad():
    """Context (or decorator) in which ops record nothing and results never require grad."""
    return _switch("enabled", False)


def enable_grad():
    """Context (or decorator) that turns recording back on inside a `no_grad()` block."""
    return _switch("enabled", True)


def is_grad_enabled():
    return _graph.enabled


def retain_grads():
    """Context in which every tensor created keeps its `.grad` after backward (for teaching and drawing)."""
    return _switch("retain_all", True)


def detect_anomaly():
    """Context in which an op raises at once when its forward or backward makes a NaN or inf."""
    return _switch("anomaly", True)


def set_default_dtype(dtype):
    """The floating dtype that Python floats, and integers promoted to floats, become (float64 or float32)."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: a floating dtype is needed, got {dtype}")
    _graph.default_dtype = dtype


def get_default_dtype():
    return _graph.default_dtype


# ---- 2. Tensor -------------------------------------------------------------------------------------
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
        self._ctx = None             # the op call that made this tensor (None for a leaf)
        self._retain = _graph.retain_all

    @classmethod
    def _wrap(cls, array):
        """A tensor around an array the library made: no copy, no grad, no op."""
        t = cls.__new__(cls)
        t.data, t.grad, t.requires_grad, t.name, t._ctx, t._retain = array, None, False, None, None, False
        return t

    # ---- what it is ---------------------------------------------------------------------------------
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
    def settings(self):
        """The keyword settings of the op call that made this tensor (an axis, a loss's target Y); empty for a leaf."""
        return Function.settings if self._ctx is None else self._ctx.settings

    @property
    def formula(self):
        """The forward and backward rule of the op that made this tensor, in the course's notation."""
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
        return Tensor._wrap(self.data)

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __bool__(self):
        return bool(self.data)

    __hash__ = object.__hash__       # `==` makes a tensor of comparisons, so hash by identity

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

    # ---- gradients ----------------------------------------------------------------------------------
    def retain_grad(self):
        """Keep this non-leaf tensor's `.grad` after backward (leaves always keep theirs)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad: this tensor does not require grad, so it gets no gradient")
        self._retain = True
        return self

    def zero_grad(self):
        self.grad = None

    def backward(self, grad=None, retain_graph=False):
        """Add d(self)/d(leaf) into `.grad` of every leaf that requires grad.

        The tape read backwards: each op in `backward_order(self)` gets dZ, the gradient of
        its output summed over every op that used it, and turns it into the gradients of its
        inputs. Without `retain_graph` each op drops what its forward saved once it has run.
        """
        if not self.requires_grad:
            raise RuntimeError("backward: this tensor does not require grad; create its inputs with "
                               "requires_grad=True (and not inside no_grad())")
        seed = self._seed(grad)
        if self._ctx is None:
            _add_to_leaf(self, seed, seed, ())
            return
        pending = {self: seed}       # dZ of each tensor still to run, summed over its consumers
        for node in backward_order(self):
            dz = pending.pop(node, None)
            if dz is None:           # no gradient reached this op
                continue
            if node._retain:
                _add_to_leaf(node, dz, dz, ())      # a retained gradient is kept like a leaf's
            ctx = node._ctx
            grads = _input_grads(ctx, dz, retain_graph)
            for parent, g in zip(ctx.parents, grads):
                if g is None or not parent.requires_grad:
                    continue
                if type(g) is not np.ndarray or g.shape != parent.data.shape or g.dtype is not parent.data.dtype:
                    g = _fit(ctx, parent, g, dz)      # sum back over broadcast axes, check shape and dtype
                if parent._ctx is None:
                    _add_to_leaf(parent, g, dz, grads)
                else:
                    summed = pending.get(parent)
                    pending[parent] = g if summed is None else summed + g

    def _seed(self, grad):
        """dZ of the root: 1 for a one-element tensor, else the given array."""
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward: grad can be implied only for a one-element tensor, this one has "
                                 f"shape {self.shape}; pass backward(grad) with an array of that shape")
            return np.array(1, dtype=self.data.dtype).reshape(self.data.shape)
        seed = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.data.dtype)
        if seed.shape != self.shape:
            raise ValueError(f"backward: grad has shape {seed.shape} but the tensor has shape {self.shape}")
        return seed


def _to_array(data, dtype=None):
    """numpy array of `data`; Python floats take the default dtype, numpy arrays keep theirs."""
    try:
        array = np.asarray(data, dtype=dtype)
    except ValueError as error:
        if "inhomogeneous" not in str(error):
            raise
        raise ValueError(f"Tensor: the data is ragged: {_ragged(data)}; every row must have the same "
                         f"length") from None
    if dtype is None:
        if array.dtype == np.float64 and not isinstance(data, (np.ndarray, np.generic)):
            array = array.astype(_graph.default_dtype, copy=False)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"Tensor: unsupported dtype {array.dtype}; use numbers (float, int or bool data)")
    return array


def _ragged(data):
    """Where nested lists stop being rectangular: the depth and the lengths found there."""
    level, depth = [data], 0
    while all(isinstance(x, (list, tuple)) for x in level):
        lengths = sorted({len(x) for x in level})
        if len(lengths) > 1:
            return f"the lists at depth {depth} have lengths {', '.join(map(str, lengths))}"
        level, depth = [y for x in level for y in x], depth + 1
    return f"at depth {depth} some entries are lists and some are numbers"


# ---- 3. Function: an op, and the record of one call --------------------------------------------------
class Function:
    """Base class of every op; an instance (`ctx`) is the record of one call.

    Subclass it with `forward(ctx, *arrays, **params)` (numpy in, numpy out) and
    `backward(ctx, dZ)` (one gradient per input, or None), set `formula`, and call
    `MyOp.apply(*tensors, **params)`. Positional inputs are the differentiable ones (Tensors,
    or numbers and arrays, which become constants); keyword params are settings such as an
    axis or a target, never differentiated. A gradient may have dZ's broadcast shape: the
    engine sums it back to its input's shape. Keep what backward needs with
    `ctx.save_for_backward(...)`: that is what backward frees (unless `retain_graph=True`).
    """
    # parents: the input tensors; needs_input_grad: one bool per input, does it want a gradient
    # (an op may skip the work for the others); tape_index: the call's place on the tape;
    # settings: the call's keyword params (an axis, a loss's target), for pages that show them
    # and for a recorded step (a call without params keeps the shared empty one, and no dict).
    __slots__ = ("parents", "needs_input_grad", "tape_index", "saved_tensors", "__dict__")
    formula = ""
    op_name = "function"
    settings = MappingProxyType({})

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "op_name" not in cls.__dict__:
            cls.op_name = _snake_case(cls.__name__)

    def save_for_backward(self, *arrays):
        self.saved_tensors = arrays

    def forward(ctx, *arrays, **params):
        raise NotImplementedError(f"{type(ctx).__name__} must define forward(ctx, *arrays)")

    def backward(ctx, dz):
        raise NotImplementedError(f"{type(ctx).__name__} must define backward(ctx, dz)")

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op on `inputs`; record the call on the tape when an input requires grad."""
        parents = inputs
        for x in inputs:
            if not isinstance(x, Tensor):
                parents = _as_tensors(inputs)         # numbers and arrays become constants
                break
        arrays, needs_input_grad = [], []
        for t in parents:
            arrays.append(t.data)
            needs_input_grad.append(t.requires_grad)
        recording = _graph.enabled and True in needs_input_grad
        ctx = cls()
        ctx.saved_tensors = ()
        try:
            data = cls.forward(ctx, *arrays, **params)
        except (ValueError, TypeError) as error:
            raise _same_kind(error, f"{cls.op_name}: {_describe(parents)}: {error}") from error
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        if _graph.anomaly:
            _check_forward(cls.op_name, data, parents)
        if not recording and data.dtype.kind == "f" and data.dtype != _graph.default_dtype:
            data = _promoted(data, inputs)
        out = Tensor.__new__(Tensor)
        out.data, out.grad, out.name, out._retain = data, None, None, _graph.retain_all
        if recording:
            ctx.parents, ctx.needs_input_grad = parents, needs_input_grad
            if params:
                ctx.settings = params
            ctx.tape_index = next(_tape)
            out.requires_grad, out._ctx = True, ctx
        else:
            out.requires_grad, out._ctx = False, None
        return out

_tape = itertools.count()        # each recorded call takes the next place on the tape


def _snake_case(name):
    """`MyReLU` → `my_relu`, `HTTPThing` → `http_thing`: a word starts at a capital followed by a small letter."""
    return re.sub(r"(?<=[^_])(?=[A-Z][a-z])", "_", name).lower()


def _as_tensors(inputs):
    """The op's inputs as Tensors: numbers and arrays among them become constants."""
    beside = None                       # the dtype of the first tensor, which a Python number takes
    for x in inputs:
        if isinstance(x, Tensor):
            beside = x.data.dtype
            break
    tensors = []
    for x in inputs:
        tensors.append(x if isinstance(x, Tensor) else _constant(x, beside))
    return tuple(tensors)


def _constant(x, beside):
    """A constant input. A Python number takes the dtype of the tensor beside it, so it never
    changes a tensor's dtype (`float32 * 2.0` stays float32, `int32 + 1` stays int32); a float
    beside an integer tensor takes the default float dtype."""
    if type(x) is float or type(x) is int:
        if beside is not None and (beside.kind == "f" or beside.kind in "iu" and type(x) is int):
            return _number(x, beside)
        if type(x) is float:
            return _number(x, _graph.default_dtype)
    return Tensor._wrap(_to_array(x))


_numbers = {}


def _number(value, dtype):
    """The constant of a Python number: one shared read-only tensor per value and dtype, so that
    `loss / 2` in a training loop, or `y * 1.0` in a chain of 100,000 ops, makes no new array."""
    key = (value, math.copysign(1.0, value), dtype)        # the sign tells 0.0 from -0.0
    constant = _numbers.get(key)
    if constant is None:
        if len(_numbers) >= 1024:
            _numbers.clear()
        array = np.array(value, dtype=dtype)
        array.flags.writeable = False
        constant = _numbers[key] = Tensor._wrap(array)
    return constant


def _promoted(data, inputs):
    """A float result of integer (or bool) tensors in the default float dtype (`int_tensor / 2`,
    `.exp()`, `+ 0.5`), whatever numpy chose; a result of float tensors stays as it is."""
    if any(isinstance(x, Tensor) and x.data.dtype.kind == "f" for x in inputs):
        return data
    return data.astype(_graph.default_dtype)


def _describe(tensors):
    shapes = ", ".join(f"{tuple(t.shape)} {t.data.dtype}" for t in tensors)
    return f"input{'s' if len(tensors) != 1 else ''} {shapes}"


def _same_kind(error, message):
    """An error of the same kind with a new message (numpy's AxisError stays an AxisError,
    an IndexError as well as a ValueError)."""
    for kind in (ShapeError, np.exceptions.AxisError, ValueError, TypeError):
        if isinstance(error, kind):
            return kind(message)


def _check_forward(op_name, data, parents):
    """detect_anomaly: blame an input that came in non-finite, else the op that made a NaN/inf."""
    if data.dtype.kind != "f" or np.isfinite(data).all():
        return
    for index, t in enumerate(parents):
        if t.data.dtype.kind == "f" and not np.isfinite(t.data).all():
            who = repr(t.name) if t.name else f"{index} of shape {t.shape}"
            raise RuntimeError(f"detect_anomaly: input {who} of {op_name} already held {_bad(t.data)} when it "
                               f"came in; {op_name} did not make it")
    raise RuntimeError(f"detect_anomaly: forward of {op_name} produced {_bad(data)} (with {_describe(parents)})")


def _bad(array):
    return "NaN" if np.isnan(array).any() else "inf"


# ---- 4. backward: the tape read backwards -------------------------------------------------------------
def backward_order(root):
    """The tensors made by ops that `root` depends on, newest first: the tape read backwards.

    This is the order `backward` runs their ops in. An op is recorded after the ops that
    made its inputs, so each tensor comes before its inputs: by the time its op runs, every
    op that used it has passed its gradient back, and its dZ is complete.
    """
    if root._ctx is None:
        return []
    found, seen = [root], {root}
    for t in found:                          # the list grows as the walk finds more tensors
        for parent in t._ctx.parents:
            if parent._ctx is not None and parent not in seen:
                seen.add(parent)
                found.append(parent)
    found.sort(key=attrgetter("_ctx.tape_index"), reverse=True)
    return found


def _input_grads(ctx, dz, retain_graph):
    """Run this call's backward on dZ: a tuple with one gradient (or None) per input."""
    if ctx.saved_tensors is None:
        raise RuntimeError(f"backward: the graph through {ctx.op_name} was already freed by an earlier "
                           f"backward; pass retain_graph=True to the first backward to go through it twice")
    grads = type(ctx).backward(ctx, dz)
    if not retain_graph:
        ctx.saved_tensors = None             # free what forward saved, now that it has been used
    if type(grads) is not tuple:
        grads = tuple(grads) if type(grads) is list else (grads,)
    if len(grads) != len(ctx.parents):
        raise RuntimeError(f"backward of {ctx.op_name} returned {len(grads)} gradients for "
                           f"{len(ctx.parents)} inputs")
    if _graph.anomaly:
        _check_backward(ctx, grads)
    return grads


def _check_backward(ctx, grads):
    """detect_anomaly: name the op whose backward made a NaN/inf."""
    for index, g in enumerate(grads):
        if g is not None and not np.isfinite(g).all():
            raise RuntimeError(f"detect_anomaly: backward of {ctx.op_name} produced {_bad(np.asarray(g))} for "
                               f"input {index} (with {_describe(ctx.parents)})")


def _fit(ctx, parent, g, dz):
    """A gradient an op returned that is not yet an array of its input's shape and dtype, made one.

    A gradient of the broadcast shape is summed back (if Z = A + B stretched B from (1, n) to
    (m, n), then dB = Σ_rows dZ); one in dZ's dtype is cast back to the input's (numpy promoted
    the input in forward). Anything else is the op's mistake, and an error that names it.
    """
    if type(g) is not np.ndarray:                  # numbers, lists and numpy's 0-d scalars
        g = np.asarray(g, dtype=None if isinstance(g, np.generic) else parent.data.dtype)
    if g.shape != parent.data.shape:
        summed = _sum_to_shape(g, parent.data.shape)
        if summed is None:
            raise _wrong_gradient(ctx, parent, g)
        g = summed
    if g.dtype != parent.data.dtype:
        if g.dtype != dz.dtype or parent.data.dtype.kind != "f":
            raise _wrong_gradient(ctx, parent, g)
        g = g.astype(parent.data.dtype)
    return g


def _sum_to_shape(g, shape):
    """g summed over the axes that broadcasting added or stretched to reach `shape`
    (None when g is not of a shape that `shape` broadcasts to)."""
    extra = g.ndim - len(shape)
    if extra < 0 or any(n != 1 and n != m for n, m in zip(shape, g.shape[extra:])):
        return None
    axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape) if n == 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape)


def _wrong_gradient(ctx, parent, g):
    index = next(i for i, t in enumerate(ctx.parents) if t is parent)
    return RuntimeError(f"backward of {ctx.op_name} returned a gradient of shape {g.shape} and dtype {g.dtype} "
                        f"for input {index}, which has shape {parent.shape} and dtype {parent.dtype}")


def _add_to_leaf(tensor, g, dz, grads):
    """Add g into `tensor.grad`. A first gradient is kept as it is only when the op made it for
    this one input: not dZ passed on, not a view of another array, not handed to two inputs
    (`grads`, all the op returned). Anything else is copied, so no two `.grad` arrays ever
    share memory."""
    if tensor.grad is not None:
        tensor.grad += g
    elif g is dz or g.base is not None or _handed_out_twice(g, grads):
        tensor.grad = g.copy()
    else:
        tensor.grad = g


def _handed_out_twice(g, grads):
    count = 0
    for h in grads:
        if h is g:
            count += 1
    return count > 1
