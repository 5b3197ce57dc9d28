"""Course 11.1: three classes in the plane with a 2-3-3 network (softmax + cross-entropy).

The recipe is the course's `Level1_BankClassifier.py` (ch11, `NeuralNet_2_2`): the 1000
training points min-max scaled, shuffled, 100 held out for validation; Xavier init,
η 0.1, batch 10, 5000 epochs, validation checked every 100 epochs against the stop loss
0.1. Class 0 fills a centre square, class 1 the ring inside a circle, class 2 the
corners. The output layer gives logits Z2 and the loss fuses the softmax, so dZ2 = A2 − Y.
3 hidden units are only just enough, so a run lands well or badly with its start: the
demo runs it on at least 5 seeds.
"""
import numpy as np

from tinygrad_edu import datasets, metrics, nn, no_grad, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader, MinMaxScaler
from tinygrad_edu.train import EarlyStopping, fit_stacked

try:
    from ._common import example_main, figure_path, one_seed, pyplot, report
except ImportError:  # run as a script
    from _common import example_main, figure_path, one_seed, pyplot, report


CLAIMS = [
    Claim("11.1", "a 2-3-3 net (η 0.1, bs 10, 5000 epochs) classifies the plane: test accuracy ≥ 0.93", "0.952",
          "test accuracy", lambda accuracy: accuracy >= 0.93,
          holds_for=(0.93, 0.952), fails_for=(0.92, 0.602),
          why="test accuracy seed by seed: {values}; the hidden layer is only just big enough, and a start that "
              "never learns the centre square ends far below the others.",
          zh="2-3-3 网络（η 0.1，bs 10，5000 轮）能划分平面：测试准确率 ≥ 0.93",
          why_zh="各种子的测试准确率：{values}；隐层刚刚够大，没有学会中心正方形的初始化，结果远低于其他种子。"),
]
FIGURES = {"three_class.png": "11.1 · the class the 2-3-3 net predicts at each point of the plane (light) and the "
                              "test points (dark): a point on another colour is a mistake; the corners of the "
                              "centre square are the hard part."}

# (point colour, region colour, what the class is) for classes 0, 1, 2
CLASSES = [("#1f5fd1", "#cddcf7", "centre square"), ("#d9730d", "#fbe0c4", "ring"),
           ("#2a8a3e", "#cfeccf", "corners")]


def build(hidden=3, seed=0):
    return nn.Sequential(nn.Linear(2, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 3, seed=seed + 1))


def course_data(seed):
    """The course's data as its scripts read it: min-max scaled, the first 100 training points for validation."""
    (X, y), (X_test, y_test) = datasets.multiclass(seed=seed)
    scaler = MinMaxScaler().fit(X[100:])
    X, X_test = scaler.transform(X), scaler.transform(X_test)
    return (X[100:], y[100:]), (X[:100], y[:100]), (X_test, y_test)


def train(hidden, epochs, data_by_seed, progress, eps):
    """η 0.1, batch 10, validation checked every 100 epochs, stopped at `eps`: {seed: (model,
    history)} for the 2-hidden-3 net on each seed's data, the seeds trained side by side
    (`fit_stacked`: each run the same, bit for bit, as its own `fit`)."""
    models = {seed: build(hidden, seed) for seed in data_by_seed}
    loaders = [DataLoader(*data[0], batch_size=10, seed=seed) for seed, data in data_by_seed.items()]
    sgd = lambda p: optim.SGD(p, lr=0.1)             # noqa: E731 - one optimizer for all the seeds
    histories = fit_stacked([(model, sgd) for model in models.values()], nn.CrossEntropyLoss(), loaders,
                            epochs=epochs, val_data=[data[1] for data in data_by_seed.values()],
                            check_every=100 * len(loaders[0]), progress=progress,
                            early_stopping=EarlyStopping(eps=eps, restore_best=False))
    return {seed: (models[seed], history) for seed, history in zip(models, histories)}


def test_accuracy(model, data):
    X_test, y_test = data[2]
    with no_grad():
        return metrics.accuracy(y_test, model(X_test).data)


def run_seeds(quick, folders, progress=True):
    """Every seed side by side; each seed's figure in its folder ({seed: folder})."""
    data = {seed: course_data(seed) for seed in folders}
    trained = train(3, 300 if quick else 5000, data, progress, eps=0.1)
    return {seed: draw(trained[seed][0], data[seed], folders[seed], seed) for seed in folders}


def draw(model, data, out, seed):
    """One seed's figure of the regions the net predicts, and its test accuracy."""
    X_test, y_test = data[2]
    accuracy = test_accuracy(model, data)

    plt = pyplot()
    from matplotlib.colors import ListedColormap
    figure, ax = plt.subplots(figsize=(6.4, 5.4))
    u, v = np.meshgrid(np.linspace(0, 1, 150), np.linspace(0, 1, 150))
    with no_grad():
        regions = model(np.stack([u.ravel(), v.ravel()], axis=1)).data.argmax(axis=1).reshape(u.shape)
    # Each class one hue: its region light, its points dark, so a point off its colour is a mistake.
    ax.contourf(u, v, regions, levels=[-0.5, 0.5, 1.5, 2.5], cmap=ListedColormap([light for _, light, _ in CLASSES]))
    for label, (dark, _, name) in enumerate(CLASSES):
        ax.scatter(*X_test[y_test == label].T, color=dark, s=9, label=f"class {label}: {name}")
    ax.set(xlabel="x1 (min-max scaled)", ylabel="x2 (min-max scaled)",
           title=f"2-3-3 network: the regions it predicts and the test points (accuracy {accuracy:.3f})")
    ax.title.set_fontsize(10)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    figure.tight_layout()
    figure.savefig(figure_path(out, "three_class.png"), dpi=100)
    plt.close(figure)
    print(f"seed {seed}:")
    return report({"test accuracy": accuracy})


run = one_seed(run_seeds)


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
