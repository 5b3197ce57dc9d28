"""Course 15.2-15.3: optimizers race to half-MSE 0.001 on the complex curve (1-3-1 net).

The recipe is the course's `Level2_Optimizer_ch09.py` (15.2: SGD η 0.1 and 0.3,
Momentum η 0.1, NAG η 0.1) and `Level3_Optimizer_ch09.py` (15.3: AdaGrad η 0.3 / 0.5 /
0.7, RMSProp η 0.1 / 0.01 / 0.005, Adam η 0.1 / 0.01 / 0.005 / 0.001) on its
`NeuralNet_4_1`: a 1-3-1 sigmoid net, Xavier init, batch 10, at most 10000 epochs, the
loss checked every 50 epochs. The scripts call `ReadData()` and never
`GenerateValidationSet()`, so they train on all 1000 rows and `DataReader_2_0` checks
the stop loss 0.001 on its default dev set, the noise-free 200-point test grid: so do we.
Every run of a seed starts from the same weights and batch order, as the course's
cached initial weights make its runs start.

The update rules are the course's (docs/COURSE.md §1.14): Momentum is PyTorch's
(the same rule), NAG is the course's own variant (`optim.CourseNAG`; PyTorch's
`nesterov=True` runs beside it for comparison), AdaGrad has the course's ε 1e-6;
RMSProp (ρ 0.9) and Adam differ from the course only in where ε sits. AdaDelta is left
out: it has no η (the course's two runs at η 0.1 and 0.01 are the same run).
"""
import math

from tinygrad_edu import datasets, nn, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, fit_stacked

try:
    from . import complex_curve
    from ._common import (epochs_by_seed, epochs_to_stop, example_main, figure_path, one_seed, pyplot, report,
                          seeds_named)
except ImportError:  # run as a script
    import complex_curve
    from _common import (epochs_by_seed, epochs_to_stop, example_main, figure_path, one_seed, pyplot, report,
                         seeds_named)

# name: (how to make it, the course's epochs to 0.001; inf = not reached, None = not run by the course)
OPTIMIZERS = {
    "SGD η 0.1": (lambda p: optim.SGD(p, lr=0.1), math.inf),
    "SGD η 0.3": (lambda p: optim.SGD(p, lr=0.3), 5000),
    "Momentum η 0.1": (lambda p: optim.SGD(p, lr=0.1, momentum=0.9), 2000),
    "NAG η 0.1 (course)": (lambda p: optim.CourseNAG(p, lr=0.1, momentum=0.9), 1400),
    "Nesterov η 0.1 (PyTorch)": (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), None),
    "AdaGrad η 0.3": (lambda p: optim.Adagrad(p, lr=0.3, eps=1e-6), 8000),
    "AdaGrad η 0.5": (lambda p: optim.Adagrad(p, lr=0.5, eps=1e-6), 3000),
    "AdaGrad η 0.7": (lambda p: optim.Adagrad(p, lr=0.7, eps=1e-6), 1750),
    "RMSProp η 0.1": (lambda p: optim.RMSprop(p, lr=0.1, alpha=0.9, eps=1e-6), math.inf),
    "RMSProp η 0.01": (lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6), None),
    "RMSProp η 0.005": (lambda p: optim.RMSprop(p, lr=0.005, alpha=0.9, eps=1e-6), None),
    "Adam η 0.1": (lambda p: optim.Adam(p, lr=0.1), math.inf),
    "Adam η 0.01": (lambda p: optim.Adam(p, lr=0.01), None),
    "Adam η 0.005": (lambda p: optim.Adam(p, lr=0.005), None),
    "Adam η 0.001": (lambda p: optim.Adam(p, lr=0.001), None),
}
SWEEPS = {"first-order (15.2)": ("SGD η 0.1", "SGD η 0.3", "Momentum η 0.1", "NAG η 0.1 (course)"),
          "AdaGrad η 0.3 / 0.5 / 0.7": ("AdaGrad η 0.3", "AdaGrad η 0.5", "AdaGrad η 0.7"),
          "RMSProp η 0.1 / 0.01 / 0.005": ("RMSProp η 0.1", "RMSProp η 0.01", "RMSProp η 0.005"),
          "Adam η 0.1 / 0.01 / 0.005 / 0.001": ("Adam η 0.1", "Adam η 0.01", "Adam η 0.005", "Adam η 0.001")}
