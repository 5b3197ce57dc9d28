"""Course 9.5.2: fit the "cobra" curve with a 1-3-1 network, stopping at half-MSE 0.001.

The course's best setting: 3 sigmoid hidden units, η 0.5, batch 10, at most 10000
epochs, validation (the first 100 training rows) checked every 50 epochs, stopping
once its half-MSE is ≤ 0.001 (the weights of the best check are kept).
"""
from tinygrad_edu import datasets, metrics, nn, optim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, fit

try:
    from ._common import example_main, figure_path, half_mse, plot_regression, report
except ImportError:  # run as a script
    from _common import example_main, figure_path, half_mse, plot_regression, report


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

    plot_regression(figure_path(out, "complex_curve.png"), X_train, Y_train, model, history,
                    f"1-3-1 net (test R² {r2:.3f})", points=200, threshold=0.001)
    return report([
        ("complex curve, 1-3-1, η 0.5, bs 10: epochs to validation half-MSE ≤ 0.001", "4200",
         f"{stop}" if stop else f"not reached in {history['epoch'][-1]}"),
        ("complex curve, 1-3-1: test R²", "0.977", f"{r2:.3f}"),
    ])


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
