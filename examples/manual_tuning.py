"""Course 9.7: tune the complex-curve net by hand, one knob at a time (Tables 9-24 to 9-26).

The recipe is the course's `Level6_TuneParams.py` (ch09, `NeuralNet_2_0`): the complex
curve split 900 / 100 by `GenerateValidationSet()`, a 1-ne-1 sigmoid net with Xavier
init, at most 10000 epochs, validation half-MSE checked every 50 epochs against the stop
loss 0.001. Three sweeps around ne 4, η 0.5, batch 10: η 0.1 / 0.3 / 0.5 / 0.7, batch
5 / 10 / 15 / 20, ne 2 / 4 / 6 / 8. `NeuralNet_2_0` draws fresh initial weights for
every run, so each setting here starts from its own weights and batch order; like the
course's cached file, the (4, 0.5, 10) run is trained once and appears in all three
sweeps. The course says itself that its comparison across widths is not accurate,
because each width starts from other weights, and concludes only that more units raise
the capacity to learn: the claims say what it concludes, and the figure shows every seed.
"""
import math

from tinygrad_edu import nn, optim
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

# knob: (its values, the other two fixed, the course's epochs to 0.001; inf = not reached in 10000)
SWEEPS = {
    "η": ((0.1, 0.3, 0.5, 0.7), {"hidden": 4, "batch_size": 10}, (math.inf, math.inf, 8200, 3500)),
    "batch size": ((5, 10, 15, 20), {"hidden": 4, "lr": 0.5}, (2500, 8200, math.inf, math.inf)),
    "hidden units": ((2, 4, 6, 8), {"lr": 0.5, "batch_size": 10}, (math.inf, 8000, 5500, 3500)),
}
KNOB = {"η": "lr", "batch size": "batch_size", "hidden units": "hidden"}

CLAIMS = [
    Claim("9.7", "η 0.1 does not reach validation half-MSE 0.001 in 10000 epochs, and a larger η is faster beyond "
                 "it: η 0.7 gets there, no later than η 0.3 (4 units, bs 10)",
          "never / never / 8200 / 3500 for η 0.1 / 0.3 / 0.5 / 0.7", "η",
          lambda e: e[0] == math.inf and e[3] < math.inf and e[3] <= e[1],
          holds_for=((math.inf, math.inf, 8200, 3500), (math.inf, 3000, 5000, 3000)),
          fails_for=((9000, math.inf, 8200, 3500), (math.inf, 3000, 8200, 3500), (math.inf, math.inf, 5000, math.inf)),
          fmt="{:.0f}",
          why="epochs for η 0.1 / 0.3 / 0.5 / 0.7, each from its own start: {values}.",
          zh="η 0.1 在 10000 轮内达不到验证集半均方误差 0.001，更大的 η 更快：η 0.7 能达到，且不晚于 η 0.3（4 个神经元，bs 10）",
          why_zh="η 0.1 / 0.3 / 0.5 / 0.7 的轮数（每次从各自的初始权重开始）：{values}。"),
    Claim("9.7", "a small batch converges sooner: batch 5 gets there first of 5 / 10 / 15 / 20 (4 units, η 0.5)",
          "2500 / 8200 / never / never", "batch size", lambda e: e[0] < math.inf and e[0] <= min(e[1:]),
          holds_for=((2500, 8200, math.inf, math.inf), (3000, 3000, 4000, 5000)),
          fails_for=((math.inf, math.inf, math.inf, math.inf), (2500, 2400, math.inf, math.inf)), fmt="{:.0f}",
          why="epochs for batch 5 / 10 / 15 / 20, each from its own start: {values}.",
          zh="批越小收敛越快：批大小 5 / 10 / 15 / 20 中，批大小 5 最先达到（4 个神经元，η 0.5）",
          why_zh="批大小 5 / 10 / 15 / 20 的轮数（每次从各自的初始权重开始）：{values}。"),
    Claim("9.7", "more hidden units raise the capacity: 2 units never get there, 4, 6 and 8 units all do (η 0.5, bs 10)",
          "never / 8000 / 5500 / 3500", "hidden units",
          lambda e: e[0] == math.inf and max(e[1:]) < math.inf,
          holds_for=((math.inf, 8000, 5500, 3500), (math.inf, 3500, 5500, 8000)),
          fails_for=((9000, 8000, 5500, 3500), (math.inf, math.inf, 5500, 3500)), fmt="{:.0f}",
          why="epochs for 2 / 4 / 6 / 8 hidden units, each from its own start: {values}.",
          zh="隐层神经元越多，学习能力越强：2 个神经元达不到，4、6、8 个都能达到（η 0.5，bs 10）",
          why_zh="2 / 4 / 6 / 8 个隐层神经元的轮数（每次从各自的初始权重开始）：{values}。"),
    Claim("9.5.2", "the complex curve needs more than 2 hidden units: a 1-2-1 net never reaches 0.001 in 10000 epochs",
          "never (9.7); R² 0.864 after 100000 epochs (9.5.2)", "1-2-1 epochs", lambda epochs: epochs == math.inf,
          holds_for=(math.inf,), fails_for=(9990,), fmt="{:.0f}",
          why="epochs of the 1-2-1 net: {values}.",
          zh="复杂曲线需要 2 个以上隐层神经元：1-2-1 网络 10000 轮内达不到 0.001",
          why_zh="1-2-1 网络的轮数：{values}。"),
]
FIGURES = {"manual_tuning.png": "9.7 · epochs the complex-curve net needs to reach the course's stop loss as one "
                                "knob moves: one dot per seed, each run from its own start, beside the course's one "
                                "run; a dot on the top line never got there."}


