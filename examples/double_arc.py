"""Course 10.5: separate two sine arcs with a 2-2-1 network (logistic output + binary cross-entropy).

η 0.1, batch 5, validation (40 samples) checked every 5 epochs, stopping once the
BCE is ≤ 0.08. X is scaled to [0, 1] with a min-max scaler fitted on the training set.
The output layer gives the logit Z2; the loss fuses the logistic, so dZ2 = A2 − Y.
"""
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import datasets, metrics, nn, no_grad, optim
from tinygrad_edu.data import DataLoader, MinMaxScaler
from tinygrad_edu.train import EarlyStopping, fit

try:
    from ._common import example_main, figure_path, pyplot, report
except ImportError:  # run as a script
    from _common import example_main, figure_path, pyplot, report


def logit_accuracy(Y, Z):
    """Share of samples on the right side of the boundary Z = 0 (A = 0.5)."""
    return metrics.accuracy(Y, Z > 0)


def build(hidden=2, seed=0):
    return nn.Sequential(nn.Linear(2, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 1, seed=seed + 1))


def run(quick=False, out="out", seed=0, progress=True):
    (X, Y), (X_test, Y_test) = datasets.arc(seed=seed)
    scaler = MinMaxScaler().fit(X[40:])
    X, X_test = scaler.transform(X), scaler.transform(X_test)
    val, (X_train, Y_train) = (X[:40], Y[:40]), (X[40:], Y[40:])
    model = build(2, seed)
    loader = DataLoader(X_train, Y_train, batch_size=5, seed=seed)
    history = fit(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.1), loader,
                  epochs=600 if quick else 10000, val_data=val, metrics={"accuracy": logit_accuracy},
                  check_every=5 * len(loader), early_stopping=EarlyStopping(eps=0.08), progress=progress)
    with no_grad():
        test_accuracy = logit_accuracy(Y_test, model(X_test).data)

    plt = pyplot()
    figure, ax = plt.subplots(figsize=(6, 5))
    u, v = np.meshgrid(np.linspace(0, 1, 100), np.linspace(0, 1, 100))
    with no_grad():
        probability = F.sigmoid(model(np.stack([u.ravel(), v.ravel()], axis=1))).data.reshape(u.shape)
    ax.contourf(u, v, probability, levels=20, cmap="coolwarm", alpha=0.6)
    ax.contour(u, v, probability, levels=[0.5], colors="k")
    ax.scatter(*X_test.T, c=Y_test.ravel(), cmap="coolwarm", edgecolors="k", s=18)
    ax.set_title(f"double arc, 2-2-1: test accuracy {test_accuracy:.2f}")
    figure.savefig(figure_path(out, "double_arc.png"), dpi=100)
    plt.close(figure)
    stop = history["epoch"][-1] if history.stopped_early else f"not reached in {history['epoch'][-1]}"
    return report([("double arc, 2-2-1, η 0.1, bs 5: epochs to validation BCE ≤ 0.08", "260", f"{stop}"),
                   ("double arc, 2-2-1: test accuracy", "1.00", f"{test_accuracy:.2f}")])


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
