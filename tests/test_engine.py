"""The engine: backward is the tape read backwards, the engine's bookkeeping, names, dtypes and edges."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu import Function, Tensor, backward_order, viz
from tinygrad_edu.testing import shapes, tensors
from tinygrad_edu.viz import drawing

from .helpers import full_and_fast

CALLS = []


class Logged(Function):
    """A user op that logs its forward and backward calls: Z = f(A, ...) with its derivative df."""

    def forward(ctx, *arrays, label, f, df):
        CALLS.append(("forward", label))
        ctx.label, ctx.df = label, df
        ctx.save_for_backward(*arrays)
        return f(*arrays)

    def backward(ctx, dz):
        CALLS.append(("backward", ctx.label))
        return ctx.df(dz, *ctx.saved_tensors)


def issue_graph():
    """x → a = 2x, b = eˣ, c = a + b, d = a·c, f = d + b, e = Σf (each a logged user op)."""
    x = Tensor([0.5, -1.0], requires_grad=True)
    a = Logged.apply(x, label="a", f=lambda x: 2 * x, df=lambda dz, x: 2 * dz)
    b = Logged.apply(x, label="b", f=np.exp, df=lambda dz, x: dz * np.exp(x))
    c = Logged.apply(a, b, label="c", f=np.add, df=lambda dz, a, b: (dz, dz))
    d = Logged.apply(a, c, label="d", f=np.multiply, df=lambda dz, a, c: (dz * c, dz * a))
    f = Logged.apply(d, b, label="f", f=np.add, df=lambda dz, d, b: (dz, dz))
    e = Logged.apply(f, label="e", f=np.sum, df=lambda dz, f: np.full(f.shape, dz))
    return x, e


def test_backward_runs_the_ops_in_the_reverse_of_the_order_they_were_recorded():
    CALLS.clear()
    x, e = issue_graph()
    forward = [label for phase, label in CALLS if phase == "forward"]
    CALLS.clear()
    e.backward()
    assert [label for phase, label in CALLS] == forward[::-1] == ["e", "f", "d", "c", "b", "a"]
    # e = Σ (2x·(2x + eˣ) + eˣ): de/dx = 8x + 2eˣ + 2x·eˣ + eˣ
    expected = 8 * x.data + 3 * np.exp(x.data) + 2 * x.data * np.exp(x.data)
    assert np.allclose(x.grad, expected)


def test_backward_order_is_the_order_backward_runs():
    x, e = issue_graph()
    order = backward_order(e)
    assert [t._ctx.label for t in order] == ["e", "f", "d", "c", "b", "a"]
    CALLS.clear()
    e.backward()
    assert [label for _, label in CALLS] == [t._ctx.label for t in order]
    assert backward_order(x) == []


def test_backward_steps_draw_the_engine_order(monkeypatch, tmp_path):
    x, e = issue_graph()
    order = backward_order(e)
    drawn = []
    original = drawing.draw_graph

    def recording(root, **options):
        drawn.append(options.get("active"))
        return original(root, **options)

    monkeypatch.setattr(drawing, "draw_graph", recording)
    monkeypatch.setattr(viz.Graph, "render", lambda self, path, **kw: str(path))    # no `dot` needed here
    viz.backward_steps(e, tmp_path)
    assert drawn[0] is None and drawn[1:] == order


def test_a_user_op_may_return_broadcast_shaped_gradients():
    class BroadcastingAdd(Function):
        def forward(ctx, a, b):
            return a + b

        def backward(ctx, dz):
            return dz, dz

    a, b = Tensor(np.ones((3, 1)), requires_grad=True), Tensor(np.ones((1, 4)), requires_grad=True)
    c = Tensor(np.ones(4), requires_grad=True)
    out = BroadcastingAdd.apply(BroadcastingAdd.apply(a, b), c)
    out.backward(np.arange(12.0).reshape(3, 4))
    assert np.array_equal(a.grad, [[6.0], [22.0], [38.0]])        # each row of dZ summed
    assert np.array_equal(b.grad, [[12.0, 15.0, 18.0, 21.0]])      # each column summed
    assert np.array_equal(c.grad, [12.0, 15.0, 18.0, 21.0])


def test_an_op_inside_the_package_keeps_the_gradient_checks():
    class Broken(Function):
        def forward(ctx, a):
            return a * 2

        def backward(ctx, dz):
            return np.ones(3)

    Broken.__module__ = "tinygrad_edu.ops.copied_by_a_learner"
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"backward of broken returned a gradient of shape \(3,\) and dtype "
                                           r"float64 for input 0, which has shape \(2, 2\)"):
        Broken.apply(x).sum().backward()


def test_a_gradient_of_another_dtype_is_named():
    class Halves(Function):
        def forward(ctx, a):
            return a

        def backward(ctx, dz):
            return dz.astype(np.float16)

    x = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"backward of halves .* dtype float16 for input 0, .* dtype float64"):
        Halves.apply(x).sum().backward()


def test_a_promoted_input_gets_its_gradient_in_its_own_dtype():
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    y = x * np.array([2.0, 3.0])                  # numpy promotes x to float64
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [2.0, 3.0]


# ---- names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("class_name, op", [("MyReLU", "my_relu"), ("HTTPThing", "http_thing"), ("Cube", "cube"),
                                            ("LogSoftmax", "log_softmax"), ("TwoIn", "two_in"),
                                            ("BinaryCrossEntropyWithLogits", "binary_cross_entropy_with_logits")])
def test_a_class_name_becomes_readable_snake_case(class_name, op):
    assert type(class_name, (Function,), {}).op_name == op


def test_ops_are_named_as_their_functions():
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    assert (x @ x).op == "matmul"
    assert tg.functional.linear(x, x).op == "linear"
    assert x.relu().op == "relu" and x.T.op == "permute" and x[0].op == "get_item"
    assert tg.functional.mse_loss(x, np.ones((2, 2))).op == "mse_loss"


@pytest.mark.parametrize("make, op", [
    (lambda: Tensor([1.0]).clip(), "clip"),
    (lambda: Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3))), "matmul"),
    (lambda: tg.functional.cross_entropy(Tensor(np.ones((2, 3))), np.array([0, 5])), "cross_entropy"),
    (lambda: tg.functional.mse_loss(Tensor(np.ones(2)), np.ones(3)), "mse_loss"),
    (lambda: Tensor(np.ones((0,))).max(), "max"),
])
def test_an_error_names_the_op_once(make, op):
    with pytest.raises(ValueError) as error:
        make()
    message = str(error.value)
    assert message.startswith(f"{op}: ") and message.count(op) == 1


# ---- transpose, permute, reductions: PyTorch's meaning, negative axes everywhere ----------------
def test_transpose_with_a_negative_axis_has_the_right_gradient():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = Tensor([[1.0, 2.0], [3.0, 4.0]])
    (x.transpose(-1, 0) * w).sum().backward()
    assert x.grad.tolist() == [[1.0, 3.0], [2.0, 4.0]]           # wᵀ
    x = Tensor(np.zeros((3, 4, 5, 6)), requires_grad=True)
    x.transpose(-1, 1).sum().backward()
    assert x.grad.shape == (3, 4, 5, 6)


def test_transpose_swaps_two_axes_as_in_pytorch():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    assert x.transpose(0, 1).tolist() == x.data.T.tolist()
    assert x.transpose(1, 1).tolist() == x.data.tolist()
    with pytest.raises(IndexError, match="axis 2 is out of bounds"):
        x.transpose(0, 2)


@st.composite
def tensor_and_two_axes(draw):
    x = draw(tensors(shape=shapes(min_dims=1, max_dims=4, max_side=3)))
    axis = st.integers(-x.ndim, x.ndim - 1)
    return x, draw(axis), draw(axis)


@given(case=tensor_and_two_axes())
def test_transpose_property(case):
    x, dim0, dim1 = case
    w = np.random.default_rng(0).random(np.swapaxes(x.data, dim0, dim1).shape)
    z = x.transpose(dim0, dim1)
    assert np.array_equal(z.data, np.swapaxes(x.data, dim0, dim1))
    (z * w).sum().backward()
    assert np.array_equal(x.grad, np.swapaxes(w, dim0, dim1))    # closed form: the swap undone
    full_and_fast(lambda t: t.transpose(dim0, dim1) * w, x)


@given(x=tensors(shape=shapes(max_dims=4, max_side=3)), data=st.data())
def test_permute_property(x, data):
    dims = data.draw(st.permutations(range(x.ndim)))
    dims = [d - x.ndim if data.draw(st.booleans()) else d for d in dims]      # some axes counted from the end
    z = x.permute(*dims)
    assert np.array_equal(z.data, np.transpose(x.data, [d % x.ndim for d in dims]))
    assert np.array_equal(x.permute(dims).data, z.data)
    assert np.array_equal(x.T.data, x.data.transpose(tuple(reversed(range(x.ndim)))))
    full_and_fast(lambda t: t.permute(*dims), x)
    full_and_fast(lambda t: t.T, x)


def test_permute_needs_every_axis_once():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^permute: input \(2, 3\) float64: dims \(0,\) must name each"):
        x.permute(0)
    with pytest.raises(ValueError, match="repeated axis"):
        x.permute(1, -1)


@st.composite
def tensor_and_axes(draw):
    x = draw(tensors(shape=shapes(min_dims=1, max_dims=4, max_side=3)))
    axes = draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim, unique=True))
    return x, tuple(a - x.ndim if draw(st.booleans()) else a for a in axes)


@pytest.mark.parametrize("name", ["sum", "mean"])
@given(case=tensor_and_axes(), keep=st.booleans())
def test_reductions_take_negative_axes_tuples_and_keepdim(name, case, keep):
    x, axes = case
    z = getattr(x, name)(axis=axes, keepdim=keep)
    expected = getattr(np, name)(x.data, axis=tuple(a % x.ndim for a in axes), keepdims=keep)
    assert z.shape == expected.shape and np.allclose(z.data, expected)
    z.sum().backward()
    count = np.prod([x.shape[a] for a in axes]) if name == "mean" else 1
    assert np.allclose(x.grad, np.full(x.shape, 1.0 / count))    # closed form: dZ spread over the axes
    full_and_fast(lambda t: getattr(tg.functional, name)(t, axes, keepdim=keep), x)


@pytest.mark.parametrize("make", [lambda x: x.sum(axis=2), lambda x: x.mean(axis=(0, -3)), lambda x: x.max(axis=-3),
                                  lambda x: x.softmax(axis=5), lambda x: x.permute(0, 2)])
def test_an_axis_out_of_range_is_numpys_axis_error(make):
    with pytest.raises(np.exceptions.AxisError) as error:
        make(Tensor(np.ones((3, 4))))
    assert isinstance(error.value, IndexError) and "out of bounds" in str(error.value)


# ---- dtypes: a Python number never changes a tensor's dtype; int → float gives the default ------
def test_a_python_int_keeps_an_integer_dtype():
    x = Tensor(np.int32([-2, 0, 2]))
    assert (x ** 2).dtype == np.int32 and (x ** 2).tolist() == [4, 0, 4]
    assert (x + 1).dtype == np.int32 and (3 * x).dtype == np.int32 and (x - 1).dtype == np.int32
    assert (Tensor(np.int8([1])) * 3).dtype == np.int8


@pytest.mark.parametrize("default", [np.float32, np.float64])
def test_integers_promoted_to_floats_take_the_default_dtype(default):
    tg.set_default_dtype(default)
    try:
        ints = Tensor(np.int32([1, 2]))
        for result in (ints / 2, Tensor(1) + 0.5, ints.exp(), ints * 2.5, Tensor([True]) * 0.5, ints.sqrt()):
            assert result.dtype == default
        assert (ints / 2).tolist() == [0.5, 1.0]
        assert (Tensor(np.ones(2, dtype=np.float16)) * 2.0).dtype == np.float16     # floats keep theirs
    finally:
        tg.set_default_dtype(np.float64)


# ---- the edges of an op's domain: PyTorch's gradients, with no numpy warnings -------------------
# (pytest turns every warning into an error, so these tests also check that none is raised)
def test_power_with_a_zero_exponent_at_a_zero_base():
    x = Tensor([0.0, 2.0, -1.5], requires_grad=True)
    (x ** 0.0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]                     # d/dx x⁰ = 0 everywhere
    x.zero_grad()
    (x ** 2.0).sum().backward()
    assert x.grad.tolist() == [0.0, 4.0, -3.0]
    x.zero_grad()
    (x[:2] ** 0.5).sum().backward()
    assert x.grad[0] == np.inf                                      # as PyTorch: ½·0^(−½)


def test_power_of_a_zero_base():
    y = Tensor([0.0, 1.0, 2.5], requires_grad=True)
    z = 0.0 ** y
    assert z.tolist() == [1.0, 0.0, 0.0]
    z.sum().backward()
    assert y.grad.tolist() == [0.0, 0.0, 0.0]                     # PyTorch: 0 where the base is 0, y ≥ 0
    y2 = Tensor([2.0, 0.0], requires_grad=True)
    (2.0 ** y2).sum().backward()
    assert np.allclose(y2.grad, np.log(2.0) * 2.0 ** y2.data)
    assert (Tensor(0.0) ** -1.0).item() == np.inf


def test_power_of_two_tensors_at_zero():
    a, b = Tensor([0.0, 0.0, 3.0], requires_grad=True), Tensor([0.0, 2.0, 2.0], requires_grad=True)
    (a ** b).sum().backward()
    assert a.grad.tolist() == [0.0, 0.0, 6.0]
    assert np.allclose(b.grad, [0.0, 0.0, 9.0 * np.log(3.0)])


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_and_min_send_the_gradient_to_nan(name):
    x = Tensor([1.0, np.nan, 3.0], requires_grad=True)
    z = getattr(x, name)()
    assert np.isnan(z.item())
    z.backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]
    x = Tensor([[np.nan, 2.0, np.nan], [1.0, 5.0, 2.0]], requires_grad=True)
    getattr(x, name)(axis=1).sum().backward()
    expected = [[0.5, 0.0, 0.5], [0.0, 1.0, 0.0] if name == "max" else [1.0, 0.0, 0.0]]
    assert x.grad.tolist() == expected
