"""Class imbalance (course 11.3): resampling, SMOTE, class weights and the three-learner vote.

Labels are integers (m,) or one column (m, 1); each function returns arrays of the same
kinds it was given. A `ratio` r asks for a class to have at least r × the largest class
(oversampling, SMOTE) or at most 1/r × the smallest (undersampling): 1 means balanced.
It is one number for every class, or a dict {class: r} for the classes to resample.
"""
import numpy as np


def _labels(y):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        return y.ravel()
    if y.ndim != 1:
        raise ValueError(f"imbalance: labels must have shape (m,) or (m, 1), got {y.shape}")
    return y


def _check(X, y, name):
    X, labels = np.asarray(X), _labels(y)
    if len(X) != len(labels):
        raise ValueError(f"{name}: X has {len(X)} samples but y has {len(labels)}")
    classes, counts = np.unique(labels, return_counts=True)
    return X, np.asarray(y), labels, classes, counts


def _ratios(ratio, classes, name):
    """The ratio of each class (None: leave it as it is)."""
    ratios = dict(ratio) if isinstance(ratio, dict) else {c: ratio for c in classes.tolist()}
    for c, r in ratios.items():
        if not 0 < r <= 1:
            raise ValueError(f"{name}: ratio must be in (0, 1], got {r} for class {c}")
    return [ratios.get(c) for c in classes.tolist()]


def _grown(ratio, classes, counts, name):
    """How many samples each class should have after growing it: at least ratio × the largest."""
    return [n if r is None else max(n, int(np.ceil(r * counts.max())))
            for r, n in zip(_ratios(ratio, classes, name), counts)]


def random_oversample(X, y, seed=None, ratio=1.0):
    """Copy random samples of the smaller classes until each has ratio × the largest class's count."""
    X, y, labels, classes, counts = _check(X, y, "random_oversample")
    rng = np.random.default_rng(seed)
    targets = _grown(ratio, classes, counts, "random_oversample")
    extra = [rng.choice(np.flatnonzero(labels == c), size=target - n)
             for c, n, target in zip(classes, counts, targets) if n < target]
    rows = np.concatenate([np.arange(len(X))] + extra)
    return X[rows], y[rows]


def random_undersample(X, y, seed=None, ratio=1.0):
    """Keep a random subset of each larger class, at most (smallest class's count) / ratio samples."""
    X, y, labels, classes, counts = _check(X, y, "random_undersample")
    rng = np.random.default_rng(seed)
    limits = [n if r is None else int(np.floor(counts.min() / r))
              for r, n in zip(_ratios(ratio, classes, "random_undersample"), counts)]
    kept = [rng.permutation(np.flatnonzero(labels == c))[:limit] for c, limit in zip(classes, limits)]
    rows = np.sort(np.concatenate(kept))
    return X[rows], y[rows]


def smote(X, y, k=5, seed=None, ratio=1.0):
    """SMOTE: grow each smaller class to ratio × the largest with synthetic samples.

    Each synthetic sample lies on the segment from a random sample of its class to one
    of that sample's k nearest neighbours in the class: x + λ·(neighbour − x), λ ~ U(0, 1).
    Returns the original rows followed by the synthetic ones.
    """
    X, y, labels, classes, counts = _check(X, y, "smote")
    X = X.astype(np.float64) if X.dtype.kind != "f" else X
    rng = np.random.default_rng(seed)
    new_X, new_y = [X], [y]
    for c, n, target in zip(classes, counts, _grown(ratio, classes, counts, "smote")):
        if n >= target:
            continue
        if n < 2:
            raise ValueError(f"smote: class {c} has {n} sample; SMOTE needs at least 2 to interpolate")
        members = X[labels == c]
        neighbours = nearest_neighbours(members, min(k, n - 1))
        start = rng.integers(n, size=target - n)
        end = neighbours[start, rng.integers(neighbours.shape[1], size=target - n)]
        step = rng.random((target - n, 1))
        new_X.append(members[start] + step * (members[end] - members[start]))
        new_y.append(np.full((target - n,) + y.shape[1:], c, dtype=y.dtype))
    return np.concatenate(new_X), np.concatenate(new_y)


def nearest_neighbours(points, k):
    """Indices (n, k) of each point's k nearest other points (Euclidean), nearest first."""
    squared = np.sum(points ** 2, axis=1)
    distances = squared[:, None] + squared[None, :] - 2 * points @ points.T
    np.fill_diagonal(distances, np.inf)
    nearest = np.argpartition(distances, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(distances, nearest, axis=1).argsort(axis=1)
    return np.take_along_axis(nearest, order, axis=1)


def class_weights(y):
    """w_c = m / (n_classes · m_c) (scikit-learn's "balanced"), indexed by class 0…max;
    feed it to `cross_entropy(weight=…)`, or w[1]/w[0] to `pos_weight` for a binary loss."""
    labels = _labels(y).astype(np.int64)
    counts = np.bincount(labels)
    present = counts > 0
    weights = np.zeros(len(counts))
    weights[present] = len(labels) / (present.sum() * counts[present])
    return weights


class ThreeLearnerVote:
    """The course's boosting vote (Schapire 1990) for binary labels 0/1.

    L1 learns the data; L2 learns a 50/50 mix of samples L1 gets right and wrong; L3
    learns the samples where L1 and L2 disagree; the prediction is their majority vote.
    `make_learner()` returns a fresh learner with `fit(X, y)` and `predict(X)` (0/1 labels).
    """

    def __init__(self, make_learner, seed=None):
        self.make_learner, self.seed = make_learner, seed

    def fit(self, X, y):
        X, y = np.asarray(X), np.asarray(y)
        labels = _labels(y)
        rng = np.random.default_rng(self.seed)
        self.learners = [self.make_learner()]
        self.learners[0].fit(X, y)
        right = _labels(self.learners[0].predict(X)) == labels
        right_rows, wrong_rows = np.flatnonzero(right), np.flatnonzero(~right)
        half = min(len(right_rows), len(wrong_rows))
        if half == 0:            # L1 is right everywhere (or nowhere): the mix is the whole set
            mix = np.arange(len(X))
        else:
            mix = np.concatenate([rng.choice(right_rows, half, replace=False), rng.choice(wrong_rows, half, replace=False)])
        self.learners.append(self.make_learner())
        self.learners[1].fit(X[mix], y[mix])
        disagree = np.flatnonzero(_labels(self.learners[0].predict(X)) != _labels(self.learners[1].predict(X)))
        third = disagree if len(np.unique(labels[disagree])) == 2 else np.arange(len(X))
        self.learners.append(self.make_learner())
        self.learners[2].fit(X[third], y[third])
        return self

    def votes(self, X):
        """(m, 3) predictions of L1, L2, L3."""
        return np.stack([_labels(learner.predict(X)) for learner in self.learners], axis=1)

    def predict(self, X):
        return (self.votes(X).sum(axis=1) >= 2).astype(np.int64)

    def score(self, X):
        """The share of the three learners voting 1: a ranking score (0, ⅓, ⅔ or 1) for AUC."""
        return self.votes(X).mean(axis=1)