CLAIMS = [
    Claim("15.2", "SGD at η 0.1 does not reach half-MSE 0.001 on the test grid within 10000 epochs", "not reached",
          "SGD η 0.1", lambda epochs: epochs == math.inf,
          holds_for=(math.inf,), fails_for=(9950,), fmt="{:.0f}",
          why="SGD at η 0.1 got there ({values}).",
          zh="η 0.1 的 SGD 在 10000 轮内不能使测试网格上的半均方误差降到 0.001",
          why_zh="η 0.1 的 SGD 达到了（{values}）。"),
    Claim("15.2", "SGD at η 0.3 reaches it near epoch 5000 (2500–10000)", "≈ 5000", "SGD η 0.3",
          lambda epochs: 2500 <= epochs <= 10000,
          holds_for=(2500, 5000, 10000), fails_for=(2450, math.inf), fmt="{:.0f}",
          why="epochs SGD at η 0.3 needed: {values}.",
          zh="η 0.3 的 SGD 在第 5000 轮左右（2500–10000）达到",
          why_zh="η 0.3 的 SGD 所需轮数：{values}。"),
    Claim("15.2", "Momentum and the course's NAG (η 0.1, α 0.9) reach it, where SGD at the same η 0.1 does not",
          "2000 / 1400 / not reached", "Momentum / NAG / SGD at η 0.1",
          lambda e: e[0] < math.inf and e[1] < math.inf and e[2] == math.inf,
          holds_for=((2000, 1400, math.inf),), fails_for=((math.inf, 1400, math.inf), (2000, 1400, 9000)),
          fmt="{:.0f}",
          why="epochs of Momentum / NAG / SGD, all at η 0.1: {values}.",
          zh="Momentum 与课程的 NAG（η 0.1，α 0.9）能达到，同样 η 0.1 的 SGD 达不到",
          why_zh="Momentum / NAG / SGD（η 都是 0.1）的轮数：{values}。"),
    Claim("15.2", "the course's NAG gets there before Momentum", "1400 vs 2000", "NAG / Momentum",
          lambda e: e[0] < math.inf and e[0] <= e[1],
          holds_for=((1400, 2000), (2000, 2000)), fails_for=((2050, 2000), (math.inf, math.inf)), fmt="{:.0f}",
          why="epochs of NAG / Momentum: {values}.",
          zh="课程的 NAG 比 Momentum 先达到",
          why_zh="NAG / Momentum 的轮数：{values}。"),
    Claim("15.3", "AdaGrad: a larger η is faster; η 0.7 reaches it, sooner than η 0.3", "8000 / 3000 / 1750",
          "AdaGrad η 0.3 / 0.5 / 0.7", lambda e: e[2] < math.inf and e[2] <= e[0],
          holds_for=((8000, 3000, 1750), (math.inf, math.inf, 9000)), fails_for=((1700, 3000, 1750),
                                                                                  (math.inf, 3000, math.inf)),
          fmt="{:.0f}",
          why="epochs of AdaGrad at η 0.3 / 0.5 / 0.7: {values}.",
          zh="AdaGrad：η 越大越快；η 0.7 能达到，且比 η 0.3 快",
          why_zh="AdaGrad 在 η 0.3 / 0.5 / 0.7 下的轮数：{values}。"),
    Claim("15.3", "RMSProp: η 0.1 stays stuck above 0.001, and η 0.01 is faster than η 0.005",
          "0.1 stuck near 0.005; 0.01 best", "RMSProp η 0.1 / 0.01 / 0.005",
          lambda e: e[0] == math.inf and e[1] < math.inf and e[1] <= e[2],
          holds_for=((math.inf, 1000, 2000),), fails_for=((3000, 1000, 2000), (math.inf, 2000, 1000)),
          fmt="{:.0f}",
          why="epochs of RMSProp at η 0.1 / 0.01 / 0.005: {values}.",
          zh="RMSProp：η 0.1 停在 0.001 之上，η 0.01 比 η 0.005 快",
          why_zh="RMSProp 在 η 0.1 / 0.01 / 0.005 下的轮数：{values}。"),
    Claim("15.3", "Adam: η 0.1 fails, and η 0.01 is the fastest of 0.1 / 0.01 / 0.005 / 0.001",
          "0.1 fails; 0.01 best", "Adam η 0.1 / 0.01 / 0.005 / 0.001",
          lambda e: e[0] == math.inf and e[1] < math.inf and e[1] <= min(e[2:]),
          holds_for=((math.inf, 800, 1500, 6000),), fails_for=((500, 800, 1500, 6000), (math.inf, 1600, 1500, 6000)),
          fmt="{:.0f}",
          why="epochs of Adam at η 0.1 / 0.01 / 0.005 / 0.001: {values}.",
          zh="Adam：η 0.1 失败，η 0.01 在 0.1 / 0.01 / 0.005 / 0.001 中最快",
          why_zh="Adam 在 η 0.1 / 0.01 / 0.005 / 0.001 下的轮数：{values}。"),
]
FIGURES = {"optimizers.png": "15.2–15.3 · the loss on the test grid of each optimizer from the same start (the first seed): "
                             "how soon each crosses the stop line, and how long plain SGD sits on the plateau.",
           "optimizers_seeds.png": "15.2–15.3 · epochs each optimizer needs, one dot per seed beside the course's "
                                   "one run: where the dots spread, one run cannot rank the optimizers."}


