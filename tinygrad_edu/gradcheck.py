"""Checking backward against finite differences (the course's gradient check, 12.2).

Central differences (f(x + h) − f(x − h)) / 2h have error O(h²); in float64 a correct
smooth backward agrees to about 1e-9. The course scores the match with
diff = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖): < 1e-7 correct, > 1e-2 wrong.
"""
import math

import numpy as np

from .engine import Tensor, no_grad


class GradcheckError(AssertionError):
    """Backward disagrees with finite differences; the message says where and by how much."""


def relative_difference(analytic, numeric):
    """The course's diff = ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂) (0 when both are zero)."""
    analytic, numeric = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    for what, gradient in (("analytic", analytic), ("numeric", numeric)):
        bad = _first_non_finite(gradient)
        if bad is not None:
            raise ValueError(f"relative_difference: the {what} gradient is {gradient.flat[bad]} at element "
                             f"{_index(bad, gradient.shape)}; the course's diff of a NaN or inf means nothing")
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)


def verdict(diff):
    """The course's reading of a diff (12.2)."""
    if not math.isfinite(diff):
        raise ValueError(f"verdict: the diff is {diff}; only a finite diff has a verdict")
    if diff < 1e-7:
        return "correct"
    if diff <= 1e-4:
        return "acceptable only for non-smooth functions such as ReLU"
    if diff <= 1e-2:
        return "suspicious"
    return "wrong"


def gradcheck(fn, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, fast_mode=False, seed=0):
    """Check backward of `fn(*inputs)` against central differences, for every input that requires grad.

    Full mode builds each input's whole Jacobian both ways (one backward per output
    element, two forwards per input element). `fast_mode` compares ⟨u, Jᵀv⟩ with a
    central-difference directional derivative for random u, v: one backward and two
    forwards per input, cheap enough for large inputs and property tests.
    Both modes also check that a zero upstream gradient gives zero gradients, that
    two backward runs agree, and that each gradient has its input's shape and dtype.
    Everything runs on float64 copies of the inputs, so they are left untouched.
    A NaN or inf in the output or in either gradient is a failure that says which and where
    (a comparison with NaN would otherwise pass in silence).
    Returns True, or raises GradcheckError naming the input, the worst element,
    both values and the relative error (returns False with raise_exception=False).
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):    # NaN and inf are reported, not warned
        problems = _checks(fn, inputs, eps, atol, rtol, fast_mode, seed)
    if problems and raise_exception:
        raise GradcheckError("gradcheck failed:\n  " + "\n  ".join(problems))
    return not problems


def _checks(fn, inputs, eps, atol, rtol, fast_mode, seed):
    """Every problem gradcheck finds, as one message each."""
    problems = _dtype_problems(fn, inputs)
    copies = _float64_copies(inputs)
    targets = _requiring_grad(copies)
    out = _forward(fn, copies)
    bad_output = _first_non_finite(out.data)
    if bad_output is not None:        # no gradient can be checked against differences of inf or NaN
        problems.append(f"the forward value is not finite: output element {_index(bad_output, out.shape)} is "
                        f"{out.data.flat[bad_output]}; make fn finite at these inputs (a stable formula) "
                        f"before checking its gradient")
        return problems
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(out.shape)
    grads = _vjp(out, targets, v)
    problems += _consistency_problems(out, targets, v, grads)
    for position, t, g in zip(_positions(copies), targets, grads):
        if fast_mode:
            problems += _directional_problems(fn, copies, position, t, v, g, rng, eps, atol, rtol, out)
        else:
            problems += _jacobian_problems(fn, copies, position, t, out, eps, atol, rtol)
    return problems


def numerical_grad(fn, *inputs, eps=1e-6):
    """Central-difference gradient of a one-element `fn(*inputs)`: one float64 array per input
    that requires grad (None for the other inputs)."""
    copies = _float64_copies(inputs)
    out = _forward(fn, copies)
    if out.size != 1:
        raise ValueError(f"numerical_grad: fn must return a one-element tensor (a loss), got shape {out.shape}; "
                         f"use gradcheck for a Jacobian")
    return [_numerical_vjp(fn, copies, c, np.ones(out.shape), eps) if _needs_grad(c) else None
            for c in copies]


def gradient_difference(fn, *inputs, eps=1e-6):
    """The course's diff between backward and central differences over all inputs that
    require grad, flattened into one vector θ as the course does (12.2)."""
    copies = _float64_copies(inputs)
    targets = _requiring_grad(copies)
    out = _forward(fn, copies)
    if out.size != 1:
        raise ValueError(f"gradient_difference: fn must return a one-element tensor (a loss), got shape {out.shape}")
    analytic = _vjp(out, targets, np.ones(out.shape))
    numeric = [_numerical_vjp(fn, copies, t, np.ones(out.shape), eps) for t in targets]
    return relative_difference(np.concatenate([g.ravel() for g in analytic]),
                               np.concatenate([g.ravel() for g in numeric]))


def _needs_grad(x):
    return isinstance(x, Tensor) and x.requires_grad


def _float64_copies(inputs):
    """Detached float64 copies of the floating tensors (others pass through unchanged)."""
    copies = []
    for x in inputs:
        if isinstance(x, Tensor) and x.dtype.kind == "f":
            x = Tensor(x.data, requires_grad=x.requires_grad, dtype=np.float64, name=x.name)
        copies.append(x)
    targets = _requiring_grad(copies)
    if not targets:
        raise ValueError("gradcheck: no input requires grad; create the inputs to check with requires_grad=True")
    return copies


def _requiring_grad(inputs):
    return [x for x in inputs if _needs_grad(x)]


def _positions(inputs):
    return [i for i, x in enumerate(inputs) if _needs_grad(x)]


def _forward(fn, inputs):
    out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    if not out.requires_grad:
        raise ValueError("gradcheck: fn's output does not depend on any input that requires grad")
    return out


def _vjp(out, targets, v):
    """Backward with upstream gradient v: vᵀJ for each target (zeros where it got none)."""
    for t in targets:
        t.grad = None
    out.backward(v.astype(out.dtype), retain_graph=True)
    return [np.zeros(t.shape) if t.grad is None else t.grad.copy() for t in targets]


def _evaluate(fn, inputs):
    """fn's output as a float64 copy (an output may be a view of an input that is nudged next)."""
    with no_grad():
        return np.array(fn(*inputs).data, dtype=np.float64)


