"""The training loop of the course (forward, backward, update; check every N iterations)."""
import copy
import csv
import math

import numpy as np

from . import nn
from .data.loader import DataLoader, check_finite
from .engine import Tensor, _add_to_leaf, no_grad
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
    _check_validation_data("fit", val_data, early_stopping)
    if early_stopping is not None:
        early_stopping.start()
    history = History()
    # The tensors whose .grad a step fills: the model's, and any other the optimizer updates.
    parameters = list(dict.fromkeys(model.parameters() + [p for group in optimizer.param_groups
                                                           for p in group["params"]]))
    step = _Step(lambda x, y: loss_fn(model(x), y), trace or (trace is None and _traceable(model, loss_fn)),
                 parameters)
    seed = {}                                              # d(loss)/d(loss) = 1, by the loss's dtype
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
                    loss = step.forward(x, y)
                    if loss.size != 1:
                        raise ValueError(f"fit: the loss has shape {loss.shape}, one value per sample; fit needs "
                                         f"one number: pass reduction=\"mean\" (or \"sum\") to the loss")
                    loss_value = loss.item()
                    if not math.isfinite(loss_value):
                        raise _diverged(model, finite, optimizer, history, epoch, iteration, loss_value)
                    if loss.dtype not in seed:
                        seed[loss.dtype] = np.ones((), loss.dtype)
                    dz = seed[loss.dtype].reshape(loss.shape)
                    grads = step.gradients(dz)
                    for p, g in zip(parameters, grads):
                        if g is not None:
                            _add_to_leaf(p, g, dz, grads)       # as backward would: no two .grad share memory
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


def _check_validation_data(where, val_data, early_stopping):
    """Validation data holding NaN or inf, or early stopping without validation data, refused."""
    if val_data is not None:
        check_finite(where, "the validation X", np.asarray(val_data[0]))
        check_finite(where, "the validation Y", np.asarray(val_data[1]))
    elif early_stopping is not None:
        raise ValueError(f"{where}: early_stopping needs val_data")


