"""Course 15.2-15.3: six optimizers race to half-MSE 0.001 on the complex curve (1-3-1 net).

Each starts from the same Xavier weights and batch order (batch 10), with the course's
best learning rate for it, and is checked on the validation set every 50 epochs.
Update rules are PyTorch's (RMSprop with the course's ρ = 0.9); the course's place
for ε differs slightly (COURSE.md §1.14).
"""
from tinygrad_edu import optim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, fit

try:
    from . import complex_curve
    from ._common import example_main, figure_path, half_mse, pyplot, report
except ImportError:  # run as a script
    import complex_curve
    from _common import example_main, figure_path, half_mse, pyplot, report

# name: (how to make it, the course's epochs to 0.001)
OPTIMIZERS = {
    "SGD η 0.3": (lambda p: optim.SGD(p, lr=0.3), "≈ 5000"),
    "Momentum η 0.1": (lambda p: optim.SGD(p, lr=0.1, momentum=0.9), "2000"),
    "Nesterov η 0.1": (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), "1400"),
    "Adagrad η 0.7": (lambda p: optim.Adagrad(p, lr=0.7), "1750"),
    "RMSprop η 0.01": (lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9), "best at 0.01"),
    "Adam η 0.01": (lambda p: optim.Adam(p, lr=0.01), "best at 0.01"),
}


def race(make, max_epochs, seed, progress):
    train, val, _ = complex_curve.course_split(seed)
    model = complex_curve.build(3, seed)
    loader = DataLoader(*train, batch_size=10, seed=seed)
    history = fit(model, half_mse, make(model.parameters()), loader, epochs=max_epochs, val_data=val,
                  check_every=50 * len(loader), early_stopping=EarlyStopping(eps=0.001), progress=progress)
    return history


def run(quick=False, out="out", seed=0, progress=True):
    max_epochs = 100 if quick else 3000
    histories = {name: race(make, max_epochs, seed, progress) for name, (make, _) in OPTIMIZERS.items()}

    plt = pyplot()
    figure, ax = plt.subplots(figsize=(10, 5))
    for name, history in histories.items():
        ax.plot(history["epoch"], history["val_loss"], label=name)
    ax.axhline(0.001, color="gray", lw=0.8, label="the course's stop loss 0.001")
    ax.set(xlabel="epoch", ylabel="validation half-MSE", yscale="log",
           title="optimizers on the complex curve, 1-3-1 (15.2–15.3): epochs to half-MSE 0.001")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)    # beside the curves, never over them
    figure.tight_layout()
    figure.savefig(figure_path(out, "optimizers.png"), dpi=100)
    plt.close(figure)
    rows = []
    for name, history in histories.items():
        ours = f"{history['epoch'][-1]}" if history.stopped_early else f"not reached in {max_epochs}"
        rows.append((f"optimizers, complex curve 1-3-1: epochs to half-MSE 0.001, {name}", OPTIMIZERS[name][1], ours))
    return report(rows)


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
