"""Optimizers against updates computed by hand from PyTorch's documented rules."""
import numpy as np
import pytest

from tinygrad_edu import Tensor, optim


def param(values, grad):
    p = Tensor(np.array(values, dtype=float), requires_grad=True)
    p.grad = np.array(grad, dtype=float)
    return p


def test_plain_sgd_is_the_course_update():
    p = param([1.0, -2.0], [0.5, 0.25])
    optim.SGD([p], lr=0.1).step()
    assert np.allclose(p.data, [1.0 - 0.05, -2.0 - 0.025])          # W ← W − η·dW


def test_sgd_momentum_by_hand():
    p = param([1.0], [1.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    opt.step()                        # b = g = 1 → θ = 1 − 0.1
    p.grad = np.array([2.0])
    opt.step()                        # b = 0.9·1 + 2 = 2.9 → θ = 0.9 − 0.29
    assert np.allclose(p.data, [0.61])


def test_sgd_nesterov_by_hand():
    p = param([1.0], [1.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True)
    opt.step()                        # b = 1; step g + μb = 1.9 → θ = 1 − 0.19
    p.grad = np.array([2.0])
    opt.step()                        # b = 2.9; step 2 + 0.9·2.9 = 4.61 → θ = 0.81 − 0.461
    assert np.allclose(p.data, [0.349])
    with pytest.raises(ValueError, match="nesterov needs momentum"):
        optim.SGD([p], lr=0.1, nesterov=True)


def test_course_nag_is_the_course_loop_with_its_look_ahead_kept():
    """The course's Nag on f(θ) = Σ c·θ²/2 (gradient c·θ), written as its training loop runs it:
    pre_update before the forward pass, the gradient at θ̂, update θ = θ̂ − v. CourseNAG holds
    the weights the next gradient is taken at: the course's θ̂ of the next step."""
    c, eta, alpha = np.array([1.0, 4.0]), 0.1, 0.9
    theta, v = np.array([1.0, -2.0]), 0.0
    p = param(theta, [0.0, 0.0])
    opt = optim.CourseNAG([p], lr=eta)
    for _ in range(5):
        theta_hat = theta - alpha * v                    # pre_update
        assert np.allclose(p.data, theta_hat, rtol=1e-13, atol=0)
        g = c * theta_hat
        v = alpha * v + eta * g                          # update
        theta = theta_hat - v
        p.grad = c * p.data
        opt.step()
    assert not np.allclose(theta, theta - alpha * v)     # the look-ahead is not zero: the check above meant something


def test_course_nag_is_not_pytorchs_nesterov():
    p, q = param([1.0], [1.0]), param([1.0], [1.0])
    course, pytorch = optim.CourseNAG([p], lr=0.1), optim.SGD([q], lr=0.1, momentum=0.9, nesterov=True)
    for _ in range(2):
        course.step(), pytorch.step()
        p.grad, q.grad = np.array([2.0]), np.array([2.0])
    # course: v = 0.1 → θ = 1 − 0.1 − 0.09 = 0.81; v = 0.09 + 0.2 = 0.29 → θ = 0.81 − 0.29 − 0.261 = 0.259
    assert np.allclose(p.data, [0.259]) and np.allclose(q.data, [0.349])


def test_sgd_weight_decay_adds_to_the_gradient():
    p = param([2.0], [0.5])
    optim.SGD([p], lr=0.1, weight_decay=0.1).step()                  # g = 0.5 + 0.1·2 = 0.7
    assert np.allclose(p.data, [2.0 - 0.07])


def test_one_adam_step_by_hand():
    p = param([1.0, 2.0], [0.1, -0.3])
    opt = optim.Adam([p], lr=0.01)
    opt.step()
    # t = 1: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε) ≈ η·sign(g).
    g = np.array([0.1, -0.3])
    assert np.allclose(p.data, np.array([1.0, 2.0]) - 0.01 * g / (np.abs(g) + 1e-8))
    p.grad = np.array([0.2, 0.1])
    opt.step()
    m = 0.9 * (0.1 * g) + 0.1 * np.array([0.2, 0.1])
    v = 0.999 * (0.001 * g * g) + 0.001 * np.array([0.2, 0.1]) ** 2
    step = 0.01 * (m / (1 - 0.9 ** 2)) / (np.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
    assert np.allclose(p.data, np.array([1.0, 2.0]) - 0.01 * g / (np.abs(g) + 1e-8) - step)


def test_rmsprop_and_adagrad_by_hand():
    p = param([1.0], [2.0])
    opt = optim.RMSprop([p], lr=0.01, alpha=0.9)
    opt.step()                                      # r = 0.1·4 = 0.4
    assert np.allclose(p.data, [1.0 - 0.01 * 2 / (np.sqrt(0.4) + 1e-8)])
    q = param([1.0], [2.0])
    opt = optim.Adagrad([q], lr=0.1)
    opt.step()                                      # r = 4 → step 0.1·2/2
    q.grad = np.array([1.0])
    opt.step()                                      # r = 5 → step 0.1/√5
    assert np.allclose(q.data, [1.0 - 0.1 - 0.1 / np.sqrt(5)])


def test_updates_are_in_place_and_keep_float32():
    p = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    data = p.data
    for opt in (optim.SGD([p], lr=0.1, momentum=0.9), optim.Adam([p]), optim.RMSprop([p]), optim.Adagrad([p])):
        p.grad = np.full(3, 0.5, dtype=np.float32)
        opt.step()
        assert p.data is data and p.data.dtype == np.float32


def test_parameters_without_grad_are_skipped_and_zero_grad_clears():
    p, q = param([1.0], [1.0]), Tensor([5.0], requires_grad=True)
    opt = optim.SGD([p, q], lr=0.1)
    opt.step()
    assert q.data.tolist() == [5.0]
    opt.zero_grad()
    assert p.grad is None


def test_bad_parameters_are_named():
    with pytest.raises(TypeError, match="parameters must be Tensors that require grad"):
        optim.SGD([Tensor([1.0])], lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam([])
    with pytest.raises(ValueError, match="lr must be ≥ 0"):
        optim.SGD([param([1.0], [1.0])], lr=-1)


def test_optimizer_state_dict_round_trip_continues_identically():
    def run(opt_state=None):
        p = param([1.0, 2.0], [0.0, 0.0])
        opt = optim.Adam([p], lr=0.1)
        if opt_state is not None:
            p.data[...] = opt_state[0]
            opt.load_state_dict(opt_state[1])
        return p, opt

    p, opt = run()
    for g in ([0.1, 0.2], [0.3, -0.1]):
        p.grad = np.array(g)
        opt.step()
    saved = (p.data.copy(), opt.state_dict())
    p.grad = np.array([0.5, 0.5])
    opt.step()
    q, opt2 = run(saved)
    q.grad = np.array([0.5, 0.5])
    opt2.step()
    assert np.array_equal(p.data, q.data)
    assert opt2.state_dict()["state"][0]["step"] == 3
    with pytest.raises(ValueError, match="groups of sizes"):
        optim.Adam([param([1.0], [0.0]), param([1.0], [0.0])]).load_state_dict(saved[1] | {
            "param_groups": [{"lr": 0.1, "params": [0]}]})


def test_step_and_exponential_lr():
    p = param([1.0], [1.0])
    opt = optim.SGD([p], lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=50, gamma=0.9)
    rates = []
    for _ in range(300):
        rates.append(opt.lr)
        scheduler.step()
    # The course's 12.3.3 example: 0.1·0.9^⌊t/50⌋ → 0.1, 0.09, 0.081, 0.073, 0.065, 0.059
    assert np.allclose(rates[::50], [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049])
    opt2 = optim.SGD([p], lr=1.0)
    exponential = optim.lr_scheduler.ExponentialLR(opt2, gamma=0.5)
    exponential.step()
    exponential.step()
    assert exponential.get_last_lr() == [0.25]
