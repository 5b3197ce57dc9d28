"""Course 11.2: the hidden size of the three-class net, 2 to 64 units.

The recipe is the course's `Level2_HiddenUnits.py` (ch11, `NeuralNet_2_2`): the data as
in 11.1 (`three_class.py`), a 2-n-3 net for n = 2, 4, 8, 16, 32, 64, Xavier init, η 0.1,
batch 10, at most 10000 epochs, validation checked every 100 epochs against the stop loss
0.01. Like the course's `GetLatestAverageLoss()`, a width is scored by the mean of its last
10 validation losses; its test accuracy is shown beside. The course ran each width once
and warns that its numbers move from run to run: its robust finding is that the
validation loss falls as the width grows.
"""

import numpy as np

from tinygrad_edu.claims import Claim

try:
    from . import three_class
    from ._common import example_main, figure_path, one_seed, pyplot, report
except ImportError:  # run as a script
    import three_class
    from _common import example_main, figure_path, one_seed, pyplot, report

HIDDEN = (2, 4, 8, 16, 32, 64)
COURSE_LOSS = (0.795, 0.132, 0.105, 0.094, 0.085, 0.075)
COURSE_ACCURACY = (0.618, 0.954, 0.97, 0.978, 0.974, 0.972)

def _falls(losses):
    """At most one of the five doublings raises the loss, and 64 units end below 4."""
    rises = sum(b > a for a, b in zip(losses, losses[1:]))
    return rises <= 1 and losses[-1] < losses[1]

CLAIMS = [
    Claim("11.2", "2 hidden units fail: test accuracy < 0.75 (up to 10000 epochs)", "0.618",
          "accuracy with 2 hidden units", lambda accuracy: accuracy < 0.75,
          holds_for=(0.618,), fails_for=(0.75, 0.9),
          why="test accuracy of the 2-2-3 net: {values}.",
          zh="2 个隐层神经元不够：测试准确率 < 0.75（最多 10000 轮）",
          why_zh="2-2-3 网络的测试准确率：{values}。"),
    Claim("11.2", "the validation loss falls as the width grows from 2 to 64 units (at most one of the five "
                  "doublings raises it, and 64 units end below 4)",
          "0.795 / 0.132 / 0.105 / 0.094 / 0.085 / 0.075 for 2 / 4 / 8 / 16 / 32 / 64", "validation loss by hidden units",
          _falls,
          holds_for=(COURSE_LOSS, (0.8, 0.13, 0.1, 0.11, 0.09, 0.08)),
          fails_for=((0.8, 0.13, 0.1, 0.11, 0.09, 0.1), (0.8, 0.1, 0.11, 0.09, 0.1, 0.08), (0.8, 0.08, 0.07, 0.06,
                                                                                              0.05, 0.09)),
          fmt="{:.3f}",
          why="mean of the last ten validation losses for 2 / 4 / 8 / 16 / 32 / 64 units: {values}.",
          zh="验证损失随宽度增大而下降：从 2 到 64 个神经元，五次加倍中至多一次使其上升，且 64 个低于 4 个",
          why_zh="2 / 4 / 8 / 16 / 32 / 64 个神经元最后十次验证损失的平均值：{values}。"),
]
FIGURES = {"hidden_units.png": "11.2 · the mean of the last ten validation losses (left) and the test accuracy "
                               "(right) for each hidden size, one line per seed beside the course's one run."}

def draw_seeds(out, by_seed):
    plt = pyplot()
    from matplotlib.ticker import NullLocator
    figure, (loss_ax, accuracy_ax) = plt.subplots(1, 2, figsize=(12, 4.4))
    for seed in sorted(by_seed):
        loss_ax.plot(HIDDEN, by_seed[seed]["validation loss by hidden units"], "o-", alpha=0.75, label=f"seed {seed}")
        accuracy_ax.plot(HIDDEN, by_seed[seed]["accuracy by hidden units"], "o-", alpha=0.75, label=f"seed {seed}")
    loss_ax.plot(HIDDEN, COURSE_LOSS, "x--", color="k", label="the course (one run)")
    accuracy_ax.plot(HIDDEN, COURSE_ACCURACY, "x--", color="k", label="the course (one run)")
    for ax in (loss_ax, accuracy_ax):
        ax.set(xscale="log", xticks=HIDDEN, xlabel="hidden units")
        ax.set_xticklabels([str(n) for n in HIDDEN])
        ax.xaxis.set_minor_locator(NullLocator())      # the log axis's own in-between labels overprint ours
        ax.legend(fontsize=8)
    loss_ax.set(yscale="log", ylabel="validation CE, mean of the last 10 checks", title="11.2 · validation loss")
    accuracy_ax.set(ylabel="test accuracy", title="11.2 · test accuracy")
    figure.tight_layout()
    figure.savefig(figure_path(out, "hidden_units.png"), dpi=100)
    plt.close(figure)

def run_seeds(quick, folders, progress=True):
    """Every seed side by side, width by width; each seed's figure in its folder ({seed: folder})."""
    data = {seed: three_class.course_data(seed) for seed in folders}
    losses, accuracies = {seed: [] for seed in folders}, {seed: [] for seed in folders}
    for hidden in HIDDEN:
        trained = three_class.train(hidden, 150 if quick else 10000, data, progress, eps=0.01)
        for seed, (model, history) in trained.items():
            losses[seed].append(float(np.mean(history["val_loss"][-10:])))
            accuracies[seed].append(three_class.test_accuracy(model, data[seed]))
    measured = {}
    for seed, out in folders.items():
        measured[seed] = {"validation loss by hidden units": tuple(losses[seed]),
                          "accuracy by hidden units": tuple(accuracies[seed]),
                          "accuracy with 2 hidden units": accuracies[seed][0]}
        draw_seeds(out, {seed: measured[seed]})
        print(f"seed {seed}:")
        report(measured[seed])
    return measured


run = one_seed(run_seeds)

main = example_main(run, __doc__)

if __name__ == "__main__":
    main()
