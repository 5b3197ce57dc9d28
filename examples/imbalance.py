"""Course 11.3: a 1:20 imbalanced double arc, trained plainly and with each remedy.

11.3 is text only: the course has no script for it. Its claims are that accuracy
misleads on imbalanced data (answering "majority" scores well), that AUC is the measure
to use, and that rebalancing helps. Plain training scores a high accuracy while it
misses much of the small class; recall, F1 and AUC show what it misses. The remedies:
class weights in the loss (pos_weight), random over- and undersampling, SMOTE, and the
course's three-learner boosting vote. Every learner gets 10000 SGD steps, enough for
plain training to leave its early plateau (after 1000 steps it still answered "majority"
everywhere, which made the remedies' claim one that could not fail).
"""
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import datasets, imbalance, metrics, nn, no_grad, optim
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader, MinMaxScaler
from tinygrad_edu.train import fit

try:
    from ._common import example_main, report
except ImportError:  # run as a script
    from _common import example_main, report


REMEDIES = ("class weights (pos_weight)", "random oversampling", "random undersampling", "SMOTE")
CLAIMS = [
    Claim("11.3", "answering \"majority\" everywhere scores accuracy ≥ 0.9 on 1:20 data, finds none of the small class, "
                  "and AUC gives it no credit (0.5)", "accuracy misleads; use AUC (text only)",
          "majority answer: accuracy, recall, AUC", lambda a: a[0] >= 0.9 and a[1] == 0 and a[2] == 0.5,
          holds_for=((0.952, 0.0, 0.5),), fails_for=((0.85, 0.0, 0.5), (0.952, 0.1, 0.5), (0.952, 0.0, 0.6)),
          why="the majority answer's accuracy, recall and AUC: {values}.",
          zh="处处回答“多数类”在 1:20 的数据上准确率 ≥ 0.9，却一个少数类也找不到，AUC 不给它任何分数（0.5）",
          why_zh="多数类回答的准确率、召回率和 AUC：{values}。"),
    Claim("11.3", "plain training scores a high accuracy (≥ 0.95) that hides what it misses: its recall on the small "
                  "class is at least 0.2 lower", "accuracy misleads (text only)", "plain: accuracy, recall",
          lambda a: a[0] >= 0.95 and a[1] <= a[0] - 0.2,
          holds_for=((0.975, 0.48), (0.95, 0.75)), fails_for=((0.94, 0.0), (0.99, 0.8)),
          why="plain training's accuracy and recall: {values}.",
          zh="直接训练的准确率很高（≥ 0.95），却掩盖了它漏掉的样本：它在少数类上的召回率至少低 0.2",
          why_zh="直接训练的准确率和召回率：{values}。"),
    Claim("11.3", "class weights, oversampling, undersampling and SMOTE each raise the recall above plain training's",
          "rebalance the classes (text only)", "recall: plain, lowest remedy", lambda r: r[1] > r[0],
          holds_for=((0.0, 0.5), (0.48, 0.9)), fails_for=((0.5, 0.5), (0.5, 0.1)),
          why="plain training's recall and the lowest recall of the four remedies: {values}.",
          zh="类别权重、过采样、欠采样和 SMOTE 都使召回率高于直接训练",
          why_zh="直接训练的召回率与四种补救方法中最低的召回率：{values}。"),
]
FIGURES = {}


class ArcClassifier:
    """A 2-4-1 logistic network with fit/predict, the learner every remedy trains.

    It always takes about `steps` SGD steps of batch 32, however large its training set,
    so a remedy that shrinks or grows the data does not change the training budget."""

    def __init__(self, steps=10000, pos_weight=None, seed=0):
        self.steps, self.pos_weight, self.seed = steps, pos_weight, seed

    def fit(self, X, y):
        self.model = nn.Sequential(nn.Linear(2, 4, seed=self.seed), nn.Sigmoid(), nn.Linear(4, 1, seed=self.seed + 1))
        loader = DataLoader(X, y, batch_size=32, seed=self.seed)
        fit(self.model, nn.BCEWithLogitsLoss(pos_weight=self.pos_weight), optim.SGD(self.model.parameters(), lr=0.5),
            loader, epochs=max(1, round(self.steps / len(loader))), progress=False)
        return self

    def score(self, X):
        with no_grad():
            return F.sigmoid(self.model(X)).data.ravel()

    def predict(self, X):
        return (self.score(X) > 0.5).astype(np.int64)


def imbalanced_arcs(n_majority, n_minority, seed):
    """The course's arcs with the upper arc (class 1) cut down to n_minority samples."""
    (X, y), _ = datasets.arc(n_per_class=n_majority, n_test_per_class=1, seed=seed)
    rng = np.random.default_rng(seed)
    keep = np.concatenate([np.flatnonzero(y.ravel() == 0), rng.choice(np.flatnonzero(y.ravel() == 1), n_minority,
                                                                      replace=False)])
    return X[keep], y[keep]


def evaluate(name, learner, X, y):
    predicted, score = learner.predict(X), learner.score(X)
    return (name, metrics.accuracy(y, predicted), metrics.recall(y, predicted), metrics.f1_score(y, predicted),
            metrics.roc_auc_score(y, score))


def run(quick=False, out="out", seed=0, progress=True):
    steps = 300 if quick else 10000
    X, y = imbalanced_arcs(1000, 50, seed)
    X_test, y_test = imbalanced_arcs(1000, 50, seed + 1)
    scaler = MinMaxScaler().fit(X)
    X, X_test = scaler.transform(X), scaler.transform(X_test)
    weights = imbalance.class_weights(y)
    remedies = {
        "plain": (lambda: ArcClassifier(steps, seed=seed), (X, y)),
        "class weights (pos_weight)": (lambda: ArcClassifier(steps, pos_weight=weights[1] / weights[0], seed=seed),
                                       (X, y)),
        "random oversampling": (lambda: ArcClassifier(steps, seed=seed), imbalance.random_oversample(X, y, seed=seed)),
        "random undersampling": (lambda: ArcClassifier(steps, seed=seed), imbalance.random_undersample(X, y, seed=seed)),
        "SMOTE": (lambda: ArcClassifier(steps, seed=seed), imbalance.smote(X, y, seed=seed)),
    }
    rows = [evaluate(name, make().fit(*data), X_test, y_test) for name, (make, data) in remedies.items()]
    vote = imbalance.ThreeLearnerVote(lambda: ArcClassifier(steps, seed=seed), seed=seed).fit(X, y)
    rows.append(evaluate("three-learner vote", vote, X_test, y_test))
    print(f"  {'remedy':28s} accuracy  recall    F1   AUC")
    for name, accuracy, recall, f1, auc in rows:
        print(f"  {name:28s} {accuracy:8.3f} {recall:7.3f} {f1:5.2f} {auc:5.3f}")
    recall = {name: recall for name, _, recall, _, _ in rows}
    majority = np.zeros_like(y_test)
    majority_answer = (metrics.accuracy(y_test, majority), metrics.recall(y_test, majority),
                       metrics.roc_auc_score(y_test, majority.astype(float).ravel()))
    return report({"majority answer: accuracy, recall, AUC": majority_answer, "plain: accuracy, recall": rows[0][1:3],
                   "recall: plain, lowest remedy": (recall["plain"], min(recall[name] for name in REMEDIES))})


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
