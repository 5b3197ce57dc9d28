"""The training loop of the course (forward, backward, update; check every N iterations)."""
import csv
import math

import numpy as np

from .engine import no_grad
from .engine import Tensor


class EarlyStopping:
    """When to stop, judged on the validation loss at each check.

    `eps`: the course's rule, stop as soon as the validation loss is ≤ eps.
    `patience`: stop after that many checks without an improvement of at least `min_delta`.
    `restore_best`: put back the weights of the best check when training ends.
    """

    def __init__(self, eps=None, patience=None, min_delta=0.0, restore_best=True):
        if eps is None and patience is None:
            raise ValueError("EarlyStopping: give eps (the course's stop loss), patience, or both")
        self.eps, self.patience, self.min_delta, self.restore_best = eps, patience, min_delta, restore_best

    def start(self):
        self.best, self.best_state, self.waited = math.inf, None, 0

    def should_stop(self, val_loss, model):
        if val_loss < self.best - self.min_delta:
            self.best, self.waited = val_loss, 0
            if self.restore_best:
                self.best_state = model.state_dict()
        else:
            self.waited += 1
        reached = self.eps is not None and val_loss <= self.eps
        exhausted = self.patience is not None and self.waited >= self.patience
        return reached or exhausted


class History:
    """One record per check: epoch, iteration, train_loss, val_loss and metrics."""

    def __init__(self):
        self.records = []
        self.stopped_early = False

    def __getitem__(self, key):
        return [record.get(key, math.nan) for record in self.records]

    def __len__(self):
        return len(self.records)

    @property
    def keys(self):
        return list(dict.fromkeys(key for record in self.records for key in record))

    def to_csv(self, path):
        with open(path, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=self.keys)
            writer.writeheader()
            writer.writerows(self.records)

    def plot(self, path, title=None, x="epoch"):
        """The course's two-panel figure: loss, and the first metric, train vs validation."""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        metric = next((k[4:] for k in self.keys if k.startswith("val_") and k != "val_loss"), None)
        panels = [("loss", "train_loss", "val_loss")]
        if metric is not None:
            panels.append((metric, f"train_{metric}", f"val_{metric}"))
        figure, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
        for ax, (label, train_key, val_key) in zip(axes[0], panels):
            for key, style in ((train_key, "-"), (val_key, "--")):
                if key in self.keys:
                    ax.plot(self[x], self[key], style, label=key.replace("_", " "))
            ax.set_xlabel(x)
            ax.set_ylabel(label)
            ax.grid(alpha=0.3)
            ax.legend()
        if title:
            figure.suptitle(title)
        figure.tight_layout()
        figure.savefig(path, dpi=100)
        plt.close(figure)


def evaluate(model, loss_fn, X, Y, metrics=()):
    """Loss and metrics of `model` on the whole of (X, Y), without recording a graph."""
    with no_grad():
        output = model(Tensor._wrap(np.asarray(X)))
        result = {"loss": loss_fn(output, Y).item()}
    for name, metric in _named(metrics).items():
        result[name] = metric(np.asarray(Y), output.data)
    return result


def _named(metrics):
    return dict(metrics) if isinstance(metrics, dict) else {m.__name__: m for m in metrics}


def fit(model, loss_fn, optimizer, train_loader, *, epochs, val_data=None, metrics=(), early_stopping=None,
        progress=True, check_every=None, scheduler=None):
    """Train `model` and return its History.

    Each iteration: forward, loss, backward, optimizer step. A check runs at the end
    of each epoch, or every `check_every` iterations (the course's checkpoint): it
    records the mean training loss since the last check, the validation loss and
    metrics on the whole of `val_data` (metrics on the whole training set too), and
    asks `early_stopping`. `metrics` maps names to `metric(y_true, output)`.
    """
    metrics = _named(metrics)
    if early_stopping is not None:
        if val_data is None:
            raise ValueError("fit: early_stopping needs val_data")
        early_stopping.start()
    history = History()
    bar = _progress_bar(epochs, progress)
    iteration, loss_sum, sample_count = 0, 0.0, 0
    try:
        for epoch in range(epochs):
            model.train()
            for x, y in train_loader:
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                iteration += 1
                loss_sum += loss.item() * len(x)
                sample_count += len(x)
                last_of_epoch = iteration % len(train_loader) == 0
                if (check_every and iteration % check_every == 0) or (not check_every and last_of_epoch):
                    record = _check(model, loss_fn, train_loader, val_data, metrics, epoch, iteration,
                                    loss_sum / sample_count)
                    history.records.append(record)
                    loss_sum, sample_count = 0.0, 0
                    bar.set_postfix({k: f"{v:.4g}" for k, v in record.items() if "loss" in k})
                    if early_stopping is not None and early_stopping.should_stop(record["val_loss"], model):
                        history.stopped_early = True
                        return history
            if scheduler is not None:
                scheduler.step()
            bar.update(1)
        return history
    finally:
        bar.close()
        if early_stopping is not None and early_stopping.best_state is not None:
            model.load_state_dict(early_stopping.best_state)


def _check(model, loss_fn, train_loader, val_data, metrics, epoch, iteration, train_loss):
    model.eval()
    record = {"epoch": epoch + 1, "iteration": iteration, "train_loss": train_loss}
    if metrics:
        train = evaluate(model, loss_fn, train_loader.X, train_loader.Y, metrics)
        record.update({f"train_{name}": train[name] for name in metrics})
    if val_data is not None:
        val = evaluate(model, loss_fn, *val_data, metrics)
        record.update({f"val_{name}": value for name, value in val.items()})
    model.train()
    return record


def _progress_bar(epochs, enabled):
    from tqdm.auto import tqdm
    return tqdm(total=epochs, unit="epoch", disable=not enabled, leave=False)
