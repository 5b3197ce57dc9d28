"""gradcheck itself: it passes right backwards, and fails wrong ones with a useful message."""
import re

import numpy as np
import pytest
from hypothesis import given

import tinygrad_edu as tg
import tinygrad_edu.functional as F
from tinygrad_edu import Function, GradcheckError, Tensor, gradcheck
from tinygrad_edu.gradcheck import gradient_difference, relative_difference, verdict
from tinygrad_edu.testing import assert_grads_close, shapes, tensors


class WrongSquare(Function):
    """Z = A², with the factor 2 forgotten in backward."""

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    def backward(ctx, dz):
        a, = ctx.saved_tensors
        return dz * a


class LeakyGradient(Function):
    """Backward ignores dZ: a zero upstream gradient still gives a gradient."""

    def forward(ctx, a):
        return a * 1.0

    def backward(ctx, dz):
        return np.ones_like(dz)


class Jittery(Function):
    """Backward differs from call to call."""
    calls = 0

    def forward(ctx, a):
        return a * 1.0

    def backward(ctx, dz):
        Jittery.calls += 1
        return dz * (1 + 1e-3 * Jittery.calls)


class UpcastingGradient(Function):
    def forward(ctx, a):
        return a * 2

    def backward(ctx, dz):
        return (dz * 2).astype(np.float64)


@given(tensors(shape=shapes(max_dims=2, max_side=4)))
def test_gradcheck_passes_correct_ops(x):
    assert gradcheck(lambda t: (t * t).sigmoid(), x)
    assert gradcheck(lambda t: (t * t).sigmoid().sum(), x, fast_mode=True)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_gradcheck_names_the_input_and_worst_element_of_a_wrong_backward(fast_mode):
    x = Tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]], requires_grad=True, name="W1")
    b = Tensor([1.0, 1.0, 1.0], requires_grad=True)
    with pytest.raises(GradcheckError) as failure:
        gradcheck(lambda x, b: WrongSquare.apply(x) + b, x, b, fast_mode=fast_mode)
    message = str(failure.value)
    # Worst element: A = 3.0 at (1, 0), analytic dZ·A = 3, numeric 2A = 6.
    assert "input 0 ('W1'), shape (2, 3)" in message
    assert "input 1" not in message
    if fast_mode:   # the worst element of ⟨v, Z⟩ depends on the random direction v
        assert re.search(r"worst element \(\d, \d\): analytic -?[\d.]+, numeric -?[\d.]+", message)
    else:
        assert "worst element (1, 0) (for output element (1, 0)): analytic 3, numeric 6" in message
    assert "relative error 0.5" in message and "(wrong)" in message


def test_gradcheck_returns_false_without_raising():
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert gradcheck(lambda t: WrongSquare.apply(t), x, raise_exception=False) is False


def test_gradcheck_catches_a_gradient_that_ignores_the_upstream_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GradcheckError, match="a zero upstream gradient gave non-zero gradients"):
        gradcheck(lambda t: LeakyGradient.apply(t), x)


def test_gradcheck_catches_a_nondeterministic_backward():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GradcheckError, match="two backward runs .* gave different gradients"):
        gradcheck(lambda t: Jittery.apply(t), x, atol=1e-2, rtol=1e-2)


def test_gradcheck_catches_a_gradient_of_the_wrong_dtype():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    with pytest.raises(GradcheckError, match="float64 for input 0, which has shape \\(2,\\) and dtype float32"):
        gradcheck(lambda t: UpcastingGradient.apply(t), x)


def test_gradcheck_leaves_the_inputs_untouched():
    data = np.array([0.5, -0.5])
    x = Tensor(data, requires_grad=True)
    gradcheck(lambda t: (t * t).tanh(), x)
    assert x.grad is None and np.array_equal(x.data, data)


def test_gradcheck_checks_float32_inputs_in_float64():
    x = Tensor(np.array([0.3, -1.2], dtype=np.float32), requires_grad=True)
    assert gradcheck(lambda t: t.sigmoid() * t, x, atol=1e-8, rtol=1e-7)


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda t: t * 2, Tensor([1.0]))


def test_gradcheck_passes_non_tensor_inputs_through():
    x = Tensor(np.zeros((2, 3)), requires_grad=True)
    labels = np.array([0, 2])
    assert gradcheck(lambda z, y: F.cross_entropy(z, y), x, labels)


def test_numerical_grad_of_the_course_example():
    # 12.2: f(x) = x² + 3x at x = 2 has f'(2) = 7.
    x = Tensor(2.0, requires_grad=True)
    grad, = tg.numerical_grad(lambda t: t * t + 3 * t, x, eps=1e-3)
    assert np.isclose(grad, 7.0, rtol=1e-9)
    with pytest.raises(ValueError, match="one-element tensor"):
        tg.numerical_grad(lambda t: t * 2, Tensor([1.0, 2.0], requires_grad=True))


