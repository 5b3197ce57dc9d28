"""The Function base class every primitive op is built on, and the graph's global state.

An op is a subclass of `Function` with `forward(ctx, *arrays)` (numpy in, numpy out),
`backward(ctx, dA)` (one gradient per input, or None) and a `formula` string in the
course's notation. `Op.apply(*tensors, **params)` runs the forward and, when a gradient
is wanted, records the call (the `ctx`) on the output so `Tensor.backward` can replay it.
"""
import contextlib
import math
import operator
import re

import numpy as np


class ShapeError(ValueError):
    """A tensor's shape does not fit an op; the message names the op and the shapes."""


class _GraphState:
    """Switches that change what `Function.apply` records (one instance: `_graph`)."""
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


def retain_grads():
    """Context in which every tensor created keeps its `.grad` after backward (for teaching and drawing)."""
    return _switch("retain_all", True)


def detect_anomaly():
    """Context in which an op whose forward or backward produces NaN/inf raises at once."""
    return _switch("anomaly", True)


def is_grad_enabled():
    return _graph.enabled


def set_default_dtype(dtype):
    """Set the floating dtype that Python floats become in `Tensor(...)` (float64 or float32)."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: a floating dtype is needed, got {dtype}")
    _graph.default_dtype = dtype


def get_default_dtype():
    return _graph.default_dtype


def _snake_case(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Function:
    """Base class of every primitive op; an instance is the `ctx` of one call.

    Subclass it with `forward(ctx, *arrays, **params)` and `backward(ctx, grad)`, set
    `formula`, and call `MyOp.apply(*tensors, **params)`. Positional inputs are the
    differentiable ones (Tensors, or constants turned into Tensors); keyword params are
    settings such as an axis or a target, never differentiated. Keep the arrays backward
    needs in `save_for_backward`: that is what backward frees (`saved_tensors` becomes
    None) unless `retain_graph=True`.
    """
    # Slots keep the common op free of a per-call dict; ops may still set other attributes.
    __slots__ = ("parents", "needs_input_grad", "saved_tensors", "_waiting", "_pending", "__dict__")
    formula = ""
    op_name = "function"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "op_name" not in cls.__dict__:
            cls.op_name = _snake_case(cls.__name__)
        # The engine checks the shape and dtype of every gradient a user's op returns; the
        # library's own ops are held to that by the test suite (gradcheck) instead.
        cls._user_op = not cls.__module__.startswith(__package__ + ".ops.")

    def save_for_backward(self, *arrays):
        self.saved_tensors = arrays

    def forward(ctx, *arrays, **params):
        raise NotImplementedError(f"{type(ctx).__name__} must define forward(ctx, *arrays)")

    def backward(ctx, grad):
        raise NotImplementedError(f"{type(ctx).__name__} must define backward(ctx, grad)")

    @classmethod
    def apply(cls, *inputs, **params):
        parents = inputs
        for x in inputs:
            if type(x) is not Tensor:
                parents = _as_tensors(inputs)
                break
        n = len(parents)
        ctx = _new(cls)
        ctx.saved_tensors = ()
        try:
            # One, two and three inputs are spelled out: a call through *args costs more than
            # the numpy work of a small op.
            if params or not 0 < n < 4:
                data = cls.forward(ctx, *map(_data, parents), **params)
            elif n == 2:
                data = cls.forward(ctx, parents[0].data, parents[1].data)
            elif n == 1:
                data = cls.forward(ctx, parents[0].data)
            else:
                data = cls.forward(ctx, parents[0].data, parents[1].data, parents[2].data)
        except (ValueError, TypeError) as error:
            if isinstance(error, ShapeError) or str(error).startswith(cls.op_name + ":"):
                raise                              # the op's own check, which names the op already
            # numpy's own words, with the op and the inputs added
            kind = ValueError if isinstance(error, ValueError) else TypeError
            raise kind(f"{cls.op_name}: {_describe(parents)}: {error}") from error
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        if _graph.anomaly:
            _check_finite(data, f"forward of {cls.op_name}", parents)
        out = _new(Tensor)
        out.data = data
        out.grad = None
        out.name = None
        out._retain = _graph.retain_all
        if _graph.enabled:
            if n == 2:
                needs = (parents[0].requires_grad, parents[1].requires_grad)
            elif n == 1:
                needs = (parents[0].requires_grad,)
            else:
                needs = tuple(map(_requires_grad, parents))
            if True in needs:
                ctx.parents = parents
                ctx.needs_input_grad = needs
                ctx._waiting = 0            # backward's bookkeeping (see Tensor.backward)
                ctx._pending = None
                out.requires_grad = True
                out._ctx = ctx
                return out
        out.requires_grad = False
        out._ctx = None
        return out


_new = object.__new__
# attrgetter + map build these for any number of inputs without a comprehension's extra frame.
_data = operator.attrgetter("data")
_requires_grad = operator.attrgetter("requires_grad")


def _as_tensors(inputs):
    """Turn constants among an op's inputs into Tensors; a Python number takes the dtype of
    the floating tensor beside it, so `float32 * 2.0` stays float32."""
    like = None
    for x in inputs:
        if isinstance(x, Tensor) and x.data.dtype.kind == "f":
            like = x.data.dtype
            break
    out = []
    for x in inputs:
        if isinstance(x, Tensor):
            out.append(x)
        elif like is not None and type(x) in (float, int):     # not bool: True * x is not 1.0 * x
            out.append(_scalar(x, like))
        else:
            out.append(Tensor._constant(_to_array(x)))
    return tuple(out)


_scalars = {}


def _scalar(value, dtype):
    """The constant tensor of a Python number: one shared, read-only node per value and dtype,
    so `loss / 2` or `x * 1.0` in a loop does not build a new array every time."""
    key = (value, math.copysign(1.0, value), dtype)      # the sign tells 0.0 from -0.0
    constant = _scalars.get(key)
    if constant is None:
        if len(_scalars) >= 1024:
            _scalars.clear()
        array = np.array(value, dtype=dtype)
        array.flags.writeable = False
        constant = _scalars[key] = Tensor._constant(array)
    return constant


def _to_array(data, dtype=None):
    """numpy array of `data`; Python floats take the default dtype, numpy arrays keep theirs."""
    if dtype is not None:
        array = np.asarray(data, dtype=dtype)
    else:
        array = np.asarray(data)
        if array.dtype == np.float64 and not isinstance(data, (np.ndarray, np.generic)):
            array = array.astype(_graph.default_dtype, copy=False)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"Tensor: unsupported dtype {array.dtype}; use numbers (float, int or bool data)")
    return array


def _describe(tensors):
    shapes = ", ".join(f"{tuple(t.shape)} {t.data.dtype}" for t in tensors)
    return f"input{'s' if len(tensors) != 1 else ''} {shapes}"


def _check_finite(array, where, inputs):
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = "NaN" if np.isnan(array).any() else "inf"
        raise RuntimeError(f"detect_anomaly: {where} produced {bad} (with {_describe(inputs)})")


# Tensor and Function need each other: apply() builds Tensors, and Tensor's operators call
# ops built on Function. The package imports this module first, so Tensor comes last.
from .tensor import Tensor  # noqa: E402
