"""train.fit: the loop, checks, early stopping, best-weights restore, History output."""
import csv

import numpy as np
import pytest

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, datasets, is_grad_enabled, metrics, nn, no_grad, optim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, History, evaluate, fit, fit_stacked


def line_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 1))
    return X, 3 * X + 1


def test_fit_learns_a_line_and_records_every_epoch():
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8, seed=0),
                  epochs=30, val_data=(X, Y), metrics={"r2": metrics.r2_score}, progress=False)
    assert len(history) == 30 and history["epoch"] == list(range(1, 31))
    assert history["iteration"][-1] == 30 * 5
    assert history["val_loss"][-1] < 1e-3 < history["val_loss"][0]
    assert history["val_r2"][-1] > 0.999 and "train_r2" in history.keys
    assert np.allclose(model.weight.data, [[3.0]], atol=0.05)


def test_check_every_n_iterations():
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8),
                  epochs=2, check_every=2, progress=False)
    assert history["iteration"] == [2, 4, 6, 8, 10]
    assert np.isnan(history["val_loss"]).all()


def test_the_course_stop_rule_stops_at_eps():
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8),
                  epochs=500, val_data=(X, Y), early_stopping=EarlyStopping(eps=0.01), progress=False)
    assert history.stopped_early and len(history) < 500
    assert history["val_loss"][-1] <= 0.01 < history["val_loss"][-2]


def test_patience_stops_and_best_weights_come_back():
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    # A learning rate far too large: the loss grows after the first epoch.
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=3.0), DataLoader(X, Y, batch_size=40),
                  epochs=50, val_data=(X, Y), early_stopping=EarlyStopping(patience=3), progress=False)
    assert history.stopped_early and len(history) == 4
    best = min(history["val_loss"])
    assert np.isclose(evaluate(model, nn.MSELoss(), X, Y)["loss"], best)


def test_early_stopping_needs_a_rule_and_validation_data():
    with pytest.raises(ValueError, match="give eps"):
        EarlyStopping()
    model = nn.Linear(1, 1)
    with pytest.raises(ValueError, match="needs val_data"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(*line_data()), epochs=1,
            early_stopping=EarlyStopping(eps=0.1), progress=False)


def test_scheduler_steps_once_per_epoch():
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    fit(model, nn.MSELoss(), opt, DataLoader(X, Y), epochs=3, progress=False,
        scheduler=optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5))
    assert np.isclose(opt.lr, 0.0125)


def test_history_csv_and_plot(tmp_path):
    history = History()
    history.records = [{"epoch": 1, "train_loss": 0.5, "val_loss": 0.6, "val_accuracy": 0.7, "train_accuracy": 0.8},
                       {"epoch": 2, "train_loss": 0.4, "val_loss": 0.5, "val_accuracy": 0.75, "train_accuracy": 0.85}]
    history.to_csv(tmp_path / "h.csv")
    with open(tmp_path / "h.csv") as file:
        rows = list(csv.DictReader(file))
    assert [float(r["val_loss"]) for r in rows] == [0.6, 0.5]
    assert history.plot(tmp_path / "h.png", title="test") == tmp_path / "h.png"
    assert (tmp_path / "h.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    figure = history.plot()                             # no path: the figure, which a notebook shows
    assert [ax.get_ylabel() for ax in figure.axes] == ["loss", "accuracy"]
    assert list(figure.axes[0].lines[1].get_ydata()) == [0.6, 0.5]          # the validation loss


def test_a_history_says_in_one_line_where_training_ended():
    assert repr(History()) == "History(no checks yet)"
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8),
                  epochs=500, val_data=(X, Y), early_stopping=EarlyStopping(eps=0.01), progress=False)
    last = history.records[-1]
    assert repr(history) == (f"History({len(history)} checks, stopped early at epoch {last['epoch']}, iteration "
                             f"{last['iteration']}; last check: train_loss {last['train_loss']:.4g}, "
                             f"val_loss {last['val_loss']:.4g})")


