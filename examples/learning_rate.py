"""Course 12.3: the learning rate and the batch size.

1. LR range test (12.3.2, after Smith), the course's searcher script (`LearningRateSearcher`,
   `CLooper`, `NetFinder`): a 1-4-1 sigmoid net, Xavier init, batch 10 taken in order,
   plain SGD, on the course's older ch08 curve data (the sine; its X passed through, its
   Y min-max normalized). Each η is held for a number of **epochs**, and the loss on the
   whole training set is logged after every epoch. Three rounds, each from the same
   initial weights: (1) 1e-4…1e-3 by 1e-4, 1e-3…1e-2 by 1e-3, 0.01…0.1 by 0.01, 10
   epochs each, then 0.1…1.0 by 0.1, 100 epochs each; (2) 0.1…1.0 by 0.1 and 1.0…1.1 by
   0.01, 100 epochs each; (3) 0.63…1.1 by 0.01, 200 epochs each. The course reads the
   third: the best initial η is the one with the lowest loss before the loss turns up
   (here: before the first loss above 1.5× the lowest so far). The seeds run each round
   side by side, each the same as alone.
2. η on MNIST (12.3.3): the 784-64-16-10 net at η 0.2, 0.3, 0.5 and 0.8 for 30 epochs.
3. η × batch size (12.3.4): η 0.1, 0.3, 0.5, 0.7 at batch 16 and batch 32, 30 epochs
   each (12.3.4 does not say how many; 12.3.3 trains the same net 30).
The MNIST parts read MNIST digits when they are present, else Fashion-MNIST; their claims
are about digits, so on Fashion-MNIST they are shown beside the claim and not judged.
"""
import numpy as np

from tinygrad_edu import datasets, metrics, nn, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import fit_stacked

try:
    from . import mnist
    from ._common import example_main, figure_path, one_seed, pyplot, report
except ImportError:  # run as a script
    import mnist
    from _common import example_main, figure_path, one_seed, pyplot, report

MNIST_ETAS = (0.2, 0.3, 0.5, 0.8)
BATCH_ETAS, BATCH_SIZES = (0.1, 0.3, 0.5, 0.7), (16, 32)
DIGITS_ONLY = ("MNIST digits are not on this machine and cannot be downloaded here; the claim is about digits, so "
               "the Fashion-MNIST numbers are shown beside it and not judged.")
DIGITS_ONLY_ZH = "这台机器上没有 MNIST 手写数字，也无法下载；这条结论针对手写数字，因此只列出 Fashion-MNIST 的数字，不作判定。"
CLAIMS = [
    Claim("12.3.2", "the LR range test's third round (η 0.63…1.1, 200 epochs each) puts the best initial η near 0.8 "
                    "(0.7–0.9)", "≈ 0.8 (use 0.75)",
          "best initial η", lambda eta: 0.7 <= eta <= 0.9,
          holds_for=(0.7, 0.8, 0.9), fails_for=(0.69, 0.91), fmt="{:.2f}",
          why="the η with the lowest loss before the loss turns up, seed by seed: {values}.",
          zh="学习率区间测试的第三轮（η 0.63…1.1，每个 200 轮）给出的最佳初始 η 在 0.8 左右（0.7–0.9）",
          why_zh="每个种子上，损失回升之前损失最低的 η：{values}。"),
    Claim("12.3.3", "on MNIST digits η 0.8 leads after the first epoch (validation accuracy)",
          "0.8 rises fastest at first", "digits: validation accuracy after 1 epoch, η 0.2 / 0.3 / 0.5 / 0.8",
          lambda accuracy: np.argmax(accuracy) == 3,
          holds_for=((0.8, 0.85, 0.88, 0.9),), fails_for=((0.8, 0.85, 0.9, 0.88),),
          instead=("Fashion-MNIST", "validation accuracy after 1 epoch, η 0.2 / 0.3 / 0.5 / 0.8"),
          why=DIGITS_ONLY, why_zh=DIGITS_ONLY_ZH,
          zh="在 MNIST 手写数字上，第 1 轮后 η 0.8 领先（验证准确率）"),
    Claim("12.3.3", "but η 0.5 ends best of 0.2 / 0.3 / 0.5 / 0.8 after 30 epochs", "η 0.5 best",
          "digits: validation accuracy after 30 epochs, η 0.2 / 0.3 / 0.5 / 0.8",
          lambda accuracy: np.argmax(accuracy) == 2,
          holds_for=((0.8, 0.85, 0.9, 0.88),), fails_for=((0.8, 0.85, 0.88, 0.9),),
          instead=("Fashion-MNIST", "validation accuracy after 30 epochs, η 0.2 / 0.3 / 0.5 / 0.8"),
          why=DIGITS_ONLY, why_zh=DIGITS_ONLY_ZH,
          zh="但 30 轮后 0.2 / 0.3 / 0.5 / 0.8 中 η 0.5 最好"),
    Claim("12.3.4", "a larger batch wants a larger η: the best η at batch 32 is larger than at batch 16",
          "bs 16 → η 0.1, bs 32 → η 0.5", "digits: best η at batch 16 / 32", lambda best: best[1] > best[0],
          holds_for=((0.1, 0.5),), fails_for=((0.3, 0.3), (0.5, 0.1)), fmt="{:.1f}",
          instead=("Fashion-MNIST", "best η at batch 16 / 32"),
          why=DIGITS_ONLY, why_zh=DIGITS_ONLY_ZH,
          zh="批越大，学习率应越大：批大小 32 的最佳 η 大于批大小 16 的"),
]
FIGURES = {"learning_rate.png": "12.3 · the LR range test, every seed: left, the first two rounds, loss against "
                                "log10 η; middle, the third round on a linear axis with each seed's best η marked; "
                                "right, validation accuracy by epoch at each η on MNIST-format images (the first seed)."}


