"""Tensor construction, dtypes, and the backward engine (accumulation, graphs, memory)."""
import gc
import weakref

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.functional as F
from tinygrad_edu import Function, Tensor


# ---- construction and dtype ----------------------------------------------------------------------
def test_python_floats_default_to_float64_and_arrays_keep_dtype():
    assert Tensor([1.0, 2.0]).dtype == np.float64
    assert Tensor(np.ones(3, dtype=np.float32)).dtype == np.float32
    assert Tensor([1, 2]).dtype == np.int64
    assert Tensor([True]).dtype == np.bool_
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32


def test_set_default_dtype_changes_python_floats_only():
    tg.set_default_dtype(np.float32)
    try:
        assert Tensor([1.5]).dtype == np.float32
        assert Tensor(np.ones(2)).dtype == np.float64
    finally:
        tg.set_default_dtype(np.float64)
    assert Tensor([1.5]).dtype == np.float64
    with pytest.raises(TypeError, match="floating dtype"):
        tg.set_default_dtype(np.int32)


def test_tensor_copies_its_data():
    source = np.zeros(3)
    t = Tensor(source)
    source[0] = 5
    assert t.data[0] == 0


def test_integer_tensors_cannot_require_grad():
    with pytest.raises(TypeError, match="only floating-point tensors can require grad, got int64"):
        Tensor([1, 2], requires_grad=True)


def test_unsupported_dtype_is_a_clear_error():
    with pytest.raises(TypeError, match="unsupported dtype <U1"):
        Tensor(["a"])


def test_attributes_and_conversions():
    t = Tensor([[1.0, 2.0, 3.0]], requires_grad=True, name="x")
    assert (t.shape, t.ndim, t.size, t.name, t.is_leaf, t.op, t.parents) == ((1, 3), 2, 3, "x", True, None, ())
    assert len(t) == 1 and t.tolist() == [[1.0, 2.0, 3.0]]
    assert t.numpy() is t.data
    assert Tensor(2.5).item() == 2.5
    with pytest.raises(ValueError, match=r"shape \(1, 3\)"):
        t.item()
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))
    d = t.detach()
    assert d.data is t.data and not d.requires_grad
    assert np.array_equal(np.asarray(t), t.data)


def test_repr_shows_shape_dtype_op_and_requires_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    text = repr(x * 2)
    assert "shape=(2,)" in text and "dtype=float64" in text and "op=mul" in text and "requires_grad=True" in text


def test_op_and_parents_describe_the_graph():
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    c = a * b + 1.0
    assert c.op == "add" and c.parents[0].op == "mul"
    assert c.parents[0].parents == (a, b)
    assert c.parents[1].data.item() == 1.0 and not c.parents[1].requires_grad
    assert c.formula == "Z = A + B · dA = dZ, dB = dZ"


def test_python_scalars_never_change_the_dtype():
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    for y in (x * 2.0, 2.0 * x, x + 1, 1 - x, x / 3.0, 3.0 / x, x ** 2.0, 2.0 ** x, -x):
        assert y.dtype == np.float32, y.op


def test_a_python_number_is_one_shared_read_only_constant_per_value_and_dtype():
    x = Tensor([1.0, 2.0], requires_grad=True)
    a, b = x * 2.0, x / 2.0
    assert a.parents[1] is b.parents[1] and not a.parents[1].data.flags.writeable
    assert (x * 2).parents[1] is a.parents[1]                    # 2 and 2.0 are the same float64 constant
    assert (Tensor([1.0], dtype=np.float32, requires_grad=True) * 2.0).parents[1] is not a.parents[1]
    assert np.signbit((Tensor([1.0]) * -0.0).data[0]) and not np.signbit((Tensor([1.0]) * 0.0).data[0])


def test_ndarray_on_the_left_defers_to_tensor():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0]) * x
    assert isinstance(y, Tensor) and y.op == "mul"
    y.sum().backward()
    assert np.array_equal(x.grad, [3.0, 4.0])


def test_comparisons_return_tensors_without_grad():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result, expected in ((x < 2, [True, False, False]), (x <= 2, [True, True, False]),
                             (x > 2, [False, False, True]), (x >= 2, [False, True, True]),
                             (x == 2, [False, True, False]), (x != 2, [True, False, True])):
        assert isinstance(result, Tensor) and not result.requires_grad
        assert result.tolist() == expected
    assert len({x, x}) == 1    # still hashable


