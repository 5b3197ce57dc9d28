"""train.fit: the loop, checks, early stopping, best-weights restore, History output."""
import csv

import numpy as np
import pytest

from tinygrad_edu import metrics, nn, optim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, History, evaluate, fit


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
    history.plot(tmp_path / "h.png", title="test")
    assert (tmp_path / "h.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_bar_runs(capsys):
    X, Y = line_data()
    model = nn.Linear(1, 1, seed=0)
    fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), DataLoader(X, Y), epochs=2, progress=True)
    assert "epoch" in capsys.readouterr().err
