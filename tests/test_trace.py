"""tinygrad_edu.trace: a replay equals the eager run bit for bit (losses, gradients, weights after
training) on every course net, records again for a new signature, reads what fn closed over
afresh, and lists the record as the course writes a net by hand."""
import numpy as np
import pytest

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, datasets, detect_anomaly, nn, no_grad, optim, trace
from tinygrad_edu.data import DataLoader


def course_nets():
    """(name, model maker, loss, X, Y, batch size, η): each example's net, its data and recipe."""
    (sine_X, sine_Y), _ = datasets.sin_curve(seed=0)
    (curve_X, curve_Y), _ = datasets.complex_curve(seed=0)
    xor_X, xor_Y = datasets.xor()
    (arc_X, arc_Y), _ = datasets.arc(seed=0)
    (three_X, three_y), _ = datasets.multiclass(seed=0)
    digits = np.random.default_rng(0).random((50, 784)).astype(np.float32)
    return [
        ("1-2-1 sine", lambda: nn.Sequential(nn.Linear(1, 2, seed=0), nn.Sigmoid(), nn.Linear(2, 1, seed=1)),
         nn.HalfMSELoss(), sine_X[:95], sine_Y[:95], 10, 0.05),
        ("1-3-1 curve", lambda: nn.Sequential(nn.Linear(1, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 1, seed=1)),
         nn.HalfMSELoss(), curve_X[:95], curve_Y[:95], 10, 0.5),
        ("2-2-1 XOR", lambda: nn.Sequential(nn.Linear(2, 2, seed=0), nn.Sigmoid(), nn.Linear(2, 1, seed=1)),
         nn.BCEWithLogitsLoss(), xor_X, xor_Y, 1, 0.1),
        ("2-2-1 arc", lambda: nn.Sequential(nn.Linear(2, 2, seed=0), nn.Sigmoid(), nn.Linear(2, 1, seed=1)),
         nn.BCEWithLogitsLoss(), arc_X[:48], arc_Y[:48], 5, 0.1),
        ("2-3-3", lambda: nn.Sequential(nn.Linear(2, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 3, seed=1)),
         nn.CrossEntropyLoss(), three_X[:95], three_y[:95], 10, 0.1),
        ("784-64-16-10", lambda: nn.Sequential(
            nn.Linear(784, 64, seed=0, dtype=np.float32), nn.Sigmoid(), nn.Linear(64, 16, seed=1, dtype=np.float32),
            nn.Tanh(), nn.Linear(16, 10, seed=2, dtype=np.float32)),
         nn.CrossEntropyLoss(), digits, np.arange(50) % 10, 16, 0.2),
    ]


def train(make, loss_fn, X, Y, batch_size, lr, traced, epochs=3, on_arrays=False):
    """Each step's loss and gradients, and the weights at the end. `on_arrays`: the traced step
    run as fit runs it, `forward(...)` then `gradients(dz, parameters)`, instead of `.backward()`."""
    model = make()
    opt = optim.SGD(model.parameters(), lr=lr)
    step = (lambda x, y: loss_fn(model(x), y))
    if traced:
        step = trace(step)
    seen = []
    for epoch in range(epochs):
        for x, y in DataLoader(X, Y, batch_size=batch_size, seed=epoch):
            opt.zero_grad()
            if on_arrays:
                forward = step.forward(x, y)
                loss = forward.output
                for p, g in zip(model.parameters(), forward.gradients(np.ones_like(loss), model.parameters())):
                    p.grad = g
            else:
                loss = step(x, y)
                loss.backward()
                loss = loss.data
            seen.append((loss.copy(), [p.grad.copy() for p in model.parameters()]))
            opt.step()
    return seen, [p.data for p in model.parameters()], step


@pytest.mark.parametrize("on_arrays", [False, True], ids=["replay node", "on arrays"])
@pytest.mark.parametrize("name, make, loss_fn, X, Y, batch_size, lr", course_nets(),
                         ids=[net[0] for net in course_nets()])
def test_a_replay_equals_the_eager_run_bit_for_bit(name, make, loss_fn, X, Y, batch_size, lr, on_arrays):
    eager, eager_weights, _ = train(make, loss_fn, X, Y, batch_size, lr, traced=False)
    replayed, replayed_weights, traced = train(make, loss_fn, X, Y, batch_size, lr, traced=True, on_arrays=on_arrays)
    assert len(eager) == len(replayed)
    for (loss, grads), (loss_r, grads_r) in zip(eager, replayed):
        assert np.array_equal(loss, loss_r)
        assert all(np.array_equal(g, h) and g.dtype == h.dtype for g, h in zip(grads, grads_r))
    assert all(np.array_equal(w, v) for w, v in zip(eager_weights, replayed_weights))
    ragged = len(X) % batch_size != 0
    assert len(traced.records) == 1 + ragged                 # the short last batch is a new signature


def test_later_calls_replay_without_calling_fn_or_building_a_graph():
    model = nn.Sequential(nn.Linear(1, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 1, seed=1))
    calls = []

    def step(x, y):
        calls.append(1)
        return F.half_mse_loss(model(x), y)
    traced = trace(step)
    x, y = Tensor(np.ones((4, 1))), Tensor(np.zeros((4, 1)))
    first, again = traced(x, y), traced(x, y)
    assert len(calls) == 1 and first.op == "half_mse_loss" and again.op == "replay"
    assert again.parents and all(p.op is None for p in again.parents)      # one node, on the tensors fn read
    traced(Tensor(np.ones((4, 1)), requires_grad=True), y)                # another signature: fn runs again
    assert len(calls) == 2 and len(traced.records) == 2


