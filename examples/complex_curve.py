"""Course 9.5.2: fit the "cobra" curve with a 1-3-1 network, stopping at half-MSE 0.001.

The course's best setting: 3 sigmoid hidden units, η 0.5, batch 10, at most 10000
epochs, validation (the first 100 training rows) checked every 50 epochs, stopping
once its half-MSE is ≤ 0.001 (the weights of the best check are kept).
"""
import numpy as np

from tinygrad_edu import datasets, metrics, nn, optim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, fit

try:
    from ._common import figure_path, half_mse, parse_args, pyplot, report
except ImportError:  # run as a script
    from _common import figure_path, half_mse, parse_args, pyplot, report


def build(hidden=3, seed=0):
    return nn.Sequential(nn.Linear(1, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 1, seed=seed + 1))


def course_split(seed):
    (X, Y), test = datasets.complex_curve(seed=seed)
    return (X[100:], Y[100:]), (X[:100], Y[:100]), test


def run(quick=False, out="out", seed=0, progress=True):
    (X_train, Y_train), val, (X_test, Y_test) = course_split(seed)
    model = build(3, seed)
    loader = DataLoader(X_train, Y_train, batch_size=10, seed=seed)
    history = fit(model, half_mse, optim.SGD(model.parameters(), lr=0.5), loader,
                  epochs=600 if quick else 10000, val_data=val, check_every=50 * len(loader),
                  early_stopping=EarlyStopping(eps=0.001), progress=progress)
    r2 = metrics.r2_score(Y_test, model(X_test).data)
    stop = history["epoch"][-1] if history.stopped_early else None

    plt = pyplot()
    figure, (fit_ax, loss_ax) = plt.subplots(1, 2, figsize=(12, 4.5))
    grid = np.linspace(0, 1, 200).reshape(-1, 1)
    fit_ax.scatter(X_train, Y_train, s=4, alpha=0.4, label="training data")
    fit_ax.plot(grid, model(grid).data, "r", label=f"1-3-1 net (test R² {r2:.3f})")
    fit_ax.legend()
    loss_ax.plot(history["epoch"], history["train_loss"], label="train")
    loss_ax.plot(history["epoch"], history["val_loss"], "--", label="validation")
    loss_ax.axhline(0.001, color="gray", lw=0.8)
    loss_ax.set(xlabel="epoch", ylabel="half-MSE", yscale="log")
    loss_ax.legend()
    figure.savefig(figure_path(out, "complex_curve.png"), dpi=100)
    plt.close(figure)
    return report([
        ("complex curve, 1-3-1, η 0.5, bs 10: epochs to validation half-MSE ≤ 0.001", "4200",
         f"{stop}" if stop else f"not reached in {history['epoch'][-1]}"),
        ("complex curve, 1-3-1: test R²", "0.977", f"{r2:.3f}"),
    ])


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    return run(args.quick, args.out, args.seed, args.progress)


if __name__ == "__main__":
    main()
