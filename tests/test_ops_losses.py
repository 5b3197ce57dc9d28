"""Losses: values against the textbook formulas, dZ = A − Y closed forms, stability, errors."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor
from tinygrad_edu.testing import floats, shapes, tensors

from .helpers import SMALL, full_and_fast

REDUCTIONS = ["mean", "sum", "none"]


def reduce(loss, reduction, denominator=None):
    if reduction == "none":
        return loss
    return loss.sum() / (loss.size if denominator is None else denominator) if reduction == "mean" else loss.sum()


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@st.composite
def prediction_and_target(draw, elements=None, target_elements=None):
    a = draw(tensors(shape=shapes(**SMALL), elements=elements))
    y = draw(hnp.arrays(np.float64, a.shape, elements=floats() if target_elements is None else target_elements))
    return a, y


# ---- mse ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(case=prediction_and_target())
def test_mse_loss(reduction, case):
    a, y = case
    loss = F.mse_loss(a, y, reduction=reduction)
    assert np.allclose(loss.data, reduce((a.data - y) ** 2, reduction))
    full_and_fast(lambda a: F.mse_loss(a, y, reduction=reduction), a)


def test_mse_gradient_is_2_a_minus_y_over_n():
    a, y = Tensor([[1.0], [2.0], [4.0]], requires_grad=True), np.array([[0.0], [2.0], [1.0]])
    F.mse_loss(a, Tensor(y)).backward()
    assert np.allclose(a.grad, 2 * (a.data - y) / 3)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(case=prediction_and_target())
def test_half_mse_loss(reduction, case):
    a, y = case
    loss = F.half_mse_loss(a, y, reduction=reduction)
    assert np.allclose(loss.data, reduce((a.data - y) ** 2 / 2, reduction))    # J = Σ(A − Y)²/2m
    full_and_fast(lambda a: F.half_mse_loss(a, y, reduction=reduction), a)


def test_half_mse_gradient_is_the_courses_a_minus_y_over_m():
    a, y = Tensor([[1.0], [2.0], [4.0]], requires_grad=True), np.array([[0.0], [2.0], [1.0]])
    loss = F.half_mse_loss(a, y)
    loss.backward()
    assert np.isclose(loss.item(), (1 + 0 + 9) / (2 * 3))
    assert np.allclose(a.grad, (a.data - y) / 3)                          # dZ = (A − Y)/m
    assert loss.op == "half_mse_loss" and loss.formula.endswith("dA = (A − Y)/m")


def test_loss_shape_mismatch_is_named():
    with pytest.raises(ValueError, match=r"^mse_loss: input \(100, 1\) float64: prediction shape \(100, 1\) and target shape \(100,\) differ"):
        F.mse_loss(Tensor(np.ones((100, 1))), np.ones(100))


def test_bad_reduction_is_named():
    with pytest.raises(ValueError, match="^mse_loss: input \\(1,\\) float64: reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        F.mse_loss(Tensor([1.0]), [1.0], reduction="avg")


# ---- binary cross-entropy on probabilities ----------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(case=prediction_and_target(elements=floats(0.05, 0.95), target_elements=floats(0, 1)),
       weighted=st.booleans())
def test_binary_cross_entropy(reduction, case, weighted):
    a, y = case
    w = np.linspace(0.5, 2.0, a.size).reshape(a.shape) if weighted else None
    loss = F.binary_cross_entropy(a, y, weight=w, reduction=reduction)
    expected = -(y * np.log(a.data) + (1 - y) * np.log(1 - a.data)) * (1 if w is None else w)
    assert np.allclose(loss.data, reduce(expected, reduction))
    full_and_fast(lambda a: F.binary_cross_entropy(a, y, weight=w, reduction=reduction), a)


def test_bce_clamps_the_log_at_minus_100_like_pytorch():
    a = Tensor([0.0, 1.0, 0.0], requires_grad=True)
    loss = F.binary_cross_entropy(a, [1.0, 0.0, 0.0], reduction="none")
    assert np.allclose(loss.data, [100.0, 100.0, 0.0])
    loss.sum().backward()
    assert np.isfinite(a.grad).all()


def test_bce_rejects_values_outside_0_1():
    with pytest.raises(ValueError, match="probabilities must lie in \\[0, 1\\].*binary_cross_entropy_with_logits"):
        F.binary_cross_entropy(Tensor([1.5]), [1.0])


# ---- logistic + BCE fused --------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(case=prediction_and_target(target_elements=floats(0, 1)), pos_weight=st.sampled_from([None, 3.0]))
def test_bce_with_logits(reduction, case, pos_weight):
    z, y = case
    a = sigmoid(z.data)
    p = 1.0 if pos_weight is None else pos_weight
    expected = -(p * y * np.log(a) + (1 - y) * np.log(1 - a))
    loss = F.binary_cross_entropy_with_logits(z, y, pos_weight=pos_weight, reduction=reduction)
    assert np.allclose(loss.data, reduce(expected, reduction))
    full_and_fast(lambda z: F.binary_cross_entropy_with_logits(z, y, pos_weight=pos_weight, reduction=reduction), z)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_logistic_bce_gradient_is_a_minus_y(reduction):
    z = Tensor([[2.0], [-1.0], [0.5], [-3.0]], requires_grad=True)
    y = np.array([[1.0], [0.0], [0.0], [1.0]])
    F.binary_cross_entropy_with_logits(z, y, reduction=reduction).backward()
    m = 4 if reduction == "mean" else 1
    assert np.allclose(z.grad, (sigmoid(z.data) - y) / m)        # dZ = (A − Y) / m


def test_logistic_bce_is_stable_for_huge_logits():
    z = Tensor([1e4, -1e4, 1e4, -1e4], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, [1.0, 0.0, 0.0, 1.0], reduction="none")
    assert np.allclose(loss.data, [0.0, 0.0, 1e4, 1e4])
    loss.sum().backward()
    assert np.allclose(z.grad, [0.0, 0.0, 1.0, -1.0])


# ---- softmax + cross-entropy fused ----------------------------------------------------------------------
@st.composite
def logits_and_labels(draw):
    m, n = draw(st.integers(1, 5)), draw(st.integers(2, 4))
    z = draw(tensors(shape=(m, n)))
    labels = draw(hnp.arrays(np.int64, m, elements=st.integers(0, n - 1)))
    return z, labels


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(case=logits_and_labels(), weighted=st.booleans())
def test_cross_entropy_with_class_indices(reduction, case, weighted):
    z, labels = case
    m, n = z.shape
    w = np.linspace(0.5, 2.0, n) if weighted else np.ones(n)
    picked = np.log(softmax(z.data))[np.arange(m), labels]
    expected = reduce(-w[labels] * picked, reduction, denominator=w[labels].sum())
    loss = F.cross_entropy(z, labels, weight=w if weighted else None, reduction=reduction)
    assert np.allclose(loss.data, expected)
    full_and_fast(lambda z: F.cross_entropy(z, labels, weight=w if weighted else None, reduction=reduction), z)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(case=logits_and_labels(), weighted=st.booleans())
def test_one_hot_targets_equal_class_indices(reduction, case, weighted):
    z, labels = case
    n = z.shape[1]
    w = np.linspace(0.5, 2.0, n) if weighted else None
    by_index = F.cross_entropy(z, labels, weight=w, reduction=reduction)
    by_one_hot = F.cross_entropy(z, np.eye(n)[labels], weight=w, reduction=reduction)
    if w is not None and reduction == "mean":
        # PyTorch: class indices divide by Σ_i w[y_i], probability rows (one-hot too) by m.
        assert np.allclose(by_one_hot.data, by_index.data * w[labels].sum() / len(labels))
    else:
        assert np.allclose(by_index.data, by_one_hot.data)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_softmax_cross_entropy_gradient_is_a_minus_y(reduction):
    z = Tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    F.cross_entropy(z, y, reduction=reduction).backward()
    m = 2 if reduction == "mean" else 1
    assert np.allclose(z.grad, (softmax(z.data) - y) / m)        # dZ = (A − Y) / m


@given(case=logits_and_labels(), data=st.data())
def test_cross_entropy_with_probability_targets(case, data):
    z, _ = case
    weights = data.draw(hnp.arrays(np.float64, z.shape, elements=floats(0.01, 1)))
    y = weights / weights.sum(axis=1, keepdims=True)            # probability rows
    loss = F.cross_entropy(z, y)
    assert np.allclose(loss.data, -(y * np.log(softmax(z.data))).sum() / z.shape[0])
    full_and_fast(lambda z: F.cross_entropy(z, y), z)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@given(case=logits_and_labels(), data=st.data())
def test_weighted_probability_targets_follow_pytorch(reduction, case, data):
    """PyTorch's rule for probability targets with class weights w: loss_i = −Σ_j w_j Y_ij ln A_ij,
    and the mean divides by m, the number of samples (not by the summed weights)."""
    z, _ = case
    m, n = z.shape
    y = data.draw(hnp.arrays(np.float64, (m, n), elements=floats(0.01, 1)))
    y /= y.sum(axis=1, keepdims=True)
    w = data.draw(hnp.arrays(np.float64, n, elements=floats(0.1, 3)))
    a = softmax(z.data)
    per_sample = -(w * y * np.log(a)).sum(axis=1)
    expected = {"none": per_sample, "sum": per_sample.sum(), "mean": per_sample.sum() / m}[reduction]
    loss = F.cross_entropy(z, y, weight=w, reduction=reduction)
    assert np.allclose(loss.data, expected)
    # dZ_ij = s_i·A_ij − w_j·Y_ij with s_i = Σ_j w_j Y_ij, times 1/m for the mean.
    loss.sum().backward()
    s_i = (w * y).sum(axis=1, keepdims=True)
    assert np.allclose(z.grad, (s_i * a - w * y) / (m if reduction == "mean" else 1))
    full_and_fast(lambda z: F.cross_entropy(z, y, weight=w, reduction=reduction), z)


def test_weighted_probability_target_by_hand():
    # Zero logits: A = [½, ½], loss = −(1·½·ln ½ + 3·½·ln ½) = 2 ln 2, one sample: mean = 2 ln 2 (PyTorch: 1.386).
    loss = F.cross_entropy(Tensor([[0.0, 0.0]]), np.array([[0.5, 0.5]]), weight=np.array([1.0, 3.0]))
    assert np.isclose(loss.item(), 2 * np.log(2))


def test_weighted_mean_divides_by_the_samples_total_weight():
    z = Tensor([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    loss = F.cross_entropy(z, np.array([0, 1, 1]), weight=np.array([1.0, 3.0]))
    assert np.isclose(loss.item(), (1 + 3 + 3) * np.log(2) / 7)


def test_cross_entropy_is_stable_for_huge_logits():
    z = Tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], requires_grad=True)
    loss = F.cross_entropy(z, np.array([1, 0]), reduction="none")
    assert np.allclose(loss.data, [2e4, 2e4 + np.log(2)])   # row 2: ln(e^1e4 + e^1e4) = 1e4 + ln 2
    loss.sum().backward()
    assert np.isfinite(z.grad).all()


def test_cross_entropy_errors():
    z = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"^cross_entropy: input \(2, 3\) float64: class index 3 is out of range "
                                         r"for 3 classes: indices count from 0 to 2$"):
        F.cross_entropy(z, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"class index 3 is out of range for 3 classes: indices count from 0 to 2; "
                                         r"labels counted from 1 become indices with y - 1$"):
        F.cross_entropy(z, np.array([1, 3]))
    for dtype in (np.int8, np.int32, np.int64):     # a negative index must not wrap around to the last class
        with pytest.raises(ValueError, match=r"^cross_entropy: input \(2, 3\) float64: class index -1 is out of "
                                             r"range for 3 classes: indices count from 0 to 2$"):
            F.cross_entropy(z, np.array([0, -1], dtype=dtype))
    with pytest.raises(ValueError, match=r"logits must be 2-D \(m samples, n classes\), got shape \(3,\)"):
        F.cross_entropy(Tensor(np.zeros(3)), np.array([0]))
    with pytest.raises(ValueError, match=r"need a target of shape \(2,\) .* or \(2, 3\) .*got \(2, 1\)"):
        F.cross_entropy(z, np.array([[0], [1]]))
    with pytest.raises(ValueError, match=r"class weight must have shape \(3,\)"):
        F.cross_entropy(z, np.array([0, 1]), weight=np.ones(2))


# ---- float32 all the way ------------------------------------------------------------------------------
@pytest.mark.parametrize("loss_fn, prediction, target", [
    (F.mse_loss, np.array([[0.2], [0.7]]), np.array([[0.0], [1.0]])),
    (F.binary_cross_entropy, np.array([[0.2], [0.7]]), np.array([[0.0], [1.0]])),
    (F.binary_cross_entropy_with_logits, np.array([[0.2], [-0.7]]), np.array([[0.0], [1.0]])),
    (F.cross_entropy, np.array([[0.2, 0.1], [-0.7, 0.3]]), np.array([0, 1])),
    (F.cross_entropy, np.array([[0.2, 0.1], [-0.7, 0.3]]), np.array([[1.0, 0.0], [0.0, 1.0]])),
])
def test_float32_predictions_give_float32_losses_and_gradients(loss_fn, prediction, target):
    a = Tensor(prediction.astype(np.float32), requires_grad=True)
    loss = loss_fn(a, target)          # a float64 target does not upcast
    loss.backward()
    assert loss.dtype == np.float32 and a.grad.dtype == np.float32


# ---- impossible targets are refused, showing the bad values ---------------------------------------
@pytest.mark.parametrize("loss", [F.binary_cross_entropy, F.binary_cross_entropy_with_logits])
@pytest.mark.parametrize("labels, shown", [([-1.0, 1.0, 1.0, -1.0], "-1"), ([0.0, 2.0, 1.0, 2.0], "2")])
def test_bce_refuses_labels_outside_0_1(loss, labels, shown):
    prediction = Tensor(np.full((4, 1), 0.5), requires_grad=True)
    with pytest.raises(ValueError, match=rf"targets must lie in \[0, 1\] .*got {shown};"):
        loss(prediction, np.array(labels).reshape(4, 1))


def test_cross_entropy_refuses_rows_that_are_not_probabilities():
    logits = Tensor(np.zeros((3, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"row 1 sums to 2 \(\[1.0, 1.0, 0.0\]\)"):
        F.cross_entropy(logits, np.array([[1.0, 0, 0], [1, 1, 0], [0, 0, 1]]))
    with pytest.raises(ValueError, match=r"row 2 has a negative value: \[1.5, 0.0, -0.5\]"):
        F.cross_entropy(logits, np.array([[1.0, 0, 0], [0, 1, 0], [1.5, 0, -0.5]]))
    assert np.isclose(F.cross_entropy(logits, np.full((3, 3), 1 / 3)).item(), np.log(3))    # soft targets pass


@pytest.mark.parametrize("loss", [F.mse_loss, F.binary_cross_entropy, F.binary_cross_entropy_with_logits])
def test_swapped_arguments_are_named(loss):
    labels = np.array([[0.0], [1.0]])
    prediction = Tensor([[0.3], [0.8]], requires_grad=True)
    with pytest.raises(ValueError, match="target requires grad but the prediction does not; the prediction comes "
                                         "first and the target second"):
        loss(labels, prediction)
    with pytest.raises(ValueError, match="prediction comes first"):
        F.cross_entropy(np.eye(2), Tensor(np.eye(2), requires_grad=True))
