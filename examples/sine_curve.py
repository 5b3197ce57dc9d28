"""Course 9.5.1: fit y = sin(6.28x) with a 1-2-1 network (sigmoid hidden layer, linear output).

Trained like the course: half-MSE loss (dZ2 = Z2 − Y), plain SGD with η 0.05, batch 10,
5000 epochs, the first 50 training rows held out for validation.
"""
import tinygrad_edu as tg
from tinygrad_edu import datasets, metrics, nn, optim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import fit

try:
    from ._common import example_main, figure_path, half_mse, plot_regression, report
except ImportError:  # run as a script
    from _common import example_main, figure_path, half_mse, plot_regression, report


def build(hidden=2, seed=0):
    """X (m,1) → Z1 = X·W1 + B1 → A1 = Sigmoid(Z1) → Z2 = A1·W2 + B2 (identity output)."""
    return nn.Sequential(nn.Linear(1, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 1, seed=seed + 1))


def run(quick=False, out="out", seed=0, progress=True):
    (X, Y), (X_test, Y_test) = datasets.sin_curve(seed=seed)
    (X_val, Y_val), (X_train, Y_train) = (X[:50], Y[:50]), (X[50:], Y[50:])   # the course: first 50 rows validate
    model = build(2, seed)
    loader = DataLoader(X_train, Y_train, batch_size=10, seed=seed)
    # --quick trains 400 epochs at η 0.5 instead of 5000 at the course's η 0.05.
    history = fit(model, half_mse, optim.SGD(model.parameters(), lr=0.5 if quick else 0.05), loader,
                  epochs=400 if quick else 5000, val_data=(X_val, Y_val), metrics={"r2": metrics.r2_score},
                  check_every=50 * len(loader), progress=progress)
    tg.save(model.state_dict(), figure_path(out, "sine_121.npz"))
    r2 = metrics.r2_score(Y_test, model(X_test).data)

    plot_regression(figure_path(out, "sine_curve.png"), X_train, Y_train, model, history,
                    f"1-2-1 net (test R² {r2:.3f})")
    return report([("sine curve, 1-2-1, η 0.05 (half-MSE), bs 10: test R²", "0.988", f"{r2:.3f}")])


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