# ---- backward ----------------------------------------------------------------------------------
def test_backward_seeds_one_for_a_one_element_tensor_only():
    x = Tensor([[2.0]], requires_grad=True)
    (x * x).backward()
    assert x.grad.tolist() == [[4.0]]
    y = Tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(3,\) but the tensor has shape \(2,\)"):
        y.backward(np.ones(3))


def test_the_implied_seed_of_a_scalar_is_never_shared_with_a_gradient():
    x = Tensor(2.0, requires_grad=True)
    x.backward()                          # a leaf root stores the seed itself
    x.grad += 1                           # the stored gradient is the user's to change
    y = Tensor(5.0, requires_grad=True)
    (y + Tensor(1.0, requires_grad=True)).backward()
    y.grad *= 10
    z = Tensor(1.0, requires_grad=True)
    (z * 1.0).backward()                  # a later backward still starts from exactly 1
    assert (x.grad, y.grad, z.grad) == (2.0, 10.0, 1.0)


def test_backward_accepts_an_ndarray_or_tensor_seed():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(np.array([1.0, 10.0]))
    assert x.grad.tolist() == [3.0, 30.0]
    x.zero_grad()
    (x * 3).backward(Tensor([2.0, 0.0]))
    assert x.grad.tolist() == [6.0, 0.0]


def test_backward_without_grad_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


def test_gradients_accumulate_until_zeroed():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [4.0, 8.0]
    x.zero_grad()
    assert x.grad is None


def test_a_tensor_used_twice_gets_both_contributions():
    x = Tensor(3.0, requires_grad=True)
    y = x * x + x          # dy/dx = 2x + 1
    y.backward()
    assert x.grad == 7.0


def test_diamond_graph_adds_paths_in_topological_order():
    x = Tensor(2.0, requires_grad=True)
    a = x * 3
    b = a * a              # depends on a
    c = a + b              # c = 3x + 9x², dc/dx = 3 + 18x
    c.backward()
    assert x.grad == 39.0


def test_leaf_backward_stores_the_seed():
    x = Tensor([1.0, 2.0], requires_grad=True)
    seed = np.array([5.0, 6.0])
    x.backward(seed)
    seed[0] = 0
    assert x.grad.tolist() == [5.0, 6.0]


def test_stored_gradients_never_share_memory():
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
    (a + b).backward(np.ones(2))          # add hands the same array to both inputs
    assert not np.shares_memory(a.grad, b.grad)
    a.grad *= 10
    assert b.grad.tolist() == [1.0, 1.0]


def test_no_stored_gradient_shares_memory_through_pass_through_ops_or_user_ops():
    x, c = Tensor([1.0, 2.0], requires_grad=True), Tensor([0.5, 0.5], requires_grad=True)
    with tg.retain_grads():
        y = x + c                         # add passes dZ on unchanged, to y and then to x and c
        z = y.reshape(2)                  # and reshape passes a view of it
        w = z + 0.0
    seed = np.array([1.0, 3.0])
    w.backward(seed)
    grads = [x.grad, c.grad, y.grad, z.grad, w.grad]
    assert all(not np.shares_memory(g, h) for i, g in enumerate(grads) for h in grads[i + 1:])
    assert not any(np.shares_memory(g, seed) for g in grads)

    class KeepsItsGradient(Function):     # a user op that returns the same array it keeps, twice
        def forward(ctx, a, b):
            ctx.dz = None
            return a + b

        def backward(ctx, dz):
            ctx.dz = dz * 1.0
            return ctx.dz, ctx.dz

    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    out = KeepsItsGradient.apply(a, b)
    out.backward(np.array([1.0]))
    out._ctx.dz[0] = 99.0
    assert (a.grad.tolist(), b.grad.tolist()) == ([1.0], [1.0])


def test_gradients_of_0d_tensors_are_arrays():
    x = Tensor(1.0, requires_grad=True)
    with tg.retain_grads():
        h = x * 2.0
        y = h * 3.0
    y.backward()
    assert type(x.grad) is np.ndarray and x.grad.shape == () and x.grad == 6.0
    assert type(h.grad) is np.ndarray
    ((x * 2.0) * 3.0).backward()
    assert type(x.grad) is np.ndarray and x.grad == 12.0