def _shifted(fn, inputs, t, step):
    """fn's output (float64 array) with `step` (an array of t's shape) added to t's data."""
    original = t.data
    t.data = original + step
    try:
        return _evaluate(fn, inputs)
    finally:
        t.data = original


def _central_differences(fn, inputs, t, eps):
    """(f(x + h·e_i) − f(x − h·e_i)) / 2h for each element i of t, one flattened output row each.

    Each element is nudged in place and put back exactly, so no copy of t is made."""
    flat = t.data.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        try:
            plus = _evaluate(fn, inputs)
            flat[i] = original - eps
            minus = _evaluate(fn, inputs)
        finally:
            flat[i] = original
        yield ((plus - minus) / (2 * eps)).ravel()


def _numerical_vjp(fn, inputs, t, v, eps):
    """Central-difference gradient of ⟨v, fn⟩ with respect to each element of t."""
    v = v.ravel()
    return np.array([v @ column for column in _central_differences(fn, inputs, t, eps)]).reshape(t.shape)


def _numerical_jacobian(fn, inputs, t, n_out, eps):
    """(n_out, t.size) Jacobian by central differences."""
    jacobian = np.zeros((n_out, t.size))
    for j, column in enumerate(_central_differences(fn, inputs, t, eps)):
        jacobian[:, j] = column
    return jacobian


def _analytic_jacobian(out, t, targets):
    """(out.size, t.size) Jacobian, one backward per output element."""
    jacobian = np.zeros((out.size, t.size))
    which = next(i for i, x in enumerate(targets) if x is t)
    for k in range(out.size):
        onehot = np.zeros(out.size)
        onehot[k] = 1
        jacobian[k] = _vjp(out, targets, onehot.reshape(out.shape))[which].ravel()
    return jacobian


def _describe_input(position, t):
    name = f" ({t.name!r})" if t.name else ""
    return f"input {position}{name}, shape {t.shape}"


def _first_non_finite(array):
    """The flat index of the first NaN or inf in `array`, or None."""
    bad = np.flatnonzero(~np.isfinite(array))
    return int(bad[0]) if bad.size else None


def _index(flat, shape):
    return tuple(int(i) for i in np.unravel_index(flat, shape))


