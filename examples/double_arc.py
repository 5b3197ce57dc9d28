"""Course 10.5: separate two sine arcs with a 2-2-1 network (logistic output + binary cross-entropy).

The recipe is the course's `Level3_DoubleArcClassifier.py` (ch10, `NeuralNet_2_1`):
η 0.1, batch 5, validation (40 samples) checked every 5 epochs, stopping once the
BCE is ≤ 0.08. X is scaled to [0, 1] with a min-max scaler fitted on the training set.
The output layer gives the logit Z2; the loss fuses the logistic, so dZ2 = A2 − Y.
Then 10.6: 600 epochs with the stop loss at 0.01, after which the hidden layer has
warped the plane so that one straight line in A1 space separates the classes.
"""
import math

import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import datasets, metrics, nn, no_grad, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader, MinMaxScaler
from tinygrad_edu.train import EarlyStopping, fit

try:
    from ._common import epochs_to_stop, example_main, figure_path, pyplot, report
except ImportError:  # run as a script
    from _common import epochs_to_stop, example_main, figure_path, pyplot, report

CLAIMS = [
    Claim("10.5", "the double arc on a 2-2-1 net (η 0.1, bs 5) reaches validation BCE 0.08 near epoch 260 (130–520)",
          "260", "epochs", lambda epochs: 130 <= epochs <= 520,
          holds_for=(130, 260, 520), fails_for=(120, 530, math.inf), fmt="{:.0f}",
          zh="双弧形：2-2-1 网络（η 0.1，bs 5）在第 260 轮左右（130–520）使验证集交叉熵降到 0.08"),
    Claim("10.5", "the loss sits on a plateau, then drops suddenly: from 3/4 of the plateau's level to the stop loss "
                  "within 100 epochs, less time than it sat on the plateau", "breakthrough near epoch 200, "
          "converged about 50 epochs later", "plateau / drop epochs",
          lambda e: e[1] <= 100 and e[0] >= e[1],
          holds_for=((200, 50), (100, 100)), fails_for=((300, 110), (40, 50), (math.inf, math.inf)), fmt="{:.0f}",
          why="epochs on the plateau / in the drop, seed by seed: {values}.",
          zh="损失先停在平台上，然后突然下降：从平台水平的 3/4 降到停止损失用时不超过 100 轮，且短于在平台上停留的时间",
          why_zh="各种子在平台上 / 下降中的轮数：{values}。"),
    Claim("10.5", "then the test accuracy is 1.00 (at most 1 of 100 wrong)", "1.00", "test accuracy",
          lambda accuracy: accuracy >= 0.99,
          holds_for=(0.99, 1.0), fails_for=(0.98,), fmt="{:.2f}",
          zh="此时测试准确率为 1.00（100 个样本中至多错 1 个）"),
    Claim("10.6", "after 600 epochs the classes are linearly separable in A1 space: every training point is right",
          "separable after 600 epochs (figures)", "train accuracy after 600", lambda accuracy: accuracy == 1.0,
          holds_for=(1.0,), fails_for=(0.9975,),
          fmt="{:.3f}",
          zh="训练 600 轮后两类在 A1 空间中线性可分：所有训练样本都分对"),
]
FIGURES = {"double_arc.png": "10.5 · the probability the 2-2-1 net gives the upper arc, the decision boundary "
                             "(black) and the test points: one bent line separates the arcs."}


def plateau_and_drop(history):
    """(epochs before the drop, epochs of the drop): the drop starts at the last check whose
    validation loss is above 3/4 of the plateau (the median loss of the run's checks) and ends
    at the stop. (inf, inf) when the run never stopped."""
    if not history.stopped_early:
        return math.inf, math.inf
    losses, epochs = np.array(history["val_loss"]), np.array(history["epoch"])
    start = epochs[np.flatnonzero(losses > 0.75 * np.median(losses))[-1]]
    return float(start), float(epochs[-1] - start)


def logit_accuracy(Y, Z):
    """Share of samples on the right side of the boundary Z = 0 (A = 0.5), as `fit` reads the logits."""
    return metrics.accuracy(Y, nn.BCEWithLogitsLoss.labels(Z))


def build(hidden=2, seed=0):
    return nn.Sequential(nn.Linear(2, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 1, seed=seed + 1))


def train(train_data, val, eps, max_epochs, seed, progress):
    model = build(2, seed)
    loader = DataLoader(*train_data, batch_size=5, seed=seed)
    history = fit(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.1), loader,
                  epochs=max_epochs, val_data=val, metrics={"accuracy": metrics.accuracy},
                  check_every=5 * len(loader), early_stopping=EarlyStopping(eps=eps), progress=progress)
    return model, history


def run(quick=False, out="out", seed=0, progress=True):
    (X, Y), (X_test, Y_test) = datasets.arc(seed=seed)
    scaler = MinMaxScaler().fit(X[40:])
    X, X_test = scaler.transform(X), scaler.transform(X_test)
    val, (X_train, Y_train) = (X[:40], Y[:40]), (X[40:], Y[40:])
    model, history = train((X_train, Y_train), val, 0.08, 600 if quick else 10000, seed, progress)
    with no_grad():
        test_accuracy = logit_accuracy(Y_test, model(X_test).data)
    warped, _ = train((X_train, Y_train), val, 0.01, 100 if quick else 600, seed, progress)
    with no_grad():
        separated = logit_accuracy(Y_train, warped(X_train).data)

    plt = pyplot()
    figure, ax = plt.subplots(figsize=(6, 5))
    u, v = np.meshgrid(np.linspace(0, 1, 100), np.linspace(0, 1, 100))
    with no_grad():
        probability = F.sigmoid(model(np.stack([u.ravel(), v.ravel()], axis=1))).data.reshape(u.shape)
    ax.contourf(u, v, probability, levels=20, cmap="coolwarm", alpha=0.6)
    ax.contour(u, v, probability, levels=[0.5], colors="k")
    for label, colour, name in ((0, "#3b4cc0", "test points, lower arc (Y = 0)"), (1, "#b40426", "upper arc (Y = 1)")):
        ax.scatter(*X_test[Y_test.ravel() == label].T, color=colour, edgecolors="k", s=18, label=name)
    ax.legend(loc="lower center", fontsize=8, framealpha=0.9)
    ax.set(xlabel="x1 (min-max scaled)", ylabel="x2 (min-max scaled)",
           title=f"double arc, 2-2-1: P(upper arc) and the test points (accuracy {test_accuracy:.2f})")
    ax.title.set_fontsize(10)
    figure.savefig(figure_path(out, "double_arc.png"), dpi=100)
    plt.close(figure)
    return report({"epochs": epochs_to_stop(history), "plateau / drop epochs": plateau_and_drop(history),
                   "test accuracy": test_accuracy,
                   "train accuracy after 600": separated})


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