def test_second_backward_needs_retain_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x.sigmoid() * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    z = (x.sigmoid() * 2).sum()
    x.zero_grad()
    z.backward(retain_graph=True)
    first = x.grad.copy()
    z.backward()
    assert np.allclose(x.grad, 2 * first)


def test_graph_stays_readable_after_backward():
    x = Tensor([1.0, -1.0], requires_grad=True, name="x")
    y = x.tanh().sum()
    y.backward()
    assert y.op == "sum" and y.parents[0].op == "tanh" and y.parents[0].parents[0] is x
    assert y.parents[0].shape == (2,)


def test_non_leaf_grads_only_when_retained():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    k = h * 3
    k.retain_grad()
    k.sum().backward()
    assert h.grad is None and k.grad.tolist() == [1.0, 1.0]
    with tg.retain_grads():
        h2 = x * 2
        out = (h2 * h2).sum()
    out.backward()
    assert h2.grad.tolist() == [4.0, 8.0] and out.grad == 1.0
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).retain_grad()


def test_no_grad_records_nothing():
    x = Tensor([1.0], requires_grad=True)
    with tg.no_grad():
        y = x * 2
        with tg.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.op is None and y.is_leaf
    assert z.requires_grad
    assert tg.is_grad_enabled()

    @tg.no_grad()
    def f(t):
        return t * 3
    assert not f(x).requires_grad


def test_chain_of_100000_ops_needs_no_recursion():
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_nothing_stays_alive_after_backward():
    gc.collect()
    gc.disable()          # freed by reference counting alone: no cycles
    try:
        x = Tensor(np.ones((3, 3)), requires_grad=True)
        h = (x @ x).sigmoid()
        loss = (h * h).sum()
        refs = [weakref.ref(t) for t in (h, loss, loss.parents[0])]
        loss.backward()
        del h, loss
        assert all(r() is None for r in refs)
        assert x.grad is not None
    finally:
        gc.enable()


def test_a_backward_stopped_by_an_error_leaves_the_graph_ready_for_another():
    class Flaky(Function):                # fails while `broken` is set, else the identity
        broken = True

        def forward(ctx, a):
            return a.copy()

        def backward(ctx, dz):
            if Flaky.broken:
                raise ValueError("flaky backward")
            return dz

    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3                              # used twice below: its op waits for two gradients
    z = (Flaky.apply(y) + y * y).sum()     # dz/dx = 3 + 2·y·3
    with pytest.raises(ValueError, match="flaky backward"):
        z.backward(retain_graph=True)      # y * y has passed its gradient on, Flaky has not
    assert x.grad is None
    Flaky.broken = False
    z.backward()
    assert x.grad.tolist() == [3 + 18 * 1.0, 3 + 18 * 2.0]


def test_backward_releases_saved_arrays():
    x = Tensor(np.ones(4), requires_grad=True)
    y = x.sigmoid()
    ctx = y._ctx
    assert ctx.saved_tensors
    y.sum().backward()
    assert ctx.saved_tensors is None


# ---- anomaly detection ---------------------------------------------------------------------------
def test_detect_anomaly_names_the_op_in_forward():
    x = Tensor([0.0, 1.0], requires_grad=True)
    with tg.detect_anomaly(), pytest.raises(RuntimeError, match=r"forward of log produced inf .*\(2,\)"):
        with np.errstate(divide="ignore"):
            x.log()


def test_detect_anomaly_names_the_op_in_backward():
    x = Tensor([0.0, 4.0], requires_grad=True)
    with tg.detect_anomaly(), pytest.raises(RuntimeError, match="backward of sqrt produced inf"):
        with np.errstate(divide="ignore"):
            x.sqrt().sum().backward()


def test_without_anomaly_detection_nan_passes_silently():
    x = Tensor([-1.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        assert np.isnan(x.sqrt().data).all()


# ---- custom ops ----------------------------------------------------------------------------------
class Cube(Function):
    formula = "dA = 3 dZ ⊙ A²"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a ** 3

    def backward(ctx, dz):
        a, = ctx.saved_tensors
        return 3 * dz * a * a


def test_custom_function_is_a_node_like_the_builtins():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x)
    assert y.op == "cube" and y.formula == "dA = 3 dZ ⊙ A²" and y.parents == (x,)
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 12.0]
    assert tg.gradcheck(lambda t: Cube.apply(t), Tensor([0.5, -1.5], requires_grad=True))


