"""Course 12.3: the learning rate and the batch size.

1. LR range test (12.3.2, after Smith): train the 1-3-1 complex-curve net while raising
   η step by step (10 iterations per value, from 1e-4 to 1.1); after each value, measure
   the half-MSE on the whole training set; plot it against log10 η. Where the loss first
   jumps to 1.5× its lowest value so far it has turned up: the best initial η is the one
   with the lowest loss before that point.
2. η × batch size (12.3.4) on MNIST-format images: a short run for each pair; the
   course finds that a larger batch wants a larger η.
"""
import numpy as np

from tinygrad_edu import metrics, nn, no_grad, optim
from tinygrad_edu.data import DataLoader

try:
    from . import complex_curve, mnist
    from ._common import example_main, figure_path, half_mse, pyplot, report
except ImportError:  # run as a script
    import complex_curve
    import mnist
    from _common import example_main, figure_path, half_mse, pyplot, report


def lr_schedule():
    """The course's segments: 1e-4…9e-4, 1e-3…9e-3, 0.01…0.09, 0.1…0.9, then 1.0…1.1 by 0.01."""
    decades = [k * 10.0 ** e for e in (-4, -3, -2, -1) for k in range(1, 10)]
    return decades + [1.0 + 0.01 * k for k in range(11)]


def lr_range_test(seed, iterations_per_lr=10):
    (X, Y), _, _ = complex_curve.course_split(seed)
    model = complex_curve.build(3, seed)
    opt = optim.SGD(model.parameters(), lr=1e-4)
    batches = iter(())
    loader = DataLoader(X, Y, batch_size=10, seed=seed)
    rates, losses = [], []
    for lr in lr_schedule():
        opt.lr = lr
        for _ in range(iterations_per_lr):
            x, y = next(batches, (None, None))
            if x is None:
                batches = iter(loader)
                x, y = next(batches)
            opt.zero_grad()
            half_mse(model(x), y).backward()
            opt.step()
        with no_grad():
            losses.append(half_mse(model(X), Y).item())
        rates.append(lr)
    return np.array(rates), np.array(losses)


def turning_point(losses, jump=1.5):
    """Index of the first loss above `jump` × the lowest loss before it (len(losses) if none)."""
    lowest = np.minimum.accumulate(losses)
    above = np.flatnonzero(losses[1:] > jump * lowest[:-1])
    return above[0] + 1 if above.size else len(losses)


def batch_size_grid(seed, quick, progress):
    kind, (X, y), _, (X_test, y_test) = mnist.load(seed)
    X, y = X[:3000 if quick else 12000], y[:3000 if quick else 12000]
    etas, sizes = (0.1, 0.3, 0.5, 0.7), (16, 32, 128)
    accuracy = {}
    for size in sizes:
        for eta in etas:
            model = mnist.build(seed)
            opt = optim.SGD(model.parameters(), lr=eta)
            loss_fn = nn.CrossEntropyLoss()
            for _ in range(1 if quick else 2):
                for xb, yb in DataLoader(X, y, batch_size=size, seed=seed):
                    opt.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    opt.step()
            with no_grad():
                accuracy[size, eta] = metrics.accuracy(y_test, model(X_test).data)
    return kind, etas, sizes, accuracy


def run(quick=False, out="out", seed=0, progress=True):
    rates, losses = lr_range_test(seed, iterations_per_lr=5 if quick else 10)
    best = rates[np.argmin(losses[:turning_point(losses)])]
    kind, etas, sizes, accuracy = batch_size_grid(seed, quick, progress)
    best_eta = {size: max(etas, key=lambda eta: accuracy[size, eta]) for size in sizes}

    plt = pyplot()
    figure, (range_ax, zoom_ax, grid_ax) = plt.subplots(1, 3, figsize=(16, 4.6))
    for ax, shown in ((range_ax, rates > 0), (zoom_ax, rates >= 0.1)):
        x = np.log10(rates[shown]) if ax is range_ax else rates[shown]
        ax.plot(x, losses[shown], ".-", label="loss after the iterations at η")
        ax.axvline(np.log10(best) if ax is range_ax else best, color="r", lw=0.8,
                   label=f"lowest loss before it turns up: η = {best:.2f}")
        ax.set(yscale="log", ylabel="training half-MSE")
        ax.legend(fontsize=8)
    range_ax.set(xlabel="log10 η", title="LR range test: η raised step by step (12.3.2)")
    # The last segments, where the course reads its answer (η ≈ 0.75–0.8), on a linear axis:
    # on the log axis their 0.01 steps are crushed against the right edge.
    zoom_ax.set(xlabel="η", title="the same, η from 0.1 to 1.1")
    for size in sizes:
        grid_ax.plot(etas, [accuracy[size, eta] for eta in etas], "o-", label=f"batch {size}")
    grid_ax.set(xlabel="η", ylabel=f"test accuracy ({kind}-MNIST)", title="η × batch size (12.3.4)")
    grid_ax.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(figure_path(out, "learning_rate.png"), dpi=100)
    plt.close(figure)
    return report([
        ("LR range test on the complex curve: best initial η", "≈ 0.75-0.8", f"{best:.2f}"),
        (f"η × batch size on {kind}: best η for batch " + " / ".join(map(str, sizes)),
         "a larger batch wants a larger η (bs 16 → 0.1, bs 32 → 0.5)",
         " / ".join(f"{best_eta[size]}" for size in sizes)),
    ])


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