def _non_finite(position, t, out, analytic, numeric):
    """A message for the first NaN or inf in either (n_out, t.size) gradient, naming the input
    element, its value and the forward value there; None when both are finite."""
    for what, matrix in (("the analytic gradient (backward)", analytic),
                         ("the numeric gradient (central differences)", numeric)):
        bad = _first_non_finite(matrix)
        if bad is None:
            continue
        row, column = divmod(bad, matrix.shape[1])
        where = f"element {_index(column, t.shape)}"
        if out.ndim and matrix.shape[0] == out.size:
            where += f" (for output element {_index(row, out.shape)})"
        cause = "" if matrix is analytic else ": fn(x ± eps) is not finite, the forward overflows next to this input"
        return (f"{_describe_input(position, t)}: {what} is {matrix.flat[bad]} at {where}, where the input is "
                f"{float(t.data.flat[column])} and the forward value {_forward_value(out, row, matrix)}{cause}")
    return None


def _forward_value(out, row, matrix):
    value = out.data.flat[row] if matrix.shape[0] == out.size else out.data
    return np.array2string(np.asarray(value), precision=10, threshold=6)


def _mismatch(t, analytic, numeric, atol, rtol, output_shape=None):
    """A message for the worst element where analytic and numeric (both finite) disagree, or None."""
    excess = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
    if not (excess > 0).any():
        return None
    worst = np.unravel_index(np.argmax(excess), excess.shape)
    a, n = analytic[worst], numeric[worst]
    where = f"element {_index(worst[-1], t.shape)}"
    if output_shape is not None and len(output_shape):
        where += f" (for output element {_index(worst[0], output_shape)})"
    relative = abs(a - n) / max(abs(a), abs(n), 1e-300)
    diff = relative_difference(analytic, numeric)
    return (f"worst {where}: analytic {a:.10g}, numeric {n:.10g}, "
            f"relative error {relative:.3g}; course diff over the input {diff:.3g} ({verdict(diff)})")


def _jacobian_problems(fn, inputs, position, t, out, eps, atol, rtol):
    targets = _requiring_grad(inputs)
    analytic = _analytic_jacobian(out, t, targets)
    numeric = _numerical_jacobian(fn, inputs, t, out.size, eps)
    message = _non_finite(position, t, out, analytic, numeric)
    if message is not None:
        return [message]
    message = _mismatch(t, analytic, numeric, atol, rtol, output_shape=out.shape)
    return [] if message is None else [f"{_describe_input(position, t)}: {message}"]


def _directional_problems(fn, inputs, position, t, v, g, rng, eps, atol, rtol, out):
    u = rng.standard_normal(t.shape)
    analytic = float(np.sum(u * g))
    numeric = float(np.sum(v * (_shifted(fn, inputs, t, eps * u) - _shifted(fn, inputs, t, -eps * u)))) / (2 * eps)
    # Both finite first: with numeric = inf, |analytic − inf| ≤ rtol·inf would hold.
    if math.isfinite(analytic) and math.isfinite(numeric) and abs(analytic - numeric) <= atol + rtol * abs(numeric):
        return []
    # Find the culprit element: the same comparison, one element at a time.
    analytic_row, numeric_row = g.reshape(1, -1), _numerical_vjp(fn, inputs, t, v, eps).reshape(1, -1)
    message = _non_finite(position, t, out, analytic_row, numeric_row)
    if message is not None:
        return [message]
    message = _mismatch(t, analytic_row, numeric_row, atol, rtol)
    return [f"{_describe_input(position, t)}: ⟨u, Jᵀv⟩ is {analytic:.10g} by backward but {numeric:.10g} "
            f"by central differences" + ("" if message is None else f"; {message}")]


def _consistency_problems(out, targets, v, grads):
    problems = []
    if any(np.any(g != 0) for g in _vjp(out, targets, np.zeros(out.shape))):
        problems.append("a zero upstream gradient gave non-zero gradients")
    if any(not np.array_equal(a, b) for a, b in zip(grads, _vjp(out, targets, v))):
        problems.append("two backward runs through the same graph gave different gradients")
    return problems


def _dtype_problems(fn, inputs):
    """Run fn on copies in the inputs' own dtypes: each gradient must keep its input's shape and dtype."""
    copies = [Tensor(x.data, requires_grad=True, name=x.name) if _needs_grad(x) else x for x in inputs]
    out = fn(*copies)
    if not isinstance(out, Tensor) or not out.requires_grad:
        return []     # _forward reports this
    try:
        out.backward(np.ones(out.shape, dtype=out.dtype))
    except RuntimeError as error:
        return [str(error)]
    problems = []
    for position, x in zip(_positions(copies), _requiring_grad(copies)):
        if x.grad is not None and (x.grad.shape != x.shape or x.grad.dtype != x.dtype):
            problems.append(f"{_describe_input(position, x)}, dtype {x.dtype}: gradient has shape "
                            f"{x.grad.shape} and dtype {x.grad.dtype}")
    return problems
