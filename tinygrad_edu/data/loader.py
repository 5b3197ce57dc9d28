"""DataLoader and the train / validation / test split (course 9.3)."""
import math

import numpy as np

from ..metrics import class_labels
from ..engine import Tensor


def _array(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def check_finite(where, name, array):
    """A ValueError naming the first NaN or inf in `array` (its row and column), if there is one."""
    # min and max carry any NaN or inf through without an array-sized temporary (47 MB of bools
    # for MNIST's training set); only a bad array is searched for the place.
    if array.dtype.kind in "fc" and array.size and not (np.isfinite(array.min()) and np.isfinite(array.max())):
        position = [int(i) for i in np.argwhere(~np.isfinite(array))[0]]
        place = f"row {position[0]}" + (f", column {', '.join(map(str, position[1:]))}" if len(position) > 1 else "")
        raise ValueError(f"{where}: {name} holds {array[tuple(position)]} at {place}; remove or fill that sample "
                         f"before training")


class DataLoader:
    """Batches of (X, Y) as Tensors, one pass over the data per iteration.

    batch_size=1 is the course's single-sample SGD, None the full batch. Shuffling uses
    the loader's own generator (seeded by `seed`), never numpy's global one, so each
    epoch gets a new order and the same seed gives the same sequence of orders.
    """

    def __init__(self, X, Y, batch_size=32, shuffle=True, seed=None, drop_last=False):
        self.X, self.Y = _array(X), _array(Y)
        if len(self.X) != len(self.Y):
            raise ValueError(f"DataLoader: X has {len(self.X)} samples but Y has {len(self.Y)}")
        check_finite("DataLoader", "X", self.X)
        check_finite("DataLoader", "Y", self.Y)
        if batch_size is None:
            batch_size = len(self.X)
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer or None, got {batch_size!r}")
        self.batch_size, self.shuffle, self.drop_last = int(batch_size), shuffle, drop_last
        self.rng = np.random.default_rng(seed)

    def __len__(self):
        n = len(self.X)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def epoch_order(self):
        """The order of the rows for one epoch: a new permutation from the loader's generator
        when shuffling, None (the rows in order) when not."""
        return self.rng.permutation(len(self.X)) if self.shuffle else None

    def __iter__(self):
        size = self.batch_size
        order = self.epoch_order()
        for start in range(0, len(self) * size, size):
            rows = slice(start, start + size) if order is None else order[start:start + size]
            yield Tensor._wrap(self.X[rows]), Tensor._wrap(self.Y[rows])


def _count(fraction, n, name):
    if isinstance(fraction, (int, np.integer)) and not isinstance(fraction, bool) and fraction >= 1:
        return int(fraction)
    if not 0 <= fraction < 1:
        raise ValueError(f"train_val_test_split: {name} must be a fraction in [0, 1) or a count, got {fraction}")
    return int(round(fraction * n))


def train_val_test_split(X, Y, val=0.1, test=0.1, seed=None, stratify=False):
    """Shuffle and split into ((X_train, Y_train), (X_val, Y_val), (X_test, Y_test)).

    `val` and `test` are fractions (or counts). With `stratify`, each class is split in
    the same proportions (for imbalanced classification data).
    """
    X, Y = _array(X), _array(Y)
    if len(X) != len(Y):
        raise ValueError(f"train_val_test_split: X has {len(X)} samples but Y has {len(Y)}")
    rng = np.random.default_rng(seed)
    groups = [np.arange(len(X))]
    if stratify:
        labels = class_labels(Y, "train_val_test_split(stratify=True)", "Y")
        groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    parts = ([], [], [])
    for group in groups:
        group = rng.permutation(group)
        n_val, n_test = _count(val, len(group), "val"), _count(test, len(group), "test")
        if n_val + n_test > len(group):
            raise ValueError(f"train_val_test_split: val {n_val} + test {n_test} exceed the {len(group)} samples")
        parts[1].append(group[:n_val])
        parts[2].append(group[n_val:n_val + n_test])
        parts[0].append(group[n_val + n_test:])
    splits = []
    for part in parts:
        rows = rng.permutation(np.concatenate(part))
        splits.append((X[rows], Y[rows]))
    return tuple(splits)