def test_custom_function_with_staticmethods_and_ctx_attributes():
    class Scale(Function):
        @staticmethod
        def forward(ctx, a, factor=2.0):
            ctx.factor = factor
            return a * factor

        @staticmethod
        def backward(ctx, dz):
            return dz * ctx.factor

    x = Tensor([1.0], requires_grad=True)
    Scale.apply(x, factor=5.0).sum().backward()
    assert x.grad.tolist() == [5.0]


def test_wrong_gradient_shape_from_a_custom_op_is_named():
    class Broken(Function):
        def forward(ctx, a):
            return a.sum()

        def backward(ctx, dz):
            return np.ones(3)

    x = Tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"backward of broken returned a gradient of shape \(3,\).*\(2, 2\)"):
        Broken.apply(x).backward()


def test_wrong_number_of_gradients_is_named():
    class TwoIn(Function):
        def forward(ctx, a, b):
            return a + b

        def backward(ctx, dz):
            return dz

    a, b = Tensor([1.0], requires_grad=True), Tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="two_in returned 1 gradients for 2 inputs"):
        TwoIn.apply(a, b).sum().backward()


# ---- errors name the op and shapes ------------------------------------------------------------------
def test_matmul_shape_error_names_both_shapes():
    a, b = Tensor(np.ones((64, 784))), Tensor(np.ones((64, 16)))
    with pytest.raises(ValueError, match=r"^matmul: inputs \(64, 784\) float64, \(64, 16\) float64: inner dimensions 784 and 64 differ$"):
        a @ b


def test_broadcast_error_names_op_and_shapes():
    with pytest.raises(ValueError, match=r"add: inputs \(3, 4\) float64, \(5,\) float64"):
        Tensor(np.ones((3, 4))) + Tensor(np.ones(5))


def test_bad_axis_names_op_and_shape():
    with pytest.raises(ValueError, match=r"sum: input \(3, 4\) float64: axis 5 is out of bounds"):
        Tensor(np.ones((3, 4))).sum(axis=5)
    with pytest.raises(ValueError, match=r"softmax: input \(3, 4\) float64: axis 2"):
        Tensor(np.ones((3, 4))).softmax(axis=2)


def test_bad_reshape_names_op():
    with pytest.raises(ValueError, match=r"reshape: input \(3, 4\) float64: cannot reshape array of size 12"):
        Tensor(np.ones((3, 4))).reshape(5)


def test_numpy_type_errors_name_the_op():
    with pytest.raises(TypeError, match=r"sub: inputs \(1,\) bool, \(1,\) bool: numpy boolean subtract"):
        Tensor([True]) - Tensor([False])


def test_bad_dtype_names_op():
    with pytest.raises(TypeError, match=r"^cross_entropy: input \(2, 3\) float64: a target of shape \(2,\) holds class indices"):
        F.cross_entropy(Tensor(np.ones((2, 3))), np.array([0.0, 1.0]))


def test_detect_anomaly_blames_an_input_that_came_in_non_finite():
    x = Tensor(np.array([[1.0, np.nan]]), name="X")
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    with tg.detect_anomaly(), pytest.raises(RuntimeError, match=r"input 'X' of linear already held NaN when it came "
                                                                 r"in; linear did not make it"):
        F.linear(x, w)
    with tg.detect_anomaly(), pytest.raises(RuntimeError, match=r"input 1 of shape \(2,\) of mul already held inf"):
        Tensor([1.0, 2.0], requires_grad=True) * np.array([1.0, np.inf])


@pytest.mark.parametrize("data, where", [
    ([[1.0, 2.0], [3.0]], "the lists at depth 1 have lengths 1, 2"),
    ([[1.0, 2.0], 3.0], "at depth 1 some entries are lists and some are numbers"),
    ([[[1.0], [2.0]], [[1.0], [2.0, 3.0]]], "the lists at depth 2 have lengths 1, 2"),
])
def test_ragged_data_is_refused_with_where_it_breaks(data, where):
    with pytest.raises(ValueError, match=rf"^Tensor: the data is ragged: {where}; every row must have the same length$"):
        Tensor(data)