def test_progress_bar_runs(capsys):
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y), epochs=2, progress=True)
    assert "epoch" in capsys.readouterr().err


# ---- the unhappy paths: bad data, divergence, slips --------------------------------------------
def test_non_finite_data_is_refused_before_training():
    X, Y = line_data()
    X[3, 0] = np.nan
    with pytest.raises(ValueError, match=r"^DataLoader: X holds nan at row 3, column 0"):
        DataLoader(X, Y)
    X, Y = line_data()
    Y[7, 0] = np.inf
    with pytest.raises(ValueError, match=r"^DataLoader: Y holds inf at row 7, column 0"):
        DataLoader(X, Y)
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    before = model.weight.data.copy()
    bad_val = X.copy()
    bad_val[5, 0] = np.nan
    with pytest.raises(ValueError, match=r"^fit: the validation X holds nan at row 5, column 0"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y), epochs=1,
            val_data=(bad_val, Y), progress=False)
    assert np.array_equal(model.weight.data, before)                # nothing trained


@pytest.mark.parametrize("lr, diverged_at", [(500.0, (11, 53)), (3.0, (45, 221))])
def test_divergence_stops_at_once_with_the_last_finite_weights(lr, diverged_at):
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    weight_at_check = {"w": lambda y, output: model.weight.data.item()}     # a "metric" that records W
    with pytest.raises(FloatingPointError) as error:     # and no numpy warning (pytest makes one an error)
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=lr), DataLoader(X, Y, batch_size=8, seed=0),
            epochs=200, check_every=1, metrics=weight_at_check, progress=False)
    epoch, iteration = diverged_at
    message = str(error.value)
    assert f"diverged at epoch {epoch}, iteration {iteration}: the loss turned inf" in message
    assert f"the weights of epoch {(iteration - 2) // 5 + 1}, iteration {iteration - 1}, the last check" in message
    assert f"smaller learning rate than {lr:g}" in message
    history = error.value.history
    assert history.stopped_at == {"epoch": epoch, "iteration": iteration, "diverged": True}
    assert history["iteration"][-1] == iteration - 1
    assert np.isfinite(model.weight.data).all() and np.isfinite(model.bias.data).all()
    assert model.weight.data.item() == history["train_w"][-1]       # the weights of the last check


def test_divergence_before_any_check_gives_back_the_initial_weights():
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    initial = model.state_dict()
    with pytest.raises(FloatingPointError, match="weights of the start of training"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=1e200), DataLoader(X, Y, batch_size=8, seed=0),
            epochs=50, progress=False)
    assert all(np.array_equal(model.state_dict()[k], v) for k, v in initial.items())


def test_early_stopping_says_so_and_never_keeps_nan_weights(capsys):
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8, seed=0),
                  epochs=100, val_data=(X, Y), early_stopping=EarlyStopping(eps=1e-3), progress=True)
    assert history.stopped_early and history.stopped_at["epoch"] == len(history) < 100
    out = capsys.readouterr()
    line = f"fit: stopped early at epoch {len(history)}, iteration {history['iteration'][-1]}: validation loss"
    assert line in out.out + out.err and "the best weights" in out.out + out.err
    stopper = EarlyStopping(patience=2)
    stopper.start()
    assert not stopper.should_stop(0.5, model) and stopper.best_state is not None
    kept = stopper.best_state
    stopper.should_stop(float("nan"), model)
    assert stopper.best_state is kept and stopper.best == 0.5


def test_an_unreduced_loss_asks_for_reduction_mean():
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    with pytest.raises(ValueError, match=r"the loss has shape \(8, 1\).*pass reduction=\"mean\""):
        fit(model, nn.MSELoss(reduction="none"), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8),
            epochs=1, progress=False)


