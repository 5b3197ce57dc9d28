"""Course 15.2-15.3: six optimizers race to half-MSE 0.001 on the complex curve (1-3-1 net).

Each starts from the same Xavier weights and batch order (batch 10), with the course's
best learning rate for it, and is checked on the validation set every 50 epochs, for at
most the course's 10000 epochs. Update rules are PyTorch's (RMSprop with the course's
ρ = 0.9); the course's place for ε differs slightly (docs/COURSE.md §1.14).
"""
import math

from tinygrad_edu import optim
from tinygrad_edu.claims import Claim

try:
    from . import complex_curve
    from ._common import epochs_to_stop, example_main, figure_path, pyplot, report
except ImportError:  # run as a script
    import complex_curve
    from _common import epochs_to_stop, example_main, figure_path, pyplot, report

OPTIMIZERS = {
    "SGD η 0.3": lambda p: optim.SGD(p, lr=0.3),
    "Momentum η 0.1": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
    "Nesterov η 0.1": lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "AdaGrad η 0.7": lambda p: optim.Adagrad(p, lr=0.7),
    "RMSprop η 0.01": lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9),
    "Adam η 0.01": lambda p: optim.Adam(p, lr=0.01),
}
CLAIMS = [
    Claim("15.2", "SGD (η 0.3) reaches validation half-MSE 0.001 near epoch 5000 (2500–10000)", "≈ 5000", "SGD η 0.3",
          lambda epochs: 2500 <= epochs <= 10000,
          holds_for=(2500, 5000, 10000), fails_for=(2450, math.inf), fmt="{:.0f}",
          why="SGD at η 0.3 spends most of its run on the plateau near half-MSE 0.005 and leaves it at epoch 5950 on "
              "seed 1 but not within 10000 epochs on seeds 0 and 2; Momentum, whose effective step η/(1 − α) = 1.0 is "
              "over 3× SGD's, gets off it on every seed.",
          zh="SGD（η 0.3）在第 5000 轮左右（2500–10000）使验证集半均方误差降到 0.001",
          why_zh="η 0.3 的 SGD 大部分时间停在半均方误差 0.005 附近的平台上：种子 1 上在第 5950 "
                 "轮离开，种子 0 和 2 上 10000 轮内都没有离开；Momentum 的有效步长 η/(1 − α"
                 ") = 1.0，是 SGD 的 3 倍多，在每个种子上都离开了平台。"),
    Claim("15.2", "Momentum and Nesterov (η 0.1, α 0.9) reach it in fewer epochs than SGD", "2000 / 1400 vs 5000",
          "momentum vs SGD", lambda e: e[0] < e[2] and e[1] < e[2],
          holds_for=((2000, 1400, 5000),), fails_for=((6000, 1400, 5000), (2000, 5000, 5000)), fmt="{:.0f}",
          zh="Momentum 和 Nesterov（η 0.1，α 0.9）比 SGD 用更少的轮数达到"),
    Claim("15.3", "AdaGrad (η 0.7) reaches it near epoch 1750 (875–3500)", "1750", "AdaGrad η 0.7",
          lambda epochs: 875 <= epochs <= 3500,
          holds_for=(875, 1750, 3500), fails_for=(850, 3550, math.inf), fmt="{:.0f}",
          why="AdaGrad's step η/√(Σg²) only shrinks, and from our starts it crosses the plateau near 0.005 slowly "
              "(4200, 6650, never in 10000 epochs); its update is the course's but for ε (ours 1e-10, the course's "
              "1e-6), which is negligible next to √(Σg²).",
          zh="AdaGrad（η 0.7）在第 1750 轮左右（875–3500）达到",
          why_zh="AdaGrad 的步长 η/√(Σg²) 只会变小，从我们的起点出发它越过 0.005 附近的平台很慢（"
                 "4200、6650、10000 轮内未达到）；它的更新公式与课程相同，只有 ε 不同（我们 1e-10，"
                 "课程 1e-6），与 √(Σg²) 相比可以忽略。"),
    Claim("15.3", "RMSprop and Adam at η 0.01 are the fastest: both before SGD, Momentum, Nesterov and AdaGrad",
          "η 0.01 best for each (epochs not stated)", "adaptive vs the rest",
          lambda e: max(e[:2]) < math.inf and max(e[:2]) <= e[2],
          holds_for=((500, 600, 1400),), fails_for=((math.inf, 600, 1400), (500, 1500, 1400)),
          fmt="{:.0f}",
          zh="η 0.01 的 RMSprop 和 Adam 最快：都早于 SGD、Momentum、Nesterov 和 AdaGrad"),
]
FIGURES = {"optimizers.png": "15.2–15.3 · validation loss of each optimizer from the same start: how soon each "
                             "crosses the stop line, and how long plain SGD sits on the plateau."}


def race(make, max_epochs, seed, progress):
    model = complex_curve.build(3, seed)
    return complex_curve.train(model, make(model.parameters()), seed, max_epochs, progress)


def run(quick=False, out="out", seed=0, progress=True):
    max_epochs = 100 if quick else 10000
    histories = {name: race(make, max_epochs, seed, progress) for name, make in OPTIMIZERS.items()}

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
    epochs = {name: epochs_to_stop(history) for name, history in histories.items()}
    first_order = [epochs[name] for name in ("SGD η 0.3", "Momentum η 0.1", "Nesterov η 0.1", "AdaGrad η 0.7")]
    return report(epochs | {
        "momentum vs SGD": (epochs["Momentum η 0.1"], epochs["Nesterov η 0.1"], epochs["SGD η 0.3"]),
        "adaptive vs the rest": (epochs["RMSprop η 0.01"], epochs["Adam η 0.01"], min(first_order)),
    })


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
