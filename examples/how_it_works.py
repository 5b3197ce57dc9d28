"""Course 9.6: how the trained 1-2-1 sine network builds its curve, unit by unit.

Each hidden unit j computes z1_j = w1_j·x + b1_j and squashes it, a1_j = σ(z1_j);
the output is a weighted sum of those two S-curves, z = Σ_j a1_j·w2_j + b2.
The weights come from out/sine_121.npz, written by sine_curve.py (trained here if missing),
and are read at the course's 21 points x = 0, 0.05, …, 1, as its `Level5_HowNNWorks.py` does.
"""
import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import metrics, no_grad
from tinygrad_edu.claims import Claim

try:
    from . import sine_curve
    from ._common import example_main, figure_path, pyplot, report
except ImportError:  # run as a script
    import sine_curve
    from _common import example_main, figure_path, pyplot, report


CLAIMS = [
    Claim("9.6", "the trained 1-2-1 net's output at x = 0 and x = 1 is within 0.1 of the course's 0.202 and −0.235",
          "0.202, −0.235", "z at x = 0, 1", lambda z: abs(z[0] - 0.202) <= 0.1 and abs(z[1] + 0.235) <= 0.1,
          holds_for=((0.202, -0.235), (0.3, -0.3)), fails_for=((0.31, -0.235), (0.202, -0.34)),
          fmt="{:.3f}",
          why="the output at x = 0 and x = 1, seed by seed: {values}.",
          zh="训练好的 1-2-1 网络在 x = 0 和 x = 1 处的输出与课程的 0.202、−0.235 相差不超过 0.1",
          why_zh="各种子在 x = 0 和 x = 1 处的输出：{values}。"),
    Claim("9.6", "the two hidden units' S-curves carry output weights of opposite sign", "w2 = −9.374, 6.039",
          "output weights w2", lambda w2: w2[0] * w2[1] < 0,
          holds_for=((-9.374, 6.039), (2.0, -1.0)), fails_for=((9.0, 6.0), (-1.0, -2.0)), fmt="{:.2f}",
          why="the output weights w2, seed by seed: {values}.",
          zh="两个隐层神经元的 S 形曲线带着符号相反的输出权重",
          why_zh="各种子的输出权重 w2：{values}。"),
    Claim("9.6", "and their weighted sum plus b2 is the sine: R² ≥ 0.95 against sin(6.28x) at the 21 points",
          "the output follows the sine (Tables 9-16…9-19)", "R² of the output against the sine",
          lambda r2: r2 >= 0.95, holds_for=(0.95, 0.99), fails_for=(0.94,), fmt="{:.3f}",
          why="R² of the output against sin(6.28x), seed by seed: {values}.",
          zh="它们的加权和加上 b2 就是正弦：在 21 个点上对 sin(6.28x) 的 R² ≥ 0.95",
          why_zh="各种子的输出对 sin(6.28x) 的 R²：{values}。"),
]
FIGURES = {"how_it_works.png": "9.6 · the trained 1-2-1 net unit by unit: each hidden unit's line z1 = w1·x + b1, "
                               "its S-curve a1 = σ(z1), that curve scaled by w2, and their sum plus b2 against "
                               "the sine."}


def run(quick=False, out="out", seed=0, progress=True):
    weights = figure_path(out, "sine_121.npz")
    if not weights.exists():
        sine_curve.run(quick, out, seed, progress)
    model = sine_curve.build(2)
    model.load_state_dict(tg.load(weights))
    W1, B1 = model[0].weight.data, model[0].bias.data
    W2, B2 = model[2].weight.data, model[2].bias.data

    x = np.linspace(0, 1, 21).reshape(-1, 1)          # the course's 21 points 0, 0.05, …, 1
    with no_grad():
        Z1 = model[0](x)
        A1 = model[1](Z1)
        Z = model[2](A1).data
    parts = A1.data * W2.ravel()                        # a1_j · w2_j, one column per hidden unit

    plt = pyplot()
    figure, axes = plt.subplots(1, 4, figsize=(18, 4))
    for j in range(2):
        sign = "−" if B1[j] < 0 else "+"
        axes[0].plot(x, Z1.data[:, j], "o-", ms=3, label=f"z1_{j + 1} = {W1[0, j]:.2f}x {sign} {abs(B1[j]):.2f}")
        axes[1].plot(x, A1.data[:, j], "o-", ms=3, label=f"a1_{j + 1} = σ(z1_{j + 1})")
        axes[2].plot(x, parts[:, j], "o-", ms=3, label=f"a1_{j + 1} · w2_{j + 1} ({W2[j, 0]:.2f})")
    axes[3].plot(x, Z, "ro-", ms=3, label=f"z = Σ + b2 ({B2[0]:.2f})")
    axes[3].plot(x, np.sin(6.28 * x), "k--", lw=0.8, label="sin(6.28x)")
    for ax, title, ylabel in zip(axes, ("x → z1", "z1 → a1", "a1 → a1·w2", "output z"),
                                 ("z1 = w1·x + b1", "a1 = σ(z1)", "a1 · w2", "z = Σ a1·w2 + b2")):
        ax.set(title=title, xlabel="x", ylabel=ylabel)
        ax.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(figure_path(out, "how_it_works.png"), dpi=100)
    plt.close(figure)
    return report({"z at x = 0, 1": (Z[0, 0], Z[-1, 0]), "output weights w2": tuple(W2.ravel()),
                   "R² of the output against the sine": metrics.r2_score(np.sin(6.28 * x), Z)})


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