def test_numerical_grad_returns_none_for_inputs_without_grad():
    x, c = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0])
    gx, gc = tg.numerical_grad(lambda a, b: (a * b).sum(), x, c)
    assert np.allclose(gx, [3.0, 4.0]) and gc is None


def test_gradient_difference_and_its_verdict():
    x = Tensor([[0.1, -0.3], [0.2, 0.4]], requires_grad=True)
    w = Tensor([[1.0, 2.0], [-1.0, 0.5]], requires_grad=True)
    diff = tg.gradient_difference(lambda x, w: F.cross_entropy(x @ w, np.array([0, 1])), x, w)
    assert diff < 1e-7 and verdict(diff) == "correct"
    wrong = tg.gradient_difference(lambda x: WrongSquare.apply(x).sum(), x)
    assert np.isclose(wrong, 1 / 3) and verdict(wrong) == "wrong"


def test_relative_difference_is_the_course_formula():
    g, h = np.array([3.0, 4.0]), np.array([3.0, 4.0 + 1e-3])
    assert np.isclose(relative_difference(g, h), 1e-3 / (5.0 + np.hypot(3.0, 4.001)))
    assert relative_difference(np.zeros(2), np.zeros(2)) == 0.0
    assert [verdict(d) for d in (1e-8, 1e-5, 1e-3, 0.1)] == [
        "correct", "acceptable only for non-smooth functions such as ReLU", "suspicious", "wrong"]


def test_assert_grads_close_raises_an_assertion_error():
    with pytest.raises(AssertionError):
        assert_grads_close(lambda t: WrongSquare.apply(t), Tensor([1.0], requires_grad=True))
    assert_grads_close(lambda t: t.exp(), Tensor([1.0], requires_grad=True))


def naive_softplus(a):
    """ln(1 + e^a) written as it reads: e^800 overflows to inf."""
    return (a.exp() + 1.0).log()


class NaNBackward(Function):
    """Z = 2A, whose backward makes a NaN at the second element."""

    def forward(ctx, a):
        return 2 * a

    def backward(ctx, dz):
        da = 2 * dz
        da.flat[1] = np.nan
        return da


@pytest.mark.parametrize("fast_mode", [False, True])
def test_an_overflowing_forward_fails_and_names_the_output_element(fast_mode):
    a = Tensor([800.0, 1.0], requires_grad=True)
    # gradcheck reports the inf itself; numpy's overflow warning (an error under pytest here) stays inside.
    with pytest.raises(GradcheckError, match=r"forward value is not finite: output element \(0,\) is inf"):
        gradcheck(naive_softplus, a, fast_mode=fast_mode)
    assert gradcheck(naive_softplus, a, fast_mode=fast_mode, raise_exception=False) is False


@pytest.mark.parametrize("fast_mode", [False, True])
def test_a_forward_that_overflows_beside_the_input_fails_on_the_numeric_gradient(fast_mode):
    # e^709.782712893 is about the largest finite double: a small step to the right of this input, exp is inf.
    a = Tensor([0.5, 709.78271289], requires_grad=True)
    with pytest.raises(GradcheckError, match=r"input 0, shape \(2,\): the numeric gradient \(central "
                                             r"differences\) is -?inf at element \(1,\).*input is 709\.78271289"
                                             r".*fn\(x ± eps\) is not finite"):
        gradcheck(lambda t: t.exp(), a, fast_mode=fast_mode)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_a_nan_in_backward_fails_and_names_the_element(fast_mode):
    a = Tensor([0.5, -1.5, 2.0], requires_grad=True, name="A")
    with pytest.raises(GradcheckError, match=r"input 0 \('A'\), shape \(3,\): the analytic gradient \(backward\) is "
                                             r"nan at element \(1,\).*where the input is -1\.5"):
        gradcheck(NaNBackward.apply, a, fast_mode=fast_mode)


def test_the_course_diff_refuses_nan_and_inf():
    with pytest.raises(ValueError, match=r"the numeric gradient is nan at element \(1,\)"):
        relative_difference([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(ValueError, match=r"the analytic gradient is inf at element \(0, 0\)"):
        relative_difference([[np.inf]], [[1.0]])
    with pytest.raises(ValueError, match="only a finite diff has a verdict"):
        verdict(float("nan"))
    with pytest.raises(ValueError, match="the numeric gradient is -?inf"), np.errstate(over="ignore"):
        gradient_difference(lambda t: t.exp().sum(), Tensor([709.78271289], requires_grad=True))
