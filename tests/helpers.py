"""Shared pieces of the op tests."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu import Tensor, gradcheck
from tinygrad_edu.testing import floats

# Small shapes keep full Jacobians cheap: at most 4·4·3 = 48 elements.
SMALL = dict(min_dims=0, max_dims=3, min_side=1, max_side=4)


def full_and_fast(fn, *inputs, **tolerances):
    """Both gradcheck modes must agree that fn's backward is right."""
    assert gradcheck(fn, *inputs, **tolerances)
    assert gradcheck(fn, *inputs, fast_mode=True, **tolerances)


def spaced(low=-3.0, high=3.0, step=0.1):
    """Floats on a grid of `step`, for ops (max, abs, relu) whose kinks finite differences must not straddle."""
    return st.integers(int(low / step), int(high / step)).map(lambda k: k * step + step / 2)


def array_pairs(elements_a=None, elements_b=None, dtype=np.float64):
    """Two arrays whose shapes broadcast against each other (either side may be the smaller)."""
    elements_a = floats(dtype=dtype) if elements_a is None else elements_a
    elements_b = elements_a if elements_b is None else elements_b

    @st.composite
    def pairs(draw):
        shape_a, shape_b = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, **SMALL)).input_shapes
        a = draw(hnp.arrays(dtype, shape_a, elements=elements_a))
        b = draw(hnp.arrays(dtype, shape_b, elements=elements_b))
        return Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    return pairs()