def fit_stacked(runs, loss_fn, train_loader, *, epochs, val_data=None, metrics=(), early_stopping=None,
                progress=True, check_every=None, trace=True):
    """Train several nets of one shape side by side, as one stacked net; one History per run.

    `runs` is a list of (model, make_optimizer): nets of one shape (`nn.stack`), each with
    the function that makes its optimizer from parameters (`lambda p: optim.SGD(p, lr=0.1)`).
    Runs given the same function share one optimizer, made over their slice of the stack:
    every rule in `optim` updates each weight from its own gradient and state alone, so each
    run's update is still its own, and the rule's numpy calls are paid once for all its runs.
    `train_loader` is one DataLoader whose batches every run takes, or a list with one per
    run (of the same sizes); `val_data` is likewise one (X, Y) or one per run. `trace`:
    run each step through `tinygrad_edu.trace` (the numbers are the same either way).

    Each step is one forward and one backward of the stacked net, where numpy's per-call
    cost is paid once for all the runs. Each run's loss is its own mean over its batch, so
    each run's gradients, updates, checks, History and final weights are those of
    `fit(model, loss_fn, make_optimizer(model.parameters()), loader, ...)` alone, bit for
    bit, when that loader gives the same batches (the same data, batch size and seed).
    Early stopping is judged for each run; a run that stops leaves the stack (its weights
    are its own again, its best restored as `fit` does) and the others go on. Where `fit`
    raises a FloatingPointError, the run stops with the weights of its last finite check and
    its History says `stopped_at["diverged"]`.
    """
    runs = list(runs)
    for model, make in runs:
        if not callable(make):
            raise TypeError(f"fit_stacked: each run is (model, make_optimizer), with a function that makes the "
                            f"optimizer from parameters (lambda p: optim.SGD(p, lr=0.1)), got {type(make).__name__}")
    if getattr(loss_fn, "reduction", None) != "mean" or any(w is not None for w in loss_fn.weights.values()):
        raise ValueError(f"fit_stacked: the loss must be one of the library's losses with reduction='mean' and no "
                         f"weights (each run's mean over its batch), got {loss_fn!r}")
    loaders, val_sets = _one_per_run("train_loader", train_loader, runs), _one_per_run("val_data", val_data, runs)
    for loader in loaders:
        if not isinstance(loader, DataLoader):
            raise TypeError(f"fit_stacked: train_loader must be a DataLoader or a list of them, got "
                            f"{type(loader).__name__}")
    for val in val_sets:
        _check_validation_data("fit_stacked", val, early_stopping)
    sizes = {(len(loader.X), loader.batch_size, loader.drop_last) for loader in loaders}
    if len(sizes) > 1:
        raise ValueError(f"fit_stacked: the loaders give batches of other sizes (samples, batch size, drop_last: "
                         f"{', '.join(map(str, sorted(sizes)))}); every run must take batches of the same sizes")
    # The stack holds the runs of one optimizer next to each other, so that each optimizer
    # updates one slice: `order` lists the runs as the stack holds them.
    makers = list(dict.fromkeys(make for _, make in runs))
    order = sorted(range(len(runs)), key=lambda k: makers.index(runs[k][1]))
    models = [model for model, _ in runs]
    stacked = nn.stack([models[k] for k in order])
    parameters = stacked.parameters()
    grads = [np.zeros_like(p.data) for p in parameters]      # the step's gradients, kept for the optimizers
    optimizers = []                                           # (optimizer, the runs it updates)
    for make in makers:
        its_runs = [k for k in order if runs[k][1] is make]
        start, stop = order.index(its_runs[0]), order.index(its_runs[-1]) + 1
        optimizers.append((make([_slice(p, g, start, stop) for p, g in zip(parameters, grads)]), its_runs))
    per_sample = copy.copy(loss_fn)
    object.__setattr__(per_sample, "reduction", "none")

    def each_sample_loss(x, targets):
        output = stacked(x)                                  # (runs, m, n)
        return per_sample(output.reshape(-1, output.shape[-1]), targets)    # the runs' samples one after another

    step = _Step(each_sample_loss, trace, parameters)
    batches = _Batches(loaders, order)
    states = [_Run(model, copy.deepcopy(early_stopping), loader, val)
              for model, loader, val in zip(models, loaders, val_sets)]
    in_stack = [states[k] for k in order]
    loss_sums, sample_count = np.zeros(len(runs)), 0          # each run's loss × samples since the last check
    working = optimizers                                      # the optimizers that have a run still training
    metrics = _named(metrics)
    bar = _progress_bar(epochs, progress)
    iteration, upstream = 0, {}
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, epochs + 1):
                for x, target, batch_size in batches:
                    iteration += 1
                    losses = step.forward(x, target)
                    if losses.shape not in upstream:              # d(each run's mean)/d(its losses) = 1/m
                        upstream[losses.shape] = np.ones(losses.shape, losses.dtype) / batch_size
                    run_losses = losses.reshape(len(runs), -1).sum(axis=1) / batch_size
                    if not np.isfinite(run_losses).all():         # fit's check of the loss, before the update
                        for run, loss_value in zip(in_stack, run_losses):
                            if run.active and not math.isfinite(loss_value):
                                run.diverge(epoch, iteration)
                        working = _still_training(optimizers, states)
                    for stacked_grad, g in zip(grads, step.gradients(upstream[losses.shape])):
                        np.copyto(stacked_grad, g)
                    for optimizer, _ in working:
                        optimizer.step()
                    loss_sums += run_losses.astype(np.float64, copy=False) * batch_size    # as fit sums its floats
                    sample_count += batch_size
                    last_of_epoch = iteration % len(loaders[0]) == 0
                    if (check_every and iteration % check_every == 0) or (not check_every and last_of_epoch):
                        for run, loss_sum in zip(in_stack, loss_sums):
                            if run.active:
                                run.check(loss_fn, metrics, epoch, iteration, loss_sum / sample_count, progress, bar)
                        loss_sums[:], sample_count = 0.0, 0
                        working = _still_training(optimizers, states)
                    if not working:
                        return [run.history for run in states]
                bar.update(1)
        for run in states:
            if run.active:
                run.end(epochs, iteration, progress, bar)
        return [run.history for run in states]
    finally:
        for run in states:
            run.leave_stack()
        bar.close()


class _Step:
    """The training step's forward and backward on the parameters: by the record of a traced
    step, run on arrays (`Traced.forward`: no graph built, no `.grad` touched), else through
    the engine. The numbers are the same either way."""

    def __init__(self, fn, traced, parameters):
        self.fn, self.traced, self.parameters = Traced(fn) if traced else fn, traced, parameters
        self.last = None

    def forward(self, x, y):
        """The loss, an array (one value, or one per sample)."""
        self.last = self.fn.forward(x, y) if self.traced else self.fn(x, y)
        return self.last.output if self.traced else self.last.data

    def gradients(self, dz):
        """Each parameter's gradient from dz, the loss's gradient (None for one it did not reach)."""
        if self.traced:
            return self.last.gradients(dz, self.parameters)
        self.last.backward(dz)
        grads = [p.grad for p in self.parameters]
        for p in self.parameters:
            p.grad = None
        return grads


def _still_training(optimizers, states):
    """The (optimizer, its runs) that have a run still training."""
    return [(optimizer, its_runs) for optimizer, its_runs in optimizers if any(states[k].active for k in its_runs)]


