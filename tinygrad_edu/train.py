"""The training loop of the course (forward, backward, update; check every N iterations)."""
import csv
import math

import numpy as np

from . import nn
from .data.loader import check_finite
from .engine import Tensor, no_grad
from .trace import Traced


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
        self.best, self.best_state, self.waited, self.last, self.reached = math.inf, None, 0, math.nan, False

    def should_stop(self, val_loss, model):
        self.last = val_loss
        if val_loss < self.best - self.min_delta:          # never true for NaN: NaN weights are never kept
            self.best, self.waited = val_loss, 0
            if self.restore_best:
                self.best_state = model.state_dict()
        else:
            self.waited += 1
        self.reached = self.eps is not None and val_loss <= self.eps
        exhausted = self.patience is not None and self.waited >= self.patience
        return self.reached or exhausted


class History:
    """One record per check: epoch, iteration, train_loss, val_loss and metrics.

    `stopped_early` is True when `EarlyStopping` ended training before its last epoch;
    `stopped_at` says where training ended: {"epoch", "iteration"} (and "diverged": True
    on the history a FloatingPointError carries as `.history`).
    """

    def __init__(self):
        self.records = []
        self.stopped_early = False
        self.stopped_at = None

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

    def __repr__(self):
        if not self.records:
            return "History(no checks yet)"
        last = self.records[-1]
        shown = ", ".join(f"{key} {value:.4g}" for key, value in last.items() if "loss" in key and value == value)
        where = self.stopped_at or {"epoch": last["epoch"], "iteration": last["iteration"]}
        how = ("diverged" if where.get("diverged") else "stopped early" if self.stopped_early else "ended")
        return (f"History({len(self.records)} checks, {how} at epoch {where['epoch']}, iteration "
                f"{where['iteration']}; last check: {shown})")

    def plot(self, path=None, title=None, x="epoch"):
        """The course's two-panel figure: loss, and the first metric, train vs validation.

        With `path`, the figure is written there (PNG); without, it is returned, and a
        notebook shows it under the cell."""
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
        plt.close(figure)                       # shown once: by the notebook, from the value returned
        if path is None:
            return figure
        figure.savefig(path, dpi=100)
        return path


def evaluate(model, loss_fn, X, Y, metrics=()):
    """Loss and metrics of `model` on the whole of (X, Y), without recording a graph.

    A classification metric (`takes_labels`: accuracy, precision, recall, f1_score,
    confusion_matrix) gets the class labels the loss reads from the output
    (`loss_fn.labels`: z > 0 for BCEWithLogitsLoss, a > 0.5 for BCELoss, argmax for
    CrossEntropyLoss); every other metric gets the raw output.
    """
    with no_grad():
        output = model(Tensor._wrap(np.asarray(X)))
        result = {"loss": loss_fn(output, Y).item()}
    labels = None
    for name, metric in _named(metrics).items():
        given = output.data
        if getattr(metric, "takes_labels", False) and hasattr(loss_fn, "labels"):
            labels = loss_fn.labels(output.data) if labels is None else labels
            given = labels
        result[name] = metric(np.asarray(Y), given)
    return result


def _named(metrics):
    return dict(metrics) if isinstance(metrics, dict) else {m.__name__: m for m in metrics}


def fit(model, loss_fn, optimizer, train_loader, *, epochs, val_data=None, metrics=(), early_stopping=None,
        progress=True, check_every=None, scheduler=None, trace=None):
    """Train `model` and return its History.

    Each iteration: forward, loss, backward, optimizer step. A check runs at the end
    of each epoch, or every `check_every` iterations (the course's checkpoint): it
    records the mean training loss since the last check, the validation loss and
    metrics on the whole of `val_data` = (X_val, Y_val) (metrics on the whole training
    set too), and asks `early_stopping`. `metrics` maps names to `metric(y_true, output)`;
    a classification metric gets class labels instead of the output (see `evaluate`).

    `trace`: run the step's forward and loss through `tinygrad_edu.trace` (recorded once,
    replayed after): None does so where it is safe, for a model made of the library's layers
    and one of its losses (`_traceable`); False never; True always. The history is the same
    bit for bit either way.

    Data holding NaN or inf is refused before training. A loss or weights that turn
    NaN/inf stop training with a FloatingPointError naming the epoch and iteration; the
    model is then given back the weights of the last check at which everything was
    finite (numpy's own overflow warnings are silenced: fit checks instead).
    """
    metrics = _named(metrics)
    if val_data is not None:
        check_finite("fit", "the validation X", np.asarray(val_data[0]))
        check_finite("fit", "the validation Y", np.asarray(val_data[1]))
    if early_stopping is not None:
        if val_data is None:
            raise ValueError("fit: early_stopping needs val_data")
        early_stopping.start()
    history = History()
    step = lambda x, y: loss_fn(model(x), y)             # noqa: E731 - the step, recorded when traced
    if trace or (trace is None and _traceable(model, loss_fn)):
        step = Traced(step)
    finite = _Snapshot(model, epoch=0, iteration=0)        # the weights to give back if training diverges
    bar = _progress_bar(epochs, progress)
    iteration, loss_sum, sample_count = 0, 0.0, 0
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, epochs + 1):
                model.train()
                for x, y in train_loader:
                    iteration += 1
                    optimizer.zero_grad()
                    loss = step(x, y)
                    if loss.size != 1:
                        raise ValueError(f"fit: the loss has shape {loss.shape}, one value per sample; fit needs "
                                         f"one number: pass reduction=\"mean\" (or \"sum\") to the loss")
                    loss_value = loss.item()
                    if not math.isfinite(loss_value):
                        raise _diverged(model, finite, optimizer, history, epoch, iteration, loss_value)
                    loss.backward()
                    optimizer.step()
                    loss_sum += loss_value * len(x)
                    sample_count += len(x)
                    last_of_epoch = iteration % len(train_loader) == 0
                    if (check_every and iteration % check_every == 0) or (not check_every and last_of_epoch):
                        if not _weights_finite(model):
                            raise _diverged(model, finite, optimizer, history, epoch, iteration, None)
                        record = _check(model, loss_fn, train_loader, val_data, metrics, epoch, iteration,
                                        loss_sum / sample_count)
                        history.records.append(record)
                        finite = _Snapshot(model, epoch, iteration)
                        loss_sum, sample_count = 0.0, 0
                        bar.set_postfix({k: f"{v:.4g}" for k, v in record.items() if "loss" in k})
                        if early_stopping is not None and early_stopping.should_stop(record["val_loss"], model):
                            history.stopped_early = True
                            history.stopped_at = {"epoch": epoch, "iteration": iteration}
                            _restore_best(model, early_stopping, history, progress, bar)
                            return history
                if scheduler is not None:
                    scheduler.step()
                bar.update(1)
        history.stopped_at = {"epoch": epochs, "iteration": iteration}
        if early_stopping is not None:
            _restore_best(model, early_stopping, history, progress, bar)
        return history
    finally:
        bar.close()