def race(max_epochs, seeds, progress):
    """Every optimizer's run of the course's scripts on every seed: all 1000 rows, the stop loss
    read on the test grid, and on each seed every optimizer from the same start on the same
    batches. `fit_stacked` trains the runs (15 optimizers × seeds 1-3-1 nets) as one stacked
    net, each run the same, bit for bit, as its own `fit` (tests/test_train.py checks it).
    Returns {seed: {optimizer: History}}."""
    data = {seed: datasets.complex_curve(seed=seed) for seed in seeds}
    loaders = {seed: DataLoader(*data[seed][0], batch_size=10, seed=seed) for seed in seeds}
    models = {(seed, name): complex_curve.build(3, seed) for seed in seeds for name in OPTIMIZERS}
    histories = fit_stacked([(model, OPTIMIZERS[name][0]) for (_, name), model in models.items()], nn.HalfMSELoss(),
                            [loaders[seed] for seed, _ in models], epochs=max_epochs,
                            val_data=[data[seed][1] for seed, _ in models], check_every=50 * len(loaders[seeds[0]]),
                            early_stopping=EarlyStopping(eps=0.001), progress=progress)
    by_seed = {seed: {} for seed in seeds}
    for (seed, name), history in zip(models, histories):
        by_seed[seed][name] = history
    return by_seed


def draw_seeds(out, by_seed):
    """Every seed's epochs for every optimizer, sweep by sweep."""
    plt = pyplot()
    max_epochs = max(by_seed[seed]["max epochs"] for seed in by_seed)
    figure, axes = plt.subplots(1, len(SWEEPS), figsize=(17, 4.4), sharey=True,
                                gridspec_kw={"width_ratios": [len(names) for names in SWEEPS.values()]})
    for ax, (title, names) in zip(axes, SWEEPS.items()):
        epochs_by_seed(ax, [name.replace(" η", "\nη") for name in names],
                       {seed: [measured[name] for name in names] for seed, measured in by_seed.items()},
                       [OPTIMIZERS[name][1] for name in names], max_epochs, title)
    axes[0].set_ylabel("epochs to half-MSE 0.001 on the test grid")
    figure.suptitle(f"15.2–15.3 optimizers on the complex curve, 1-3-1, {seeds_named(by_seed)}"
                    " (the course states no epochs for RMSProp's and Adam's η)")
    figure.tight_layout()
    figure.savefig(figure_path(out, "optimizers_seeds.png"), dpi=100)
    plt.close(figure)


def run_seeds(quick, folders, progress=True):
    """Every seed side by side; each seed's figures in its folder ({seed: folder})."""
    max_epochs = 100 if quick else 10000
    by_seed = race(max_epochs, list(folders), progress)
    return {seed: measure(by_seed[seed], max_epochs, folders[seed], seed) for seed in folders}


def measure(histories, max_epochs, out, seed):
    """One seed's figure and measurements."""
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(11, 5))
    for name, history in histories.items():
        ax.plot(history["epoch"], history["val_loss"], label=name, ls="--" if "Adam" in name or "RMS" in name else "-")
    ax.axhline(0.001, color="gray", lw=0.8, label="the course's stop loss 0.001")
    ax.set(xlabel="epoch", ylabel="half-MSE on the noise-free test grid", yscale="log",
           title=f"optimizers on the complex curve, 1-3-1 (15.2–15.3), seed {seed}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)    # beside the curves, never over them
    figure.tight_layout()
    figure.savefig(figure_path(out, "optimizers.png"), dpi=100)
    plt.close(figure)
    epochs = {name: epochs_to_stop(history) for name, history in histories.items()}
    measured = epochs | {
        "max epochs": max_epochs,
        "Momentum / NAG / SGD at η 0.1": (epochs["Momentum η 0.1"], epochs["NAG η 0.1 (course)"], epochs["SGD η 0.1"]),
        "NAG / Momentum": (epochs["NAG η 0.1 (course)"], epochs["Momentum η 0.1"]),
    } | {title: tuple(epochs[name] for name in names) for title, names in SWEEPS.items()}   # each sweep's epochs
    draw_seeds(out, {seed: dict(measured)})
    print(f"seed {seed}:")
    return report(measured)


run = one_seed(run_seeds)
main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
