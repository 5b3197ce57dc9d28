"""What every course example shares: its command line, where figures go, and its measurements."""
import argparse
import math
from pathlib import Path

import numpy as np

from tinygrad_edu import no_grad


def parse_args(description, argv):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a short run (smaller budgets) to check it works")
    parser.add_argument("--out", default="out", help="folder for figures (default: out/)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="hide the progress bar")
    return parser.parse_args(argv)


def example_main(run, doc):
    """The `main(argv)` of an example: its command line, then `run`."""
    def main(argv=None):
        args = parse_args(doc.splitlines()[0], argv)
        return run(args.quick, args.out, args.seed, args.progress)
    return main


def one_seed(run_seeds):
    """The `run(quick, out, seed, progress)` of an experiment whose seeds train side by side:
    its `run_seeds` on one seed."""
    def run(quick=False, out="out", seed=0, progress=True):
        return run_seeds(quick, {seed: out}, progress)[seed]
    return run


def figure_path(out, name):
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def pyplot():
    """matplotlib's pyplot, drawing to files only (the `plot` extra)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def plot_regression(path, X_train, Y_train, model, history, label, points=100, threshold=None):
    """The course's regression figure: the data and the net's curve, and the loss by epoch."""
    plt = pyplot()
    figure, (fit_ax, loss_ax) = plt.subplots(1, 2, figsize=(12, 4.5))
    grid = np.linspace(0, 1, points).reshape(-1, 1)
    fit_ax.scatter(X_train, Y_train, s=5, alpha=0.45, label="training data")
    with no_grad():
        fit_ax.plot(grid, model(grid).data, "r", label=label)
    fit_ax.set(xlabel="x", ylabel="y", title="the data and the network's curve")
    fit_ax.legend()
    loss_ax.plot(history["epoch"], history["train_loss"], label="train")
    loss_ax.plot(history["epoch"], history["val_loss"], "--", label="validation")
    if threshold is not None:
        loss_ax.axhline(threshold, color="gray", lw=0.8, label=f"the course's stop loss {threshold:g}")
    loss_ax.set(xlabel="epoch", ylabel="loss J = Σ(A − Y)² / 2m (half-MSE)", yscale="log",
                title="training and validation loss")
    loss_ax.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def report(measurements):
    """Print one seed's measurements and return them: the CLAIMS of the example read them.
    Curves kept for the figures (lists and dicts) are returned, not printed."""
    for key, value in measurements.items():
        if isinstance(value, (list, dict)):
            continue
        shown = " / ".join(map(_short, value)) if isinstance(value, tuple) else _short(value)
        print(f"  {key}: {shown}")
    return measurements


def _short(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def epochs_to_stop(history):
    """Epochs trained when the course's stop rule fired, or inf when it never did."""
    return history.stopped_at["epoch"] if history.stopped_early else math.inf


def epochs_by_seed(ax, labels, epochs_of_seed, course, max_epochs, title):
    """One dot per seed for each setting (its epochs to the stop loss; a dot on the top
    line never got there) beside the course's one run (a cross; None where the course
    states no number): the picture of what the claims table says, that the course's run
    is one draw among ours. `epochs_of_seed` is {seed: the epochs of each setting}."""
    seeds = sorted(epochs_of_seed)
    positions = np.arange(len(labels))
    for k, seed in enumerate(seeds):
        epochs = [min(e, max_epochs) for e in epochs_of_seed[seed]]
        offset = (k - (len(seeds) - 1) / 2) * 0.08
        ax.plot(positions + offset, epochs, "o", alpha=0.75, ms=5, zorder=3,
                label="ours, one dot per seed" if k == 0 else None)
    ax.plot(positions, [math.nan if e is None else min(e, max_epochs) for e in course], "x", color="k", ms=8, mew=2, label="the course (one run)")
    ax.axhline(max_epochs, color="r", lw=0.6, label=f"never reached in {max_epochs}")
    ax.set(xticks=positions, title=title)
    ax.set_xticklabels(labels, fontsize=8)
    ax.legend(fontsize=8)


def seeds_named(by_seed):
    """'seed 0' or 'seeds 0, 1, 2': which seeds a figure draws."""
    seeds = sorted(by_seed)
    return f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}"