def swept(knob):
    """The (hidden, η, batch) of each run of one knob's sweep."""
    values, fixed, _ = SWEEPS[knob]
    settings = [{**fixed, KNOB[knob]: value} for value in values]
    return [(setting["hidden"], setting["lr"], setting["batch_size"]) for setting in settings]


def settings():
    """Every distinct (hidden, η, batch) of the three sweeps, in order: the default once."""
    return list(dict.fromkeys(key for knob in SWEEPS for key in swept(knob)))


def epochs_needed(runs, max_epochs, progress):
    """Runs of the course's script, each (hidden, η, batch) on its seed's data from its own
    initial weights and batch order (`start`), all of one (hidden, batch) side by side
    (`fit_stacked`: each the same, bit for bit, as its own `fit`): their epochs to the stop loss."""
    sgd = {lr: (lambda p, lr=lr: optim.SGD(p, lr=lr)) for (_, lr, _), _, _ in runs}    # one per η, for all its runs
    splits = {seed: complex_curve.course_split(seed) for _, seed, _ in runs}
    models = [complex_curve.build(hidden, start) for (hidden, _, _), _, start in runs]
    loaders = [DataLoader(*splits[seed][0], batch_size=batch_size, seed=start)
               for (_, _, batch_size), seed, start in runs]
    histories = fit_stacked([(model, sgd[lr]) for model, ((_, lr, _), _, _) in zip(models, runs)], nn.HalfMSELoss(),
                            loaders, epochs=max_epochs, val_data=[splits[seed][1] for _, seed, _ in runs],
                            check_every=50 * len(loaders[0]), early_stopping=EarlyStopping(eps=0.001),
                            progress=progress)
    return [epochs_to_stop(history) for history in histories]


def draw_seeds(out, by_seed):
    plt = pyplot()
    max_epochs = max(measured["max epochs"] for measured in by_seed.values())
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.2), sharey=True)
    for ax, (knob, (values, fixed, course)) in zip(axes, SWEEPS.items()):
        others = ", ".join(f"{k} {v}" for k, v in fixed.items()).replace("lr", "η").replace("_", " ")
        epochs_by_seed(ax, [str(value) for value in values], {seed: m[knob] for seed, m in by_seed.items()},
                       course, max_epochs, f"{knob} ({others})")
        ax.set_xlabel(knob)
    axes[0].set_ylabel("epochs to validation half-MSE 0.001")
    figure.suptitle(f"9.7 manual tuning on the complex curve, one knob at a time, {seeds_named(by_seed)}")
    figure.tight_layout()
    figure.savefig(figure_path(out, "manual_tuning.png"), dpi=100)
    plt.close(figure)


def run_seeds(quick, folders, progress=True):
    """Every seed's settings, those of one (hidden, batch) side by side; each seed's figure in its
    folder ({seed: folder})."""
    max_epochs = 100 if quick else 10000
    runs = [(key, seed, 1000 * seed + index) for seed in folders for index, key in enumerate(settings())]
    done = {}
    for shape in dict.fromkeys((hidden, batch_size) for (hidden, _, batch_size), _, _ in runs):
        alike = [run for run in runs if (run[0][0], run[0][2]) == shape]
        for (key, seed, _), epochs in zip(alike, epochs_needed(alike, max_epochs, progress)):
            done[seed, key] = epochs
    by_seed = {}
    for seed, out in folders.items():
        measured = {"max epochs": max_epochs}
        for knob in SWEEPS:
            measured[knob] = tuple(done[seed, key] for key in swept(knob))
        measured["1-2-1 epochs"] = measured["hidden units"][0]
        draw_seeds(out, {seed: measured})
        print(f"seed {seed}:")
        by_seed[seed] = report(measured)
    return by_seed


run = one_seed(run_seeds)

main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
