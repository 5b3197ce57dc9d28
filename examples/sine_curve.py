"""Course 9.5.1: fit y = sin(6.28x) with a 1-2-1 network (sigmoid hidden layer, linear output).

Trained like the course: half-MSE loss (dZ2 = Z2 − Y), plain SGD with η 0.05, batch 10,
5000 epochs, the first 50 training rows held out for validation. Then the same with a
1-1-1 network, which the course shows cannot bend enough to follow the sine.
"""
import tinygrad_edu as tg
from tinygrad_edu import datasets, metrics, nn, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import fit_stacked

try:
    from ._common import example_main, figure_path, one_seed, plot_regression, report
except ImportError:  # run as a script
    from _common import example_main, figure_path, one_seed, plot_regression, report

CLAIMS = [
    Claim("9.5.1", "a 1-2-1 net fits the sine: test R² ≥ 0.97 after 5000 epochs (η 0.05, bs 10)", "0.988",
          "r2_121", lambda r2: r2 >= 0.97,
          holds_for=(0.97, 0.99), fails_for=(0.969, 0.5),
          zh="1-2-1 网络能拟合正弦：5000 轮后测试 R² ≥ 0.97（η 0.05，bs 10）"),
    Claim("9.5.1", "a 1-1-1 net does not: test R² < 0.9, validation half-MSE stays ≥ 0.02", "R² 0.858, loss 0.0386",
          "r2_and_loss_111", lambda value: value[0] < 0.9 and value[1] >= 0.02,
          holds_for=((0.85, 0.03),), fails_for=((0.95, 0.03), (0.85, 0.01)),
          zh="1-1-1 网络不能：测试 R² < 0.9，验证集半均方误差停在 0.02 以上"),
]
FIGURES = {"sine_curve.png": "9.5.1 · the 1-2-1 net's curve over the training data (left) and its loss by epoch "
                             "(right): the validation loss falls, then flattens near the noise level."}


def build(hidden=2, seed=0):
    """X (m,1) → Z1 = X·W1 + B1 → A1 = Sigmoid(Z1) → Z2 = A1·W2 + B2 (identity output)."""
    return nn.Sequential(nn.Linear(1, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 1, seed=seed + 1))


def split(seed):
    """The seed's data as the course splits it: (train, validation, test); the first 50 rows validate."""
    (X, Y), test = datasets.sin_curve(seed=seed)
    return (X[50:], Y[50:]), (X[:50], Y[:50]), test


def train(hidden, quick, data, progress):
    """The 1-hidden-1 net on each seed's data, the seeds side by side (`fit_stacked`: each the
    same, bit for bit, as its own `fit`): {seed: (model, history)}."""
    models = {seed: build(hidden, seed) for seed in data}
    loaders = [DataLoader(*data[seed][0], batch_size=10, seed=seed) for seed in data]
    # --quick trains 400 epochs at η 0.5 instead of 5000 at the course's η 0.05.
    sgd = lambda p: optim.SGD(p, lr=0.5 if quick else 0.05)      # noqa: E731 - one optimizer for all the seeds
    histories = fit_stacked([(model, sgd) for model in models.values()], nn.HalfMSELoss(), loaders,
                            epochs=400 if quick else 5000, val_data=[data[seed][1] for seed in data],
                            metrics={"r2": metrics.r2_score}, check_every=50 * len(loaders[0]), progress=progress)
    return {seed: (models[seed], history) for seed, history in zip(models, histories)}


def run_seeds(quick, folders, progress=True):
    """Every seed side by side; each seed's weights and figure in its folder ({seed: folder})."""
    data = {seed: split(seed) for seed in folders}
    two_units, one_unit = train(2, quick, data, progress), train(1, quick, data, progress)
    measured = {}
    for seed, out in folders.items():
        (X_train, Y_train), _, (X_test, Y_test) = data[seed]
        model, history = two_units[seed]
        tg.save(model.state_dict(), figure_path(out, "sine_121.npz"))
        r2 = metrics.r2_score(Y_test, model(X_test).data)
        plot_regression(figure_path(out, "sine_curve.png"), X_train, Y_train, model, history,
                        f"1-2-1 net (test R² {r2:.3f})")
        one_unit_model, one_unit_history = one_unit[seed]
        one_unit_r2 = metrics.r2_score(Y_test, one_unit_model(X_test).data)
        print(f"seed {seed}:")
        measured[seed] = report({"r2_121": r2, "r2_and_loss_111": (one_unit_r2, one_unit_history["val_loss"][-1])})
    return measured


run = one_seed(run_seeds)


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