def looper(start, step, epochs, stop=None):
    """The course's `CLooper`: η from `start` by `step` up to `stop` (default 10 × start), each held `epochs`."""
    stop = 10 * start if stop is None else stop
    rates, k = [], 0
    while start + k * step <= stop:
        rates.append(start + k * step)
        k += 1
    return [(rate, epochs) for rate in rates]


# The course's three tries (`try_1`, `try_2`, `try_3`), each a list of (η, epochs at it).
ROUNDS = ((looper(1e-4, 1e-4, 10) + looper(1e-3, 1e-3, 10) + looper(0.01, 0.01, 10) + looper(0.1, 0.1, 100)),
          (looper(0.1, 0.1, 100) + looper(1.0, 0.01, 100, 1.1)),
          looper(0.63, 0.01, 200, 1.1))


def lr_range_test(schedule, seeds, epochs_scale=1.0):
    """One round of the course's searcher on each seed, the seeds side by side (`fit_stacked`,
    each the same, bit for bit, as its own `fit`): {seed: [(η, the whole-set loss after each
    epoch at it)]}. Plain SGD keeps no state, so a new optimizer for each η is the course's
    `opt.lr = lr`; the whole-set loss each epoch is the check on the training set itself. A
    seed whose loss turned NaN would stop at that η (fit's rule) where the course's loop goes
    on in NaN."""
    data = {}
    for seed in seeds:
        (X, Y), _ = datasets.sin_curve(seed=seed)
        data[seed] = X, (Y - Y.min()) / (Y.max() - Y.min())    # the course's NormalizeY
    models = {seed: nn.Sequential(nn.Linear(1, 4, seed=seed), nn.Sigmoid(), nn.Linear(4, 1, seed=seed + 1))
              for seed in seeds}
    # GetBatchSamples(batch_size, iteration): batches in order
    loaders = [DataLoader(X, Y, batch_size=10, shuffle=False) for X, Y in data.values()]
    curves = {seed: [] for seed in seeds}
    for lr, epochs in schedule:
        sgd = lambda p, lr=lr: optim.SGD(p, lr=lr)              # noqa: E731 - one optimizer for all the seeds
        histories = fit_stacked([(models[seed], sgd) for seed in seeds], nn.HalfMSELoss(), loaders,
                                epochs=max(1, round(epochs * epochs_scale)), val_data=list(data.values()),
                                progress=False)
        for seed, history in zip(seeds, histories):
            curves[seed].append((lr, history["val_loss"]))
    return curves


def turning_point(losses, jump=1.5):
    """Index of the first loss above `jump` × the lowest loss before it (len(losses) if none)."""
    lowest = np.minimum.accumulate(losses)
    above = np.flatnonzero(losses[1:] > jump * lowest[:-1])
    return above[0] + 1 if above.size else len(losses)


def best_initial_eta(curve):
    """The η whose epochs end at the lowest loss before the loss turns up."""
    rates = np.array([lr for lr, _ in curve])
    losses = np.array([epoch_losses[-1] for _, epoch_losses in curve])
    return float(rates[np.argmin(losses[:turning_point(losses)])])


def validation_accuracy(data, etas, batch_size, epochs, seed, progress):
    """The 784-64-16-10 net's validation accuracy after each epoch at each η: {η: accuracies}.
    The runs start from the same weights on the same batches, so they train side by side
    (`fit_stacked`: each the same, bit for bit, as its own `fit`)."""
    (X, y), val = data
    sgd = {eta: (lambda p, eta=eta: optim.SGD(p, lr=eta)) for eta in etas}
    histories = fit_stacked([(mnist.build(seed), sgd[eta]) for eta in etas], nn.CrossEntropyLoss(),
                            DataLoader(X, y, batch_size=batch_size, seed=seed), epochs=epochs, val_data=val,
                            metrics={"accuracy": metrics.accuracy}, progress=progress)
    return {eta: history["val_accuracy"] for eta, history in zip(etas, histories)}