_LIBRARY_LAYERS = (nn.Sequential, nn.Linear, nn.Sigmoid, nn.Tanh, nn.ReLU, nn.LeakyReLU, nn.Softmax)
_LIBRARY_LOSSES = (nn.MSELoss, nn.HalfMSELoss, nn.BCELoss, nn.BCEWithLogitsLoss, nn.CrossEntropyLoss)


def _traceable(model, loss_fn):
    """A model of the library's layers and one of its losses: no Python control flow that a
    record would freeze."""
    return (all(type(module) in _LIBRARY_LAYERS for _, module in model.named_modules())
            and type(loss_fn) in _LIBRARY_LOSSES)


class _Snapshot:
    """A copy of the model's weights at a check, and where it was taken."""

    def __init__(self, model, epoch, iteration):
        self.state, self.epoch, self.iteration = model.state_dict(), epoch, iteration

    def restore(self, model):
        model.load_state_dict(self.state)

    def __str__(self):
        return "the start of training" if self.iteration == 0 else f"epoch {self.epoch}, iteration {self.iteration}"


def _weights_finite(model):
    return all(np.isfinite(p.data).all() for p in model.parameters())


def _diverged(model, finite, optimizer, history, epoch, iteration, loss_value):
    """The FloatingPointError that ends a diverging run, after giving the model back finite weights."""
    if loss_value is None:
        what = "the weights turned NaN or inf in an update (a gradient overflowed)"
    elif not _weights_finite(model):
        what = f"the loss is {loss_value}: the weights had turned NaN or inf in the update before it"
    else:
        largest = max(float(np.abs(p.data).max(initial=0)) for p in model.parameters())
        what = f"the loss turned {loss_value} while the weights were still finite (the largest |w| is {largest:.3g})"
    finite.restore(model)
    history.stopped_at = {"epoch": epoch, "iteration": iteration, "diverged": True}
    lr = getattr(optimizer, "lr", None)
    error = FloatingPointError(
        f"fit: training diverged at epoch {epoch}, iteration {iteration}: {what}. The model has been given back "
        f"the weights of {finite}, the last check at which everything was finite. Try a smaller learning rate"
        f"{f' than {lr:g}' if isinstance(lr, (int, float)) else ''}, or scale the inputs "
        f"(data.StandardScaler, data.MinMaxScaler).")
    error.history = history
    return error


def _restore_best(model, early_stopping, history, progress, bar):
    """Put back the best weights early stopping kept, and say so in one line."""
    restored = early_stopping.restore_best and early_stopping.best_state is not None
    if restored:
        model.load_state_dict(early_stopping.best_state)
    if history.stopped_early and progress:
        where = history.stopped_at
        why = (f"validation loss {early_stopping.last:.4g} ≤ eps {early_stopping.eps:g}" if early_stopping.reached
               else f"no improvement in {early_stopping.patience} checks")
        bar.write(f"fit: stopped early at epoch {where['epoch']}, iteration {where['iteration']}: {why}"
                  + ("; the best weights (validation loss " f"{early_stopping.best:.4g}) are restored" if restored
                     else ""))


def _check(model, loss_fn, train_loader, val_data, metrics, epoch, iteration, train_loss):
    model.eval()
    record = {"epoch": epoch, "iteration": iteration, "train_loss": train_loss}
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
