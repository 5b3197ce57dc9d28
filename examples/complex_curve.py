"""Course 9.5.2: fit the "cobra" curve with a 1-3-1 network, stopping at half-MSE 0.001.

The course's best setting: 3 sigmoid hidden units, η 0.5, batch 10, at most 10000
epochs, validation (the first 100 training rows) checked every 50 epochs, stopping
once its half-MSE is ≤ 0.001 (the weights of the best check are kept).
"""
import math

from tinygrad_edu import datasets, metrics, nn, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, fit_stacked

try:
    from ._common import epochs_to_stop, example_main, figure_path, one_seed, plot_regression, report
except ImportError:  # run as a script
    from _common import epochs_to_stop, example_main, figure_path, one_seed, plot_regression, report

CLAIMS = [
    Claim("9.5.2", "a 1-3-1 net (η 0.5, bs 10) reaches validation half-MSE 0.001 near epoch 4200 (2100–8400)",
          "4200", "epochs", lambda epochs: 2100 <= epochs <= 8400,
          holds_for=(2100, 4200, 8400), fails_for=(2050, 8450, math.inf), fmt="{:.0f}",
          zh="1-3-1 网络（η 0.5，bs 10）在第 4200 轮左右（2100–8400）使验证集半均方误差降到 0.001"),
    Claim("9.5.2", "the 1-3-1 net's test R² ≥ 0.95", "0.977", "test_r2", lambda r2: r2 >= 0.95,
          holds_for=(0.95, 0.99), fails_for=(0.94,),
          zh="1-3-1 网络的测试 R² ≥ 0.95"),
]
FIGURES = {"complex_curve.png": "9.5.2 · the 1-3-1 net's curve over the cobra-shaped data (left) and its loss by "
                                "epoch (right): the long plateau, then the drop to the course's stop line."}


def build(hidden=3, seed=0):
    return nn.Sequential(nn.Linear(1, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 1, seed=seed + 1))


def course_split(seed):
    (X, Y), test = datasets.complex_curve(seed=seed)
    return (X[100:], Y[100:]), (X[:100], Y[:100]), test


def run_seeds(quick, folders, progress=True):
    """The course's run on the complex curve, checked every 50 epochs and stopped at half-MSE
    0.001, on every seed side by side (`fit_stacked`: each the same, bit for bit, as its own
    `fit`); each seed's figure in its folder ({seed: folder})."""
    data = {seed: course_split(seed) for seed in folders}
    models = {seed: build(3, seed) for seed in folders}
    loaders = [DataLoader(*data[seed][0], batch_size=10, seed=seed) for seed in folders]
    sgd = lambda p: optim.SGD(p, lr=0.5)             # noqa: E731 - one optimizer for all the seeds
    histories = fit_stacked([(model, sgd) for model in models.values()], nn.HalfMSELoss(), loaders,
                            epochs=600 if quick else 10000, val_data=[data[seed][1] for seed in folders],
                            check_every=50 * len(loaders[0]), early_stopping=EarlyStopping(eps=0.001),
                            progress=progress)
    measured = {}
    for (seed, out), history in zip(folders.items(), histories):
        (X_train, Y_train), _, (X_test, Y_test) = data[seed]
        r2 = metrics.r2_score(Y_test, models[seed](X_test).data)
        plot_regression(figure_path(out, "complex_curve.png"), X_train, Y_train, models[seed], history,
                        f"1-3-1 net (test R² {r2:.3f})", points=200, threshold=0.001)
        print(f"seed {seed}:")
        measured[seed] = report({"epochs": epochs_to_stop(history), "test_r2": r2})
    return measured


run = one_seed(run_seeds)


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
