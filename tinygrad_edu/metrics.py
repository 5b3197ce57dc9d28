"""Evaluation metrics in plain numpy: `metric(y_true, y_pred_or_score) -> float`.

Regression metrics follow the course (9.0.3); classification metrics follow
scikit-learn's definitions (binary, positive class 1, 0 where a ratio is 0/0).
A classification metric (`takes_labels`) reads class labels, or rows of class scores
(m, n ≥ 2) through their argmax; one column of continuous scores (probabilities,
logits) is refused, never compared with labels: threshold it first.
"""
import numpy as np


def _pair(y_true, y_pred, name):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.size != y_pred.size:
        raise ValueError(f"{name}: y_true has {y_true.size} values but y_pred has {y_pred.size}")
    return y_true.reshape(-1), y_pred.reshape(-1)


def mae(y_true, y_pred):
    """(1/m) Σ |a − y|."""
    y, a = _pair(y_true, y_pred, "mae")
    return float(np.mean(np.abs(a - y)))


def mape(y_true, y_pred):
    """(100/m) Σ |(a − y)/y|, in percent; undefined where y = 0 (the course's curves cross 0)."""
    y, a = _pair(y_true, y_pred, "mape")
    if np.any(y == 0):
        raise ValueError("mape: y_true contains 0, where the relative error is undefined; use mae or rmse")
    return float(100 * np.mean(np.abs((a - y) / y)))


def sse(y_true, y_pred):
    """Σ (a − y)²."""
    y, a = _pair(y_true, y_pred, "sse")
    return float(np.sum((a - y) ** 2))


def mse(y_true, y_pred):
    """(1/m) Σ (a − y)² (no ½: the course's training loss is half of this)."""
    y, a = _pair(y_true, y_pred, "mse")
    return float(np.mean((a - y) ** 2))


def rmse(y_true, y_pred):
    """√MSE, in the unit of y."""
    return float(np.sqrt(mse(y_true, y_pred)))


def r2_score(y_true, y_pred):
    """1 − Σ(a − y)² / Σ(ȳ − y)²: 1 is perfect, 0 no better than the mean."""
    y, a = _pair(y_true, y_pred, "r2_score")
    total = np.sum((y - y.mean()) ** 2)
    residual = np.sum((a - y) ** 2)
    if total == 0:
        return 1.0 if residual == 0 else 0.0
    return float(1 - residual / total)


def class_labels(y, name="class_labels", which="y"):
    """Class labels from labels (m,) or (m, 1), or from one-hot rows or class scores (m, n ≥ 2) by argmax.

    One column of non-integer values is scores, not labels: a ValueError that says how to threshold.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    y = y.reshape(-1)
    if y.dtype.kind in "fc":
        scores = y[y != np.round(y)]                    # NaN is never a label either
        if scores.size:
            raise ValueError(f"{name}: {which} holds continuous scores ({scores[0]:.4g} among them), not class "
                             f"labels; threshold them first: (p > 0.5) for probabilities (a sigmoid or BCELoss "
                             f"output), (z > 0) for logits (BCEWithLogitsLoss), or pass the (m, n) class scores "
                             f"for argmax. roc_auc_score is the metric that takes scores")
    return y


def _labels(y_true, y_pred, name):
    y, a = class_labels(y_true, name, "y_true"), class_labels(y_pred, name, "y_pred")
    if y.size != a.size:
        raise ValueError(f"{name}: y_true has {y.size} samples but y_pred has {a.size}")
    return y, a


def _takes_labels(metric):
    """Mark a classification metric: `fit` hands it class labels read from the output as the loss implies."""
    metric.takes_labels = True
    return metric


@_takes_labels
def accuracy(y_true, y_pred):
    """Share of samples whose predicted class is right (labels, or one-hot/score rows)."""
    y, a = _labels(y_true, y_pred, "accuracy")
    return float(np.mean(y == a))


@_takes_labels
def confusion_matrix(y_true, y_pred, labels=None):
    """C[i, j] = number of samples of class i predicted as class j."""
    y, a = _labels(y_true, y_pred, "confusion_matrix")
    labels = np.unique(np.concatenate([y, a])) if labels is None else np.asarray(labels)
    index = {label: i for i, label in enumerate(labels.tolist())}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(matrix, ([index[v] for v in y.tolist()], [index[v] for v in a.tolist()]), 1)
    return matrix


def _binary_counts(y_true, y_pred, name):
    y, a = _labels(y_true, y_pred, name)
    y, a = y == 1, a == 1
    return np.sum(y & a), np.sum(~y & a), np.sum(y & ~a)


def _ratio(numerator, denominator):
    return float(numerator / denominator) if denominator else 0.0


@_takes_labels
def precision(y_true, y_pred):
    """TP / (TP + FP) for the positive class 1."""
    tp, fp, _ = _binary_counts(y_true, y_pred, "precision")
    return _ratio(tp, tp + fp)


@_takes_labels
def recall(y_true, y_pred):
    """TP / (TP + FN) for the positive class 1."""
    tp, _, fn = _binary_counts(y_true, y_pred, "recall")
    return _ratio(tp, tp + fn)


@_takes_labels
def f1_score(y_true, y_pred):
    """2TP / (2TP + FP + FN): the harmonic mean of precision and recall."""
    tp, fp, fn = _binary_counts(y_true, y_pred, "f1_score")
    return _ratio(2 * tp, 2 * tp + fp + fn)


def roc_auc_score(y_true, y_score):
    """Area under the ROC curve = P(score of a random positive > score of a random negative), ties ½."""
    y, s = _pair(y_true, y_score, "roc_auc_score")
    positive = y == 1
    n_pos, n_neg = positive.sum(), (~positive).sum()
    if n_pos == 0 or n_neg == 0:
        raise ValueError("roc_auc_score: y_true needs both classes; AUC is undefined with one")
    ranks = _average_ranks(s)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _average_ranks(values):
    """Ranks 1..m, tied values sharing their average rank (the Mann–Whitney U statistic's ranks)."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    average = (starts + ends + 1) / 2                    # mean of ranks start+1 .. end
    ranks = np.empty(len(values))
    ranks[order] = np.repeat(average, ends - starts)
    return ranks