def test_what_fn_closed_over_is_read_afresh():
    W = Tensor([[2.0]], requires_grad=True, name="W")
    target = np.array([[1.0]])
    traced = trace(lambda x: F.half_mse_loss(x @ W, target))
    x = Tensor([[3.0]])
    traced(x)
    W.data = np.array([[0.5]])                     # replaced, not changed in place: still seen
    target[...] = 2.0                              # an array changed in place: seen
    replayed = traced(x)
    assert replayed.op == "replay" and replayed.item() == ((3.0 * 0.5 - 2.0) ** 2) / 2
    replayed.backward()
    assert W.grad.tolist() == [[3.0 * (1.5 - 2.0)]]                       # dW = Xᵀ·(A − Y)/m


def test_gradients_flow_through_a_replay_into_the_graph_around_it_and_add_up_as_eager():
    def run(traced_fn):
        a = Tensor([[1.0, -2.0]], requires_grad=True)
        W = Tensor([[0.5], [0.25]], requires_grad=True)
        fn = lambda x: (F.tanh(x @ W) * (x @ W)).sum() + (W * W).sum()      # W used three times
        if traced_fn:
            fn = trace(fn)
        for _ in range(3):                       # no zero_grad: gradients accumulate as in eager
            fn(a * 2.0).backward()
        return a.grad, W.grad
    (a_eager, W_eager), (a_replay, W_replay) = run(False), run(True)
    assert np.array_equal(a_eager, a_replay) and np.array_equal(W_eager, W_replay)


def test_a_forward_on_arrays_gives_the_engines_output_and_gradients_and_touches_no_grad():
    """traced.forward(...).gradients(dz, wrt), first call (the recording) and replays alike:
    the output and each tensor's gradient equal the engine's `.grad` bit for bit, a tensor
    read twice gets its gradients added, an input that requires grad gets its own, and a
    tensor fn did not read gets None."""
    W = Tensor([[0.5, -1.0], [0.25, 2.0]], requires_grad=True)
    B = Tensor([[0.1, -0.2]], requires_grad=True)
    unused = Tensor([1.0], requires_grad=True)
    fn = lambda x: F.tanh(x @ W + B) * (x @ W)                 # noqa: E731 - W read twice; one value per element
    traced = trace(fn)
    rng = np.random.default_rng(0)
    for step in range(3):
        x = Tensor(rng.normal(size=(4, 2)), requires_grad=True)
        dz = rng.normal(size=(4, 2))
        forward = traced.forward(x)
        grads = forward.gradients(dz, [W, x, B, unused])
        fn(x).backward(dz)                                    # the engine, on the same x and dz
        assert np.array_equal(forward.output, fn(x).data)
        assert all(np.array_equal(g, t.grad) for g, t in zip(grads[:3], (W, x, B))) and grads[3] is None
        for t in (W, B, x):
            t.grad = None
    assert len(traced.records) == 1 and W.grad is None
    with pytest.raises(ValueError, match=r"trace: dz has shape \(4,\) and dtype float64 but fn's output has "
                                         r"shape \(4, 2\)"):
        traced.forward(x).gradients(np.ones(4), [W])
    with no_grad(), pytest.raises(RuntimeError, match=r"trace: forward runs the record to take gradients, and "
                                                      r"grad mode is off \(no_grad\)"):
        traced.forward(x)                                     # a signature it has a record of, all the same
    with pytest.raises(RuntimeError, match="trace: fn recorded no op that takes a gradient: no input or tensor"):
        trace(lambda x: x * 2.0).forward(Tensor([1.0]))
    with detect_anomaly(), pytest.raises(RuntimeError, match=r"input 0 of shape \(4, 2\) of matmul already held inf"):
        traced.forward(Tensor([[np.inf, 0.0]] * 4, requires_grad=True))   # a recorded signature, recorded afresh


def test_a_replay_frees_its_buffers_like_any_graph():
    W = Tensor([[1.0]], requires_grad=True)
    traced = trace(lambda x: (x @ W).sum())
    traced(Tensor([[1.0]]))
    loss = traced(Tensor([[1.0]]))
    loss.backward()
    with pytest.raises(RuntimeError, match="already freed by an earlier backward; pass retain_graph=True"):
        loss.backward()


def test_what_trace_refuses_and_where_it_steps_aside():
    with pytest.raises(TypeError, match="trace: fn must return one Tensor, got tuple"):
        trace(lambda x: (x * 2, x))(Tensor([1.0], requires_grad=True))
    W = Tensor([2.0], requires_grad=True)
    traced = trace(lambda x: x * W)
    with no_grad():
        assert traced(Tensor([3.0])).requires_grad is False and not traced.records   # nothing to record
    with pytest.raises(RuntimeError, match="nothing recorded yet"):
        traced.listing()


def test_the_listing_is_the_courses_hand_written_forward_and_backward():
    model = nn.Sequential(nn.Linear(1, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 1, seed=1))
    traced = trace(lambda x, y: F.half_mse_loss(model(x), y))
    traced(Tensor(np.ones((4, 1))), Tensor(np.zeros((4, 1))))
    assert traced.listing() == "\n".join([
        "forward:",
        "  Z1 = X·W1 + B1",
        "  A1 = σ(Z1)",
        "  Z2 = A1·W2 + B2",
        "  loss = Σ (Z2 − Y)² / 2m",
        "backward:",
        "  dZ2 = (Z2 − Y)/m",
        "  dA1 = dZ2·W2ᵀ, dW2 = A1ᵀ·dZ2, dB2 = Σ_rows dZ2",
        "  dZ1 = dA1 ⊙ A1 ⊙ (1 − A1)",
        "  dW1 = Xᵀ·dZ1, dB1 = Σ_rows dZ1",
    ])