def draw_seeds(out, by_seed):
    plt = pyplot()
    figure, (range_ax, third_ax, eta_ax) = plt.subplots(1, 3, figsize=(17, 4.6))
    for seed in sorted(by_seed):
        rounds = by_seed[seed]["range test"]
        colour = None
        for round_index in (0, 1):
            points = [(lr, loss) for lr, losses in rounds[round_index] for loss in losses]
            rates, losses = np.array(points).T
            line, = range_ax.plot(np.log10(rates), losses, lw=0.8, color=colour, ls="-" if round_index == 0 else ":",
                                  label=f"seed {seed}" if round_index == 0 else None)
            colour = line.get_color()
        rates = [lr for lr, _ in rounds[2]]
        third_ax.plot(rates, [losses[-1] for _, losses in rounds[2]], ".-", color=colour, label=f"seed {seed}")
        third_ax.axvline(by_seed[seed]["best initial η"], color=colour, lw=0.8, ls="--")
    range_ax.set(xlabel="log10 η", ylabel="whole-set half-MSE after each epoch (normalized Y)", yscale="log",
                 title="rounds 1 (solid) and 2 (dotted): η raised step by step")
    third_ax.set(xlabel="η", ylabel="half-MSE after the 200 epochs at η", yscale="log",
                 title="round 3: η 0.63…1.1; dashed, each seed's best initial η")
    range_ax.legend(fontsize=8)
    third_ax.legend(fontsize=8)
    first = by_seed[min(by_seed)]
    for eta, accuracy in first["accuracy by epoch"].items():
        eta_ax.plot(range(1, len(accuracy) + 1), accuracy, label=f"η {eta}")
    eta_ax.set(xlabel="epoch", ylabel=f"validation accuracy ({mnist.NAMES[first['kind']]})",
               title=f"η on MNIST-format images, batch 128 (12.3.3), seed {min(by_seed)}")
    eta_ax.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(figure_path(out, "learning_rate.png"), dpi=100)
    plt.close(figure)


def run_seeds(quick, folders, progress=True):
    """The range test's rounds with every seed side by side, then each seed's MNIST runs; each
    seed's figure in its folder ({seed: folder})."""
    seeds = list(folders)
    rounds = [lr_range_test(schedule, seeds, 0.05 if quick else 1.0) for schedule in ROUNDS]
    measured = {}
    for seed, out in folders.items():
        measured[seed] = {"best initial η": best_initial_eta(rounds[2][seed]),
                          "range test": [by_seed[seed] for by_seed in rounds], **mnist_runs(quick, seed, progress)}
        draw_seeds(out, {seed: measured[seed]})
        print(f"seed {seed}:")
        report(measured[seed])
    return measured


def mnist_runs(quick, seed, progress):
    """12.3.3 and 12.3.4 on one seed: the measurements."""
    kind, (X, y), val, _ = mnist.load(seed)
    data = ((X[:3000], y[:3000]) if quick else (X, y)), val
    by_eta = validation_accuracy(data, MNIST_ETAS, 128, 2 if quick else 30, seed, progress)
    by_batch = {(size, eta): accuracies[-1] for size in BATCH_SIZES
                for eta, accuracies in validation_accuracy(data, BATCH_ETAS, size, 1 if quick else 30, seed,
                                                           progress).items()}
    best_eta = tuple(max(BATCH_ETAS, key=lambda eta: by_batch[size, eta]) for size in BATCH_SIZES)
    digits = kind == "digits"
    first, last = tuple(a[0] for a in by_eta.values()), tuple(a[-1] for a in by_eta.values())
    return {"kind": kind, "accuracy by epoch": by_eta,
            "validation accuracy after 1 epoch, η 0.2 / 0.3 / 0.5 / 0.8": first,
            "validation accuracy after 30 epochs, η 0.2 / 0.3 / 0.5 / 0.8": last,
            "best η at batch 16 / 32": best_eta,
            "digits: validation accuracy after 1 epoch, η 0.2 / 0.3 / 0.5 / 0.8": first if digits else None,
            "digits: validation accuracy after 30 epochs, η 0.2 / 0.3 / 0.5 / 0.8": last if digits else None,
            "digits: best η at batch 16 / 32": best_eta if digits else None,
            **{f"accuracy at batch {size}, η 0.1 / 0.3 / 0.5 / 0.7":
               tuple(by_batch[size, eta] for eta in BATCH_ETAS) for size in BATCH_SIZES}}


run = one_seed(run_seeds)

main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
