"""Course 11.1-11.2: three classes in the plane with a 2-3-3 network (softmax + cross-entropy).

Class 0 fills a centre square, class 1 the ring inside a circle, class 2 the corners.
η 0.1, batch 10, 5000 epochs; the output layer gives logits Z2 and the loss fuses the
softmax, so dZ2 = A2 − Y. Then the course's sweep over the hidden size (2, 4, 8, 16),
each trained up to the course's 10000 epochs with its stop loss 0.01.
"""
import numpy as np

from tinygrad_edu import datasets, metrics, nn, no_grad, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader, MinMaxScaler
from tinygrad_edu.train import EarlyStopping, fit

try:
    from ._common import example_main, figure_path, pyplot, report
except ImportError:  # run as a script
    from _common import example_main, figure_path, pyplot, report


HIDDEN = (2, 4, 8, 16)
CLAIMS = [
    Claim("11.1", "a 2-3-3 net (η 0.1, bs 10, 5000 epochs) classifies the plane: test accuracy ≥ 0.93", "0.952",
          "test accuracy", lambda accuracy: accuracy >= 0.93,
          holds_for=(0.93, 0.952), fails_for=(0.92, 0.602),
          why="3 hidden units are only just enough: on seed 2 the net never predicts the centre square (all 80 of its "
              "test points go to the ring) and ends at 0.602, where 2 units end on every seed, and on seed 1 at 0.924; "
              "the course's 0.952 is one good start (our seed 0: 0.944).",
          zh="2-3-3 网络（η 0.1，bs 10，5000 轮）能划分平面：测试准确率 ≥ 0.93",
          why_zh="3 个隐层神经元刚刚够用：种子 2 上网络从不预测中心的正方形（其 80 个测试点全被判为圆环），准确率"
                 "停在 0.602，这正是 2 个神经元在每个种子上的结果；种子 1 上为 0.924。课程的 0.952"
                 " 是一次好的初始化（我们的种子 0：0.944）。"),
    Claim("11.2", "2 hidden units fail: test accuracy < 0.75 (up to 10000 epochs)", "0.618",
          "accuracy with 2 hidden units",
          lambda accuracy: accuracy < 0.75,
          holds_for=(0.618,), fails_for=(0.75, 0.9),
          zh="2 个隐层神经元不够：测试准确率 < 0.75（最多 10000 轮）"),
    Claim("11.2", "more hidden units help up to about 16: test accuracy rises from 4 to 8 to 16 units",
          "0.618 / 0.954 / 0.970 / 0.978 for 2 / 4 / 8 / 16", "accuracy by hidden units",
          lambda accuracy: accuracy[1] <= accuracy[2] <= accuracy[3],
          holds_for=((0.618, 0.954, 0.97, 0.978),), fails_for=((0.618, 0.97, 0.954, 0.978), (0.618, 0.954, 0.978, 0.97)),
          why="4 → 8 units helps on every seed (0.936–0.974 → 0.972–0.978), but 8 → 16 moves the accuracy by at most "
              "0.006 (3 of 500 test points) either way: the gain stops near 8 here, as the course's own 16 → 32 → 64 "
              "(0.978 / 0.974 / 0.972) shows it stopping near 16.",
          zh="隐层神经元增加到 16 个左右都有帮助：从 4 到 8 到 16 个，测试准确率上升",
          why_zh="从 4 个到 8 个神经元在每个种子上都有提升（0.936–0.974 → 0.972–0.978），但"
                 "从 8 个到 16 个，准确率上下变化至多 0.006（500 个测试点中的 3 个）：这里的提升在 8"
                 " 个左右停止，正如课程自己的 16 → 32 → 64（0.978 / 0.974 / 0.972）显示"
                 "提升在 16 个左右停止。"),
]
FIGURES = {"three_class.png": "11.1 · the class the 2-3-3 net predicts at each point of the plane (light) and the "
                              "test points (dark): a point on another colour is a mistake; the corners of the "
                              "centre square are the hard part."}

# (point colour, region colour, what the class is) for classes 0, 1, 2
CLASSES = [("#1f5fd1", "#cddcf7", "centre square"), ("#d9730d", "#fbe0c4", "ring"),
           ("#2a8a3e", "#cfeccf", "corners")]


def build(hidden=3, seed=0):
    return nn.Sequential(nn.Linear(2, hidden, seed=seed), nn.Sigmoid(), nn.Linear(hidden, 3, seed=seed + 1))


def train(hidden, epochs, data, seed, progress, eps=None):
    (X_train, y_train), val, _ = data
    model = build(hidden, seed)
    loader = DataLoader(X_train, y_train, batch_size=10, seed=seed)
    fit(model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=epochs,
        val_data=val, check_every=100 * len(loader), progress=progress,
        early_stopping=EarlyStopping(eps=eps, restore_best=False) if eps else None)
    return model


def test_accuracy(model, data):
    X_test, y_test = data[2]
    with no_grad():
        return metrics.accuracy(y_test, model(X_test).data)


def run(quick=False, out="out", seed=0, progress=True):
    (X, y), (X_test, y_test) = datasets.multiclass(seed=seed)
    scaler = MinMaxScaler().fit(X[100:])
    X, X_test = scaler.transform(X), scaler.transform(X_test)
    data = ((X[100:], y[100:]), (X[:100], y[:100]), (X_test, y_test))
    model = train(3, 300 if quick else 5000, data, seed, progress)
    accuracy = test_accuracy(model, data)
    sweep = tuple(test_accuracy(train(hidden, 150 if quick else 10000, data, seed, progress, eps=0.01), data)
                  for hidden in HIDDEN)

    plt = pyplot()
    from matplotlib.colors import ListedColormap
    figure, ax = plt.subplots(figsize=(6.4, 5.4))
    u, v = np.meshgrid(np.linspace(0, 1, 150), np.linspace(0, 1, 150))
    with no_grad():
        regions = model(np.stack([u.ravel(), v.ravel()], axis=1)).data.argmax(axis=1).reshape(u.shape)
    # Each class one hue: its region light, its points dark, so a point off its colour is a mistake.
    ax.contourf(u, v, regions, levels=[-0.5, 0.5, 1.5, 2.5], cmap=ListedColormap([light for _, light, _ in CLASSES]))
    for label, (dark, _, name) in enumerate(CLASSES):
        ax.scatter(*X_test[y_test == label].T, color=dark, s=9, label=f"class {label}: {name}")
    ax.set(xlabel="x1 (min-max scaled)", ylabel="x2 (min-max scaled)",
           title=f"2-3-3 network: the regions it predicts and the test points (accuracy {accuracy:.3f})")
    ax.title.set_fontsize(10)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    figure.tight_layout()
    figure.savefig(figure_path(out, "three_class.png"), dpi=100)
    plt.close(figure)
    return report({"test accuracy": accuracy, "accuracy by hidden units": sweep,
                   "accuracy with 2 hidden units": sweep[0]})


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
