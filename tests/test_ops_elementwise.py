"""Elementwise ops: values against numpy, gradients against finite differences."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor
from tinygrad_edu.testing import floats, shapes, tensors

from .helpers import SMALL, array_pairs, full_and_fast, spaced

BINARY = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(pair=array_pairs())
def test_binary_ops_broadcast_like_numpy(name, pair):
    op, reference = BINARY[name]
    a, b = pair
    z = op(a, b)
    assert z.op == name
    assert np.array_equal(z.data, reference(a.data, b.data))
    full_and_fast(op, a, b)


@given(pair=array_pairs(elements_b=st.one_of(floats(0.5, 3.0), floats(-3.0, -0.5))))
def test_div(pair):
    a, b = pair
    assert np.allclose((a / b).data, a.data / b.data)
    full_and_fast(lambda a, b: a / b, a, b)


@given(pair=array_pairs(elements_a=floats(0.5, 2.0), elements_b=floats(-2.0, 2.0)))
def test_pow_in_base_and_exponent(pair):
    a, b = pair
    assert np.allclose((a ** b).data, a.data ** b.data)
    full_and_fast(lambda a, b: a ** b, a, b)


@given(tensors(shape=shapes(**SMALL)), st.sampled_from([2, 3, 0.5]))
def test_pow_by_a_constant_matches_the_power_rule(x, p):
    x = Tensor(np.abs(x.data) + 0.5, requires_grad=True)
    (x ** p).sum().backward()
    assert np.allclose(x.grad, p * x.data ** (p - 1))


UNARY = {
    "neg": (lambda x: -x, lambda x: -x, floats()),
    "exp": (lambda x: x.exp(), np.exp, floats()),
    "log": (lambda x: x.log(), np.log, floats(0.1, 5.0)),
    "sqrt": (lambda x: x.sqrt(), np.sqrt, floats(0.1, 5.0)),
    "abs": (lambda x: x.abs(), np.abs, spaced()),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_ops(name, data):
    op, reference, elements = UNARY[name]
    x = data.draw(tensors(shape=shapes(**SMALL), elements=elements))
    z = op(x)
    assert z.op == name
    assert np.allclose(z.data, reference(x.data))
    full_and_fast(op, x)


def test_unary_closed_forms():
    x = Tensor([0.5, 1.0, 2.0], requires_grad=True)
    for op, derivative in ((lambda t: t.exp(), np.exp), (lambda t: t.log(), lambda v: 1 / v),
                           (lambda t: t.sqrt(), lambda v: 0.5 / np.sqrt(v))):
        x.zero_grad()
        op(x).sum().backward()
        assert np.allclose(x.grad, derivative(x.data))


@given(tensors(shape=shapes(**SMALL), elements=spaced(-2, 2)))
def test_clip_passes_gradient_inside_the_range_only(x):
    z = x.clip(-1.0, 1.0)
    assert np.array_equal(z.data, np.clip(x.data, -1, 1))
    z.sum().backward()
    assert np.array_equal(x.grad, ((x.data >= -1) & (x.data <= 1)).astype(float))
    full_and_fast(lambda t: F.clip(t, lo=-1.0), x)


def test_clip_needs_a_bound():
    with pytest.raises(ValueError, match=r"^clip: input \(1,\) float64: needs lo, hi or both$"):
        Tensor([1.0]).clip()


def test_functional_forms_match_the_operators():
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0], requires_grad=True)
    for f, g in ((F.add, lambda a, b: a + b), (F.sub, lambda a, b: a - b), (F.mul, lambda a, b: a * b),
                 (F.div, lambda a, b: a / b), (F.pow, lambda a, b: a ** b)):
        assert np.array_equal(f(a, b).data, g(a, b).data)
    assert np.array_equal(F.neg(a).data, -a.data)
    assert np.array_equal(F.exp(a).data, np.exp(a.data)) and np.array_equal(F.log(a).data, np.log(a.data))
    assert np.array_equal(F.sqrt(a).data, np.sqrt(a.data)) and np.array_equal(F.abs(-a).data, a.data)
    assert F.add(np.ones(2), 1.0).tolist() == [2.0, 2.0]