def two_blobs(n=60, seed=0):
    """Two separable clouds: class 1 where x1 + x2 > 0."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    X += np.sign(X.sum(axis=1, keepdims=True))          # push the classes apart
    return X, (X.sum(axis=1, keepdims=True) > 0).astype(np.float64)


@pytest.mark.parametrize("loss_fn, head, read_labels", [
    (nn.BCEWithLogitsLoss(), [], lambda out: (out > 0).ravel()),
    (nn.BCELoss(), [nn.Sigmoid()], lambda out: (out > 0.5).ravel()),
])
def test_fit_hands_binary_metrics_the_labels_the_loss_implies(loss_fn, head, read_labels):
    X, Y = two_blobs()
    model = nn.Sequential(nn.Linear(2, 1, seed=0), *head)
    history = fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.5), DataLoader(X, Y, batch_size=10, seed=0),
                  epochs=20, val_data=(X, Y), progress=False,
                  metrics={"accuracy": metrics.accuracy, "recall": metrics.recall, "auc": metrics.roc_auc_score})
    with no_grad():
        output = model(X).data
    labels, truth = read_labels(output), Y.ravel() == 1
    # The oracle: the same counts by hand from the output.
    assert history["val_accuracy"][-1] == np.mean(labels == truth) >= 0.95
    assert history["val_recall"][-1] == np.sum(labels & truth) / np.sum(truth)
    positives, negatives = output.ravel()[truth], output.ravel()[~truth]
    assert history["val_auc"][-1] == pytest.approx(np.mean(positives[:, None] > negatives[None, :]))


def test_fit_hands_cross_entropy_metrics_the_argmax():
    X, Y = two_blobs()
    y = Y.ravel().astype(np.int64)
    model = nn.Linear(2, 2, seed=0)
    history = fit(model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.5),
                  DataLoader(X, y, batch_size=10, seed=0), epochs=10, val_data=(X, y), progress=False,
                  metrics={"accuracy": metrics.accuracy})
    with no_grad():
        logits = model(X).data
    assert history["val_accuracy"][-1] == np.mean(logits.argmax(axis=1) == y) >= 0.95
    assert history["train_accuracy"][-1] == history["val_accuracy"][-1]


def test_a_classification_metric_beside_a_regression_loss_is_refused_not_scored():
    X, Y = two_blobs()
    model = nn.Linear(2, 1, seed=0)
    with pytest.raises(ValueError, match="accuracy: y_pred holds continuous scores"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8),
            epochs=1, val_data=(X, Y), metrics={"accuracy": metrics.accuracy}, progress=False)


# ---- early stopping's best weights, from scripted validation losses ------------------------------
def scripted_validation(model, losses):
    """A loss that trains as MSE but, at each check (run without a graph), reports the next scripted
    validation loss and keeps the weights it was reported for."""
    script, seen = iter(losses), []

    def loss_fn(output, target):
        if is_grad_enabled():
            return F.mse_loss(output, target)
        seen.append(model.state_dict())
        return Tensor(next(script))
    return loss_fn, seen


@pytest.mark.parametrize("patience, epochs, stops_early", [(3, 10, True), (100, 5, False)])
def test_the_best_check_comes_back_even_when_it_is_not_the_first(patience, epochs, stops_early):
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    loss_fn, seen = scripted_validation(model, [0.5, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8])
    history = fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8, seed=0),
                  epochs=epochs, val_data=(X, Y), early_stopping=EarlyStopping(patience=patience), progress=False)
    assert history.stopped_early is stops_early
    assert history["val_loss"] == [0.5, 0.2, 0.3, 0.4, 0.6][:len(history)] and len(history) == 5
    best = seen[1]                                                   # the weights of the check at 0.2
    assert not np.array_equal(best["weight"], seen[-1]["weight"])     # training moved on after it
    assert all(np.array_equal(model.state_dict()[key], value) for key, value in best.items())


# ---- every way fit can diverge ----------------------------------------------------------------------
class PoisonedSGD(optim.SGD):
    """SGD whose n-th step leaves `value` in the weight, as an overflowing update would."""

    def __init__(self, params, lr, at, value):
        super().__init__(params, lr)
        self.steps, self.at, self.value = 0, at, value

    def step(self):
        super().step()
        self.steps += 1
        if self.steps == self.at:
            self.param_groups[0]["params"][0].data[...] = self.value


def weights_at_checks():
    recorded = []

    def record(model):
        return {"w": lambda y, output: recorded.append(model.weight.data.copy()) or 0.0}
    return recorded, record


@pytest.mark.parametrize("check_every, poisoned_at, raised_at, what, back_to", [
    # a check right after the poisoned update sees the weights
    (1, 3, (1, 3), "the weights turned NaN or inf in an update", "epoch 1, iteration 2"),
    # without a check in between, the next loss is the first to see them
    (None, 8, (2, 9), "the loss is nan: the weights had turned NaN or inf in the update before it",
     "epoch 1, iteration 5"),
    (None, 3, (1, 4), "the loss is nan: the weights had turned NaN or inf in the update before it",
     "the start of training"),
])
@pytest.mark.parametrize("early_stopping", [None, EarlyStopping(patience=50)])
def test_weights_that_turn_non_finite_stop_training_with_the_last_finite_check(
        check_every, poisoned_at, raised_at, what, back_to, early_stopping):
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    initial = model.weight.data.copy()
    recorded, record = weights_at_checks()
    with pytest.raises(FloatingPointError) as error:
        fit(model, nn.MSELoss(), PoisonedSGD(model.parameters(), 0.1, poisoned_at, np.nan),
            DataLoader(X, Y, batch_size=8, seed=0), epochs=5, check_every=check_every, metrics=record(model),
            val_data=(X, Y), early_stopping=early_stopping, progress=False)
    epoch, iteration = raised_at
    assert f"diverged at epoch {epoch}, iteration {iteration}: {what}" in str(error.value)
    assert f"given back the weights of {back_to}" in str(error.value)
    assert error.value.history.stopped_at == {"epoch": epoch, "iteration": iteration, "diverged": True}
    expected = initial if back_to == "the start of training" else recorded[-1]
    assert np.array_equal(model.weight.data, expected) and np.isfinite(model.bias.data).all()


@pytest.mark.parametrize("check_every", [None, 2])
def test_a_nan_loss_with_finite_weights_stops_training(check_every):
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    calls = 0

    def nan_at_the_seventh(output, target):
        nonlocal calls
        if is_grad_enabled():
            calls += 1
        loss = F.mse_loss(output, target)
        return loss * np.nan if calls == 7 and is_grad_enabled() else loss

    with pytest.raises(FloatingPointError, match=r"diverged at epoch 2, iteration 7: the loss turned nan while the "
                                                 r"weights were still finite \(the largest \|w\| is"):
        fit(model, nan_at_the_seventh, optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y, batch_size=8, seed=0),
            epochs=5, check_every=check_every, progress=False)
    assert np.isfinite(model.weight.data).all()


def test_the_readmes_regression_net_with_the_courses_eta_trains_smoothly_on_half_mse_only():
    """The 1-3-1 net on the complex curve at the course's η 0.5: on half-MSE (the course's loss) the
    validation loss never jumps; on PyTorch's MSE, the same η is twice the course's step."""
    (X, Y), _ = datasets.complex_curve(seed=0)
    largest_jump = {}
    for loss_fn, to_half in ((nn.HalfMSELoss(), 1.0), (nn.MSELoss(), 0.5)):
        model = nn.Sequential(nn.Linear(1, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 1, seed=1))
        history = fit(model, loss_fn, optim.SGD(model.parameters(), lr=0.5),
                      DataLoader(X[100:], Y[100:], batch_size=10, seed=0), epochs=600, val_data=(X[:100], Y[:100]),
                      progress=False)
        half = np.array(history["val_loss"]) * to_half
        largest_jump[type(loss_fn).__name__] = np.max(half[1:] / half[:-1])
        if to_half == 1.0:
            assert half.max() <= 2 * half[0] and half[-1] < 0.006
    assert largest_jump["HalfMSELoss"] < 2.5 < 5 < largest_jump["MSELoss"]


@pytest.mark.parametrize("make, loss_fn, data, lr", [
    (lambda: nn.Sequential(nn.Linear(1, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 1, seed=1)), nn.HalfMSELoss(),
     datasets.complex_curve(seed=0)[0], 0.5),
    (lambda: nn.Sequential(nn.Linear(2, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 3, seed=1)), nn.CrossEntropyLoss(),
     datasets.multiclass(n_train=200, seed=0)[0], 0.1),
])
def test_a_traced_fit_gives_the_same_history_and_weights_bit_for_bit(make, loss_fn, data, lr):
    X, Y = data
    results = []
    for trace in (False, None, True):
        model = make()
        history = fit(model, loss_fn, optim.SGD(model.parameters(), lr=lr), DataLoader(X[20:], Y[20:], batch_size=7,
                      seed=0), epochs=4, val_data=(X[:20], Y[:20]), early_stopping=EarlyStopping(patience=50),
                      progress=False, trace=trace)
        results.append((history.records, model.state_dict()))
    (eager, weights), *traced = results
    for records, traced_weights in traced:
        assert records == eager
        assert all(np.array_equal(weights[key], traced_weights[key]) for key in weights)


def test_a_traced_fit_updates_what_the_optimizer_holds_beyond_the_model():
    """A scale the loss reads and the optimizer updates, outside model.parameters(): traced, it
    gets the gradient and the update the engine gives it."""
    X, Y = line_data()
    results = []
    for trace in (False, True):
        model, scale = nn.Linear(1, 1, seed=0), Tensor([1.5], requires_grad=True)
        fit(model, lambda output, y: F.mse_loss(output * scale, y), optim.SGD(model.parameters() + [scale], lr=0.01),
            DataLoader(X, Y, batch_size=8, seed=0), epochs=3, progress=False, trace=trace)
        results.append((scale.data.copy(), scale.grad.copy(), model.weight.data.copy()))
    assert results[0][0] != 1.5
    assert all(np.array_equal(a, b) for a, b in zip(*results))


def test_fit_traces_only_what_is_safe():
    from tinygrad_edu.train import _traceable

    class Custom(nn.Module):                  # Python control flow a record would freeze
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(1, 1, seed=0)

        def forward(self, x):
            return self.layer(x) if x.shape[0] > 1 else self.layer(x) * 2
    assert _traceable(nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1)), nn.HalfMSELoss())
    assert not _traceable(Custom(), nn.HalfMSELoss())
    assert not _traceable(nn.Linear(1, 1), lambda a, y: F.mse_loss(a, y))


def _solo_and_stacked(make_model, make_optimizers, loss_fn, loaders, val_sets, data_of=lambda k: k, **settings):
    """Each run trained alone by fit, and all of them by fit_stacked: (histories, weights) of both."""
    solo = []
    for k, make_optimizer in enumerate(make_optimizers):
        model = make_model(k)
        try:
            history = fit(model, loss_fn, make_optimizer(model.parameters()), loaders(k), val_data=val_sets(k),
                          progress=False, **settings)
        except FloatingPointError as error:
            history = error.history
        solo.append((history, model.state_dict()))
    models = [make_model(k) for k in range(len(make_optimizers))]
    runs = list(zip(models, make_optimizers))
    shared, made = loaders(None), {}                     # runs of one data set take one loader's batches
    histories = fit_stacked(runs, loss_fn, shared if shared is not None else
                            [made.setdefault(data_of(k), loaders(k)) for k in range(len(runs))],
                            val_data=val_sets(None) if shared is not None else [val_sets(k) for k in range(len(runs))],
                            progress=False, **settings)
    return solo, list(zip(histories, [model.state_dict() for model in models]))


def _same(a, b):
    (history_a, weights_a), (history_b, weights_b) = a, b
    return (history_a.records == history_b.records and history_a.stopped_at == history_b.stopped_at
            and history_a.stopped_early == history_b.stopped_early
            and all(np.array_equal(weights_a[key], weights_b[key]) for key in weights_a))


def test_stacked_runs_on_the_same_batches_are_each_their_own_fit_bit_for_bit():
    """Five optimizers, two of them for two runs from other starts (runs of one optimizer share
    it, on their slice of the stack), on one loader's batches, with the course's stop rule:
    each run's History (checks, where it stopped) and weights are its own fit's."""
    (X, Y), grid = datasets.complex_curve(seed=0)
    sgd, adam = lambda p: optim.SGD(p, lr=0.5), lambda p: optim.Adam(p, lr=0.01)
    optimizers = [sgd, lambda p: optim.SGD(p, lr=0.1, momentum=0.9), adam, lambda p: optim.CourseNAG(p, lr=0.1),
                  sgd, lambda p: optim.Adagrad(p, lr=0.5, eps=1e-6), adam]
    solo, stacked = _solo_and_stacked(
        lambda k: nn.Sequential(nn.Linear(1, 3, seed=k // 4), nn.Sigmoid(), nn.Linear(3, 1, seed=1)), optimizers,
        nn.HalfMSELoss(), lambda k: DataLoader(X, Y, batch_size=10, seed=0), lambda k: grid,
        epochs=40, check_every=200, early_stopping=EarlyStopping(eps=0.008))
    assert len({history.stopped_at["epoch"] for history, _ in solo if history.stopped_early}) > 1    # stop apart
    assert any(not history.stopped_early for history, _ in solo)
    assert all(_same(a, b) for a, b in zip(solo, stacked))


def test_stacked_runs_each_with_its_own_data_are_each_their_own_fit_bit_for_bit():
    """Three seeds of the course's 2-3-3 net, each with its own data, batches and validation
    set, twice (at η 0.1 and 0.5: two runs on one seed's batches), with softmax +
    cross-entropy, float32, and accuracy at each check."""
    data = [datasets.multiclass(n_train=150, seed=seed)[0] for seed in range(3)]
    data = [(X.astype(np.float32), Y) for X, Y in data]
    solo, stacked = _solo_and_stacked(
        lambda k: nn.Sequential(nn.Linear(2, 3, seed=k, dtype=np.float32), nn.Sigmoid(),
                                nn.Linear(3, 3, seed=10 + k, dtype=np.float32)),
        [lambda p: optim.SGD(p, lr=0.1)] * 3 + [lambda p: optim.SGD(p, lr=0.5)] * 3, nn.CrossEntropyLoss(),
        lambda k: None if k is None else DataLoader(data[k % 3][0][30:], data[k % 3][1][30:], batch_size=10,
                                                    seed=k % 3),
        lambda k: None if k is None else (data[k % 3][0][:30], data[k % 3][1][:30]), data_of=lambda k: k % 3,
        epochs=6, metrics={"accuracy": metrics.accuracy})
    assert stacked[0][0]["val_accuracy"] != stacked[1][0]["val_accuracy"]
    assert all(_same(a, b) for a, b in zip(solo, stacked))


def test_stacked_runs_on_loaders_of_one_data_set_with_a_short_last_batch_are_each_their_own_fit():
    """Three loaders over one data set (two seeds and one unshuffled), 125 samples in batches
    of 10: each run's batches, the short last one too, are those its own loader gives alone."""
    (X, Y), grid = datasets.complex_curve(seed=0)
    X, Y = X[:125], Y[:125]
    solo, stacked = _solo_and_stacked(
        lambda k: nn.Sequential(nn.Linear(1, 3, seed=k), nn.Sigmoid(), nn.Linear(3, 1, seed=1)),
        [lambda p: optim.SGD(p, lr=0.5)] * 3, nn.HalfMSELoss(),
        lambda k: None if k is None else DataLoader(X, Y, batch_size=10, seed=k, shuffle=k < 2),
        lambda k: None if k is None else grid, epochs=8, check_every=13)
    assert stacked[0][0]["val_loss"] != stacked[1][0]["val_loss"] != stacked[2][0]["val_loss"]
    assert all(_same(a, b) for a, b in zip(solo, stacked))


def test_a_stacked_run_that_diverges_stops_as_fit_would_and_the_others_go_on():
    X, Y = line_data()
    solo, stacked = _solo_and_stacked(
        lambda k: nn.Linear(1, 1, seed=0), [lambda p: optim.SGD(p, lr=0.1), lambda p: optim.SGD(p, lr=1e6)],
        nn.MSELoss(), lambda k: DataLoader(X, Y, batch_size=8, seed=0), lambda k: (X, Y), epochs=20)
    assert stacked[1][0].stopped_at["diverged"] and not stacked[1][0].stopped_early
    assert stacked[0][0].stopped_at == {"epoch": 20, "iteration": 100}
    assert all(_same(a, b) for a, b in zip(solo, stacked))


def test_fit_stacked_gives_the_same_runs_traced_or_not():
    X, Y = line_data()
    results = []
    for trace in (True, False):
        models = [nn.Sequential(nn.Linear(1, 4, seed=s), nn.Tanh(), nn.Linear(4, 1, seed=9)) for s in range(3)]
        histories = fit_stacked([(model, lambda p: optim.Adam(p, lr=0.01)) for model in models], nn.MSELoss(),
                                DataLoader(X, Y, batch_size=8, seed=0), epochs=5, val_data=(X, Y), progress=False,
                                trace=trace)
        results.append(([h.records for h in histories], [m.state_dict() for m in models]))
    (traced, traced_weights), (eager, eager_weights) = results
    assert traced == eager
    assert all(np.array_equal(a[key], b[key]) for a, b in zip(traced_weights, eager_weights) for key in a)


def test_fit_stacked_refuses_what_it_cannot_run_alike():
    X, Y = line_data()
    runs = [(model, lambda p: optim.SGD(p, lr=0.1)) for model in (nn.Linear(1, 1), nn.Linear(1, 1))]
    with pytest.raises(ValueError, match=r"fit_stacked: the loss must be one of the library's losses with "
                                         r"reduction='mean' and no weights"):
        fit_stacked(runs, nn.MSELoss(reduction="sum"), DataLoader(X, Y), epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"no weights"):
        fit_stacked(runs, nn.BCELoss(weight=np.ones(1)), DataLoader(X, Y), epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"fit_stacked: train_loader is a list of 1 for 2 runs"):
        fit_stacked(runs, nn.MSELoss(), [DataLoader(X, Y)], epochs=1, progress=False)
    with pytest.raises(TypeError, match=r"fit_stacked: each run is \(model, make_optimizer\), with a function that "
                                        r"makes the optimizer from parameters .*, got SGD"):
        fit_stacked([(model, optim.SGD(model.parameters(), lr=0.1)) for model, _ in runs], nn.MSELoss(),
                    DataLoader(X, Y), epochs=1, progress=False)
    with pytest.raises(TypeError, match=r"fit_stacked: train_loader must be a DataLoader or a list of them, got "
                                        r"list"):
        fit_stacked(runs, nn.MSELoss(), [[(X, Y)], [(X, Y)]], epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"fit_stacked: early_stopping needs val_data"):
        fit_stacked(runs, nn.MSELoss(), DataLoader(X, Y), epochs=1, early_stopping=EarlyStopping(eps=0.1),
                    progress=False)
    bad = Y.copy()
    bad[3] = np.nan
    with pytest.raises(ValueError, match=r"fit_stacked: the validation Y holds nan at row 3"):
        fit_stacked(runs, nn.MSELoss(), DataLoader(X, Y), epochs=1, val_data=[(X, Y), (X, bad)], progress=False)
    with pytest.raises(ValueError, match=r"fit_stacked: the loaders give batches of other sizes \(samples, batch size, "
                                         r"drop_last: \(40, 8, False\), \(40, 20, False\)\); every run must take"):
        fit_stacked(runs, nn.MSELoss(), [DataLoader(X, Y, batch_size=8), DataLoader(X, Y, batch_size=20)], epochs=1,
                    progress=False)
