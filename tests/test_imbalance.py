"""Class-imbalance tools: requested class counts, SMOTE geometry, weights, the three-learner vote."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import imbalance, metrics
from tinygrad_edu.examples.imbalance import ArcClassifier, imbalanced_arcs


@st.composite
def labelled(draw):
    counts = draw(st.lists(st.integers(2, 40), min_size=2, max_size=4))
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.random.default_rng(draw(st.integers(0, 1000))).normal(size=(len(y), 3))
    column = draw(st.booleans())
    return X, (y.reshape(-1, 1) if column else y), np.array(counts)


@given(data=labelled(), ratio=st.sampled_from([1.0, 0.5, 0.25]), seed=st.integers(0, 100))
def test_oversampling_gives_the_requested_counts_from_original_rows(data, ratio, seed):
    X, y, counts = data
    X2, y2 = imbalance.random_oversample(X, y, seed=seed, ratio=ratio)
    target = int(np.ceil(ratio * counts.max()))
    assert np.array_equal(np.bincount(y2.ravel()), np.maximum(counts, target))
    assert y2.shape[1:] == y.shape[1:]
    original = {tuple(row) + (label,) for row, label in zip(X, y.ravel())}
    assert all(tuple(row) + (label,) in original for row, label in zip(X2, y2.ravel()))


@given(data=labelled(), ratio=st.sampled_from([1.0, 0.5]), seed=st.integers(0, 100))
def test_undersampling_gives_the_requested_counts_without_repeats(data, ratio, seed):
    X, y, counts = data
    X2, y2 = imbalance.random_undersample(X, y, seed=seed, ratio=ratio)
    limit = int(np.floor(counts.min() / ratio))
    assert np.array_equal(np.bincount(y2.ravel()), np.minimum(counts, limit))
    assert len({tuple(row) for row in X2}) == len(X2)


@given(data=labelled(), k=st.integers(1, 5), seed=st.integers(0, 100))
def test_every_smote_point_lies_between_a_minority_sample_and_one_of_its_k_nearest(data, k, seed):
    X, y, counts = data
    X2, y2 = imbalance.smote(X, y, k=k, seed=seed)
    labels = y.ravel()
    assert np.array_equal(X2[:len(X)], X) and np.array_equal(y2[:len(y)], y)       # originals first
    assert np.array_equal(np.bincount(y2.ravel()), np.full(len(counts), counts.max()))
    for point, label in zip(X2[len(X):], y2[len(y):].ravel()):
        members = X[labels == label]
        kk = min(k, len(members) - 1)
        distance = np.linalg.norm(members[:, None, :] - members[None, :, :], axis=2)
        np.fill_diagonal(distance, np.inf)
        near = np.argsort(distance, axis=1)[:, :kk]
        # Some member a and one of its k nearest b with point = a + λ(b − a), 0 ≤ λ ≤ 1.
        found = False
        for a in range(len(members)):
            for b in near[a]:
                segment = members[b] - members[a]
                lam = np.dot(point - members[a], segment) / np.dot(segment, segment)
                if -1e-9 <= lam <= 1 + 1e-9 and np.allclose(members[a] + lam * segment, point, atol=1e-9):
                    found = True
        assert found


def test_ratios_per_class():
    X, y = np.arange(16.0).reshape(16, 1), np.array([0] * 10 + [1] * 4 + [2] * 2)
    _, grown = imbalance.random_oversample(X, y, seed=0, ratio={2: 0.5})
    assert np.bincount(grown).tolist() == [10, 4, 5]                 # only class 2, to half of 10
    _, shrunk = imbalance.random_undersample(X, y, seed=0, ratio={0: 0.5})
    assert np.bincount(shrunk).tolist() == [4, 4, 2]                 # class 0 to at most 2 / 0.5
    _, synthetic = imbalance.smote(X, y, k=1, seed=0, ratio={1: 1.0})
    assert np.bincount(synthetic).tolist() == [10, 10, 2]
    with pytest.raises(ValueError, match="got 2 for class 1"):
        imbalance.random_oversample(X, y, ratio={1: 2})


def test_smote_needs_two_samples_in_a_class():
    with pytest.raises(ValueError, match="class 1 has 1 sample"):
        imbalance.smote(np.zeros((4, 2)), np.array([0, 0, 0, 1]))


def test_class_weights_are_balanced():
    w = imbalance.class_weights(np.array([0] * 90 + [1] * 10))
    assert np.allclose(w, [100 / (2 * 90), 100 / (2 * 10)])
    assert np.allclose(imbalance.class_weights(np.array([[0], [2], [2]])), [1.5, 0.0, 0.75])


def test_label_and_length_errors():
    with pytest.raises(ValueError, match="X has 3 samples but y has 2"):
        imbalance.random_oversample(np.zeros((3, 1)), np.array([0, 1]))
    with pytest.raises(ValueError, match="ratio must be in"):
        imbalance.random_undersample(np.zeros((2, 1)), np.array([0, 1]), ratio=2)


def test_the_vote_beats_its_first_learner_on_an_imbalanced_set():
    X, y = imbalanced_arcs(1000, 50, seed=0)
    X_test, y_test = imbalanced_arcs(1000, 50, seed=1)
    low, high = X.min(axis=0), X.max(axis=0)
    X, X_test = (X - low) / (high - low), (X_test - low) / (high - low)
    vote = imbalance.ThreeLearnerVote(lambda: ArcClassifier(steps=1000), seed=0).fit(X, y)
    first = vote.learners[0]
    assert metrics.f1_score(y_test, vote.predict(X_test)) > metrics.f1_score(y_test, first.predict(X_test))
    assert vote.votes(X_test).shape == (len(X_test), 3)
    assert set(np.unique(vote.score(X_test))) <= {0, 1 / 3, 2 / 3, 1}