def _one_per_run(name, given, runs):
    """`given` for each run: a list of one per run, or the one given, for every run."""
    if not isinstance(given, list):
        return [given] * len(runs)
    if len(given) != len(runs):
        raise ValueError(f"fit_stacked: {name} is a list of {len(given)} for {len(runs)} runs; give one per run, "
                         f"or one for all")
    return given


def _slice(parameter, grad, start, stop):
    """Runs start…stop−1 of a stacked parameter, as a parameter an optimizer updates in place;
    its `.grad` is the same slice of the step's gradient."""
    part = Tensor._wrap(parameter.data[start:stop])
    part.requires_grad, part.grad = True, grad[start:stop]
    return part


class _Batches:
    """Each step's X for the stack and every run's targets one after the other, from the runs'
    loaders in the stack's `order`. X is shared, (m, in), when every run takes the batches of
    one loader, else (runs, m, in): each run's rows of its own loader's data, gathered for all
    runs by one index per step from each loader's order for the epoch (`epoch_order`), so
    every run's batches are those its loader gives alone."""

    def __init__(self, loaders, order):
        self.loaders = list(dict.fromkeys(loaders))
        self.runs, self.size, self.steps = len(order), loaders[0].batch_size, len(loaders[0])
        self.loader_of_run = [self.loaders.index(loaders[k]) for k in order]
        if len(self.loaders) > 1:
            # Each distinct data array once (loaders may share one): X and Y with a leading data axis.
            arrays = list({id(loader.X): (loader.X, loader.Y) for loader in self.loaders}.values())
            data_of = {id(X): i for i, (X, _) in enumerate(arrays)}
            self.X = np.stack([X for X, _ in arrays]) if len(arrays) > 1 else arrays[0][0][np.newaxis]
            self.Y = np.stack([Y for _, Y in arrays]) if len(arrays) > 1 else arrays[0][1][np.newaxis]
            self.data_of_run = np.array([[data_of[id(loaders[k].X)]] for k in order])     # (runs, 1)

    def __iter__(self):
        if len(self.loaders) == 1:
            for x, y in self.loaders[0]:
                yield x, Tensor._wrap(np.concatenate([y.data] * self.runs)), len(x)
            return
        in_order = np.arange(len(self.loaders[0].X))
        orders = [loader.epoch_order() for loader in self.loaders]
        rows = np.stack([in_order if orders[i] is None else orders[i] for i in self.loader_of_run])   # (runs, n)
        for start in range(0, self.steps * self.size, self.size):
            taken = rows[:, start:start + self.size]
            x, y = self.X[self.data_of_run, taken], self.Y[self.data_of_run, taken]
            yield Tensor._wrap(x), Tensor._wrap(y.reshape((-1,) + y.shape[2:])), taken.shape[1]


class _Run:
    """One run of `fit_stacked`: its model (a view of its slice of the stack while it trains),
    early stopping, data and History."""

    def __init__(self, model, early_stopping, loader, val_data):
        self.model, self.early_stopping, self.loader, self.val_data = model, early_stopping, loader, val_data
        if early_stopping is not None:
            early_stopping.start()
        self.history, self.active = History(), True
        self.finite = _Snapshot(model, epoch=0, iteration=0)

    def check(self, loss_fn, metrics, epoch, iteration, train_loss, progress, bar):
        """`fit`'s check, for this run alone."""
        if not _weights_finite(self.model):
            return self.diverge(epoch, iteration)
        record = _check(self.model, loss_fn, self.loader, self.val_data, metrics, epoch, iteration, train_loss)
        self.history.records.append(record)
        self.finite = _Snapshot(self.model, epoch, iteration)
        if self.early_stopping is not None and self.early_stopping.should_stop(record["val_loss"], self.model):
            self.history.stopped_early = True
            self.history.stopped_at = {"epoch": epoch, "iteration": iteration}
            self._stop()
            _restore_best(self.model, self.early_stopping, self.history, progress, bar)

    def end(self, epochs, iteration, progress, bar):
        self.history.stopped_at = {"epoch": epochs, "iteration": iteration}
        self._stop()
        if self.early_stopping is not None:
            _restore_best(self.model, self.early_stopping, self.history, progress, bar)

    def diverge(self, epoch, iteration):
        self._stop()
        self.finite.restore(self.model)
        self.history.stopped_at = {"epoch": epoch, "iteration": iteration, "diverged": True}

    def _stop(self):
        self.leave_stack()
        self.active = False

    def leave_stack(self):
        """Give the model arrays of its own, so that the stack's later updates never reach it."""
        for p in self.model.parameters():
            if p.data.base is not None:
                p.data = p.data.copy()


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
