"""DataLoader, splits, scalers, the course's data sets, the IDX reader and the metrics."""
import gzip
import hashlib
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu import datasets, metrics
from tinygrad_edu.data import DataLoader, MinMaxScaler, StandardScaler, train_val_test_split
from tinygrad_edu.data import mnist


# ---- DataLoader --------------------------------------------------------------------------------------
@given(n=st.integers(1, 40), batch_size=st.one_of(st.none(), st.integers(1, 50)), drop_last=st.booleans(),
       shuffle=st.booleans())
def test_each_sample_once_per_epoch(n, batch_size, drop_last, shuffle):
    X = np.arange(n, dtype=float).reshape(n, 1)
    loader = DataLoader(X, X * 10, batch_size=batch_size, shuffle=shuffle, seed=0, drop_last=drop_last)
    seen = []
    for x, y in loader:
        assert np.array_equal(y.data, x.data * 10)               # rows stay paired
        size = n if batch_size is None else batch_size
        assert len(x) == size or not drop_last
        seen.extend(x.data.ravel().tolist())
    size = n if batch_size is None else batch_size
    expected = n - n % size if drop_last else n
    assert sorted(seen) == list(range(expected)) if not shuffle else len(set(seen)) == len(seen) == expected
    assert len(list(loader)) == len(loader)


def test_same_seed_same_batches_and_global_rng_untouched():
    X = np.arange(20.0).reshape(10, 2)
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = [x.data.copy() for x, _ in DataLoader(X, X, batch_size=3, seed=5)]
    b = [x.data.copy() for x, _ in DataLoader(X, X, batch_size=3, seed=5)]
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert np.array_equal(np.random.get_state()[1], before)
    loader = DataLoader(X, X, batch_size=10, seed=5)
    first, second = next(iter(loader))[0].data, next(iter(loader))[0].data
    assert not np.array_equal(first, second)          # a new order each epoch


def test_single_sample_and_full_batch():
    X = np.ones((7, 2))
    assert [len(x) for x, _ in DataLoader(X, X, batch_size=1)] == [1] * 7
    assert [len(x) for x, _ in DataLoader(X, X, batch_size=None)] == [7]


def test_loader_errors():
    with pytest.raises(ValueError, match="X has 3 samples but Y has 2"):
        DataLoader(np.ones((3, 1)), np.ones((2, 1)))
    with pytest.raises(ValueError, match="batch_size must be a positive integer or None, got 0"):
        DataLoader(np.ones((3, 1)), np.ones((3, 1)), batch_size=0)


# ---- splits and scalers ----------------------------------------------------------------------------------
def test_split_sizes_disjoint_and_seeded():
    X = np.arange(100.0).reshape(100, 1)
    (xt, yt), (xv, yv), (xs, ys) = train_val_test_split(X, X * 2, val=0.1, test=0.2, seed=1)
    assert (len(xt), len(xv), len(xs)) == (70, 10, 20)
    assert sorted(np.concatenate([xt, xv, xs]).ravel().tolist()) == list(range(100))
    assert np.array_equal(yv, xv * 2)
    again = train_val_test_split(X, X * 2, val=0.1, test=0.2, seed=1)
    assert np.array_equal(again[1][0], xv)


def test_stratified_split_keeps_class_shares():
    y = np.array([0] * 90 + [1] * 10)
    X = np.arange(100.0).reshape(100, 1)
    (_, yt), (_, yv), (_, ys) = train_val_test_split(X, y, val=0.1, test=0.1, seed=0, stratify=True)
    assert (yv == 1).sum() == 1 and (ys == 1).sum() == 1 and (yt == 1).sum() == 8
    one_hot = np.eye(2)[y]
    (_, yt), _, _ = train_val_test_split(X, one_hot, seed=0, stratify=True)
    assert yt[:, 1].sum() == 8
    with pytest.raises(ValueError, match="exceed"):
        train_val_test_split(X, y, val=0.6, test=0.5)


def test_scalers_fit_on_training_data_only():
    train, test = np.array([[0.0, 10.0], [2.0, 30.0]]), np.array([[4.0, 20.0]])
    scaler = MinMaxScaler().fit(train)
    assert np.allclose(scaler.transform(test), [[2.0, 0.5]])
    assert np.allclose(scaler.inverse_transform(scaler.transform(test)), test)
    standard = StandardScaler().fit(train)
    assert np.allclose(standard.transform(train), [[-1, -1], [1, 1]])
    assert np.allclose(MinMaxScaler().fit_transform(np.ones((3, 1))), 0)     # constant column
    with pytest.raises(RuntimeError, match="call fit"):
        MinMaxScaler().transform(train)


# ---- the course's data sets -------------------------------------------------------------------------------
def test_sine_and_complex_curves_follow_their_recipes():
    (x, y), (xt, yt) = datasets.sin_curve(seed=0)
    assert x.shape == y.shape == (500, 1) and xt.shape == (100, 1)
    assert np.all((x >= 0) & (x < 1)) and np.abs(y - np.sin(6.28 * x)).max() <= 0.1
    assert np.array_equal(yt, np.sin(6.28 * xt))
    (x, y), (xt, yt) = datasets.complex_curve(seed=0)
    assert x.shape == (1000, 1) and xt.shape == (200, 1)
    f = 0.4 * x ** 2 + 0.3 * x * np.sin(15 * x) + 0.01 * np.cos(50 * x) - 0.3
    assert np.abs(y - f).max() <= 0.05 and np.abs(y - f).max() > 0.045
    assert np.array_equal(datasets.sin_curve(seed=3)[0][1], datasets.sin_curve(seed=3)[0][1])


def test_xor_arc_and_multiclass():
    X, Y = datasets.xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and Y.ravel().tolist() == [0, 1, 1, 0]
    (X, Y), (Xt, Yt) = datasets.arc(seed=0)
    assert X.shape == (400, 2) and Xt.shape == (100, 2) and Y.sum() == 200
    gap = X[:, 1] - np.sin(X[:, 0]) - 0.65 * Y[:, 0]
    assert np.abs(gap).max() <= 0.125
    (X, y), (Xt, yt) = datasets.multiclass(seed=0)
    assert X.shape == (1000, 2) and Xt.shape == (500, 2) and set(y) == {0, 1, 2}
    # The course's checks (docs/COURSE.md §2e), with labels counted from 0.
    from tinygrad_edu.datasets import multiclass_labels
    assert multiclass_labels(np.array([[0.228, -0.346], [0.210, 0.434], [0.382, -0.165], [0.1, 0.1]])).tolist() \
        == [1, 2, 1, 0]
    shares = np.bincount(y) / len(y)
    assert np.allclose(shares, [0.16, 0.476, 0.364], atol=0.05)


# ---- IDX files and load_mnist ----------------------------------------------------------------------------------
def idx_bytes(array):
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.tobytes()


def trust(monkeypatch, kind, folder):
    """Make load_mnist accept the tiny files in `folder` as the real `kind` files (their content's SHA-256)."""
    sums = {path.name.removesuffix(".gz"): hashlib.sha256(mnist._decompressed(path.read_bytes())).hexdigest()
            for path in folder.iterdir() if "idx" in path.name}
    monkeypatch.setitem(mnist.RAW_SHA256, kind, sums)
    return sums


def write_tiny_mnist(folder, compress):
    rng = np.random.default_rng(0)
    images = {"train": rng.integers(0, 256, (6, 28, 28)), "t10k": rng.integers(0, 256, (3, 28, 28))}
    labels = {"train": rng.integers(0, 10, 6), "t10k": rng.integers(0, 10, 3)}
    for split in ("train", "t10k"):
        for stem, array in ((f"{split}-images-idx3-ubyte", images[split]), (f"{split}-labels-idx1-ubyte", labels[split])):
            data = idx_bytes(array)
            path = folder / (stem + (".gz" if compress else ""))
            path.write_bytes(gzip.compress(data) if compress else data)
    return images, labels


@pytest.mark.parametrize("compress", [False, True])
def test_idx_reader_and_load_mnist_on_tiny_files(tmp_path, monkeypatch, compress):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    images, labels = write_tiny_mnist(tmp_path, compress)
    trust(monkeypatch, "digits", tmp_path)
    suffix = ".gz" if compress else ""
    assert np.array_equal(datasets.read_idx(tmp_path / f"train-images-idx3-ubyte{suffix}"), images["train"])
    (X, y), (Xt, yt) = datasets.load_mnist(root=tmp_path, download=False)
    assert X.shape == (6, 784) and X.dtype == np.float32 and Xt.shape == (3, 784)
    assert np.allclose(X, images["train"].reshape(6, -1) / 255) and np.array_equal(yt, labels["t10k"])
    (X64, _), _ = datasets.load_mnist(root=tmp_path, download=False, dtype=np.float64)
    assert X64.dtype == np.float64 and np.allclose(X64, images["train"].reshape(6, -1) / 255, rtol=1e-15, atol=0)
    from tinygrad_edu import nn
    nn.Linear(784, 2, seed=0)(X64)                       # feeds a layer of the default dtype as it is
    with pytest.raises(TypeError, match="load_mnist: dtype must be a floating dtype"):
        datasets.load_mnist(root=tmp_path, download=False, dtype=np.int64)


def test_idx_reader_refuses_a_wrong_magic_number_and_a_short_file(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"\x12\x34\x08\x01" + (3).to_bytes(4, "big") + b"\x00\x01\x02")
    with pytest.raises(ValueError, match="not an IDX file \\(wrong magic number 12340801\\)"):
        datasets.read_idx(path)
    path.write_bytes(idx_bytes(np.zeros(5))[:-2])
    with pytest.raises(ValueError, match="the header promises \\(5,\\) values"):
        datasets.read_idx(path)


def test_fashion_content_checksum_ignores_recompression(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write_tiny_mnist(tmp_path, compress=True)
    sums = trust(monkeypatch, "fashion", tmp_path)
    monkeypatch.setitem(mnist.SYSTEM_DIRS, "fashion", [])
    for p in tmp_path.glob("*.gz"):                        # recompress: the .gz bytes change, the content not
        p.write_bytes(gzip.compress(gzip.decompress(p.read_bytes()), compresslevel=1, mtime=1))
    assert datasets.load_mnist(root=tmp_path, kind="fashion", download=False)[0][0].shape == (6, 784)
    sums["t10k-labels-idx1-ubyte"] = "0" * 64
    with pytest.raises(ValueError, match="checksum of its content differs"):
        datasets.load_mnist(root=tmp_path, kind="fashion", download=False)


def test_download_checks_the_archive_and_fills_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "mirror"
    source.mkdir()
    write_tiny_mnist(source, compress=True)
    trust(monkeypatch, "digits", source)
    monkeypatch.setitem(mnist.MIRRORS, "digits", ["http://broken.invalid/", source.as_uri() + "/"])
    (X, _), _ = datasets.load_mnist(kind="digits")
    assert X.shape == (6, 784)
    assert sorted(p.name for p in (tmp_path / "cache" / "tinygrad_edu" / "digits").iterdir()) == sorted(
        p.name for p in source.glob("*.gz"))


def test_a_download_with_the_wrong_content_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "mirror"
    source.mkdir()
    write_tiny_mnist(source, compress=True)
    sums = trust(monkeypatch, "digits", source)
    sums["train-images-idx3-ubyte"] = "0" * 64
    monkeypatch.setitem(mnist.MIRRORS, "digits", [source.as_uri() + "/"])
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.gz has the wrong content"):
        datasets.load_mnist(kind="digits")
    assert not (tmp_path / "cache" / "tinygrad_edu" / "digits" / "train-images-idx3-ubyte.gz").exists()


def test_missing_files_offline_say_where_and_how(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setitem(mnist.SYSTEM_DIRS, "fashion", [tmp_path / "nowhere"])
    with pytest.raises(FileNotFoundError) as error:
        datasets.load_mnist(kind="fashion", download=False)
    message = str(error.value)
    assert "train-images-idx3-ubyte" in message and str(tmp_path / "cache") in message and "nowhere" in message
    assert "apt-get install dataset-fashion-mnist" in message
    with pytest.raises(FileNotFoundError) as error:                 # an explicit root: the only place looked in
        datasets.load_mnist(root=tmp_path, kind="fashion", download=False)
    assert str(tmp_path) in str(error.value) and "nowhere" not in str(error.value)
    with pytest.raises(ValueError, match="kind must be 'digits' or 'fashion'"):
        datasets.load_mnist(kind="letters")


def install_tiny_fashion(tmp_path, monkeypatch):
    """A folder of tiny Fashion-MNIST files where Debian's package would put them (and an empty cache)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    installed = tmp_path / "debian"
    installed.mkdir()
    write_tiny_mnist(installed, compress=True)
    monkeypatch.setitem(mnist.SYSTEM_DIRS, "fashion", [installed])
    return installed


def test_an_explicit_root_is_the_only_place_looked_in(tmp_path, monkeypatch):
    trust(monkeypatch, "fashion", install_tiny_fashion(tmp_path, monkeypatch))
    assert datasets.load_mnist(kind="fashion", download=False)[0][0].shape == (6, 784)    # found without root
    with pytest.raises(FileNotFoundError, match=r"root='/nonexistent' is not a folder \(it does not exist\)"):
        datasets.load_mnist(root="/nonexistent", kind="fashion")
    a_file = tmp_path / "hostname"
    a_file.write_text("box\n")
    with pytest.raises(NotADirectoryError, match=r"is not a folder \(it is a file\)"):
        datasets.load_mnist(root=a_file, kind="fashion")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match="not found in " + re.escape(str(empty)) + "; download=False"):
        datasets.load_mnist(root=empty, kind="fashion", download=False)


def test_missing_digits_point_to_the_installed_fashion_mnist(tmp_path, monkeypatch):
    install_tiny_fashion(tmp_path, monkeypatch)
    with pytest.raises(FileNotFoundError, match=r'Fashion-MNIST is installed here \(.*debian\): '
                                                r'load_mnist\(kind="fashion"\) works offline'):
        datasets.load_mnist(kind="digits", download=False)


def test_a_fashion_file_where_digits_were_asked_for_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write_tiny_mnist(tmp_path, compress=True)
    trust(monkeypatch, "fashion", tmp_path)
    with pytest.raises(ValueError, match=r"is the Fashion-MNIST file train-images-idx3-ubyte, but kind='digits' asks "
                                         r"for MNIST digits; pass kind='fashion'"):
        datasets.load_mnist(root=tmp_path, download=False)


# ---- metrics ------------------------------------------------------------------------------------------------
def test_regression_metrics_by_hand():
    y, a = np.array([1.0, 2.0, 4.0]), np.array([2.0, 2.0, 2.0])
    assert metrics.mae(y, a) == 1.0
    assert np.isclose(metrics.mape(y, a), 100 * (1 + 0 + 0.5) / 3)
    assert metrics.sse(y, a) == 5.0 and np.isclose(metrics.mse(y, a), 5 / 3)
    assert np.isclose(metrics.rmse(y, a), np.sqrt(5 / 3))
    assert np.isclose(metrics.r2_score(y, a), 1 - 5 / (16 / 9 + 1 / 9 + 25 / 9))   # ȳ = 7/3
    with pytest.raises(ValueError, match="contains 0"):
        metrics.mape([0.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="y_true has 2 values but y_pred has 3"):
        metrics.mae([1, 2], [1, 2, 3])


@given(hnp.arrays(np.float64, st.integers(2, 30), elements=st.floats(-10, 10)),
       hnp.arrays(np.float64, 30, elements=st.floats(-10, 10)))
def test_regression_metric_properties(y, noise):
    a = y + noise[: len(y)]
    assert metrics.r2_score(y, y) == 1.0
    assert np.isclose(metrics.mse(y, a), metrics.rmse(y, a) ** 2)
    assert np.isclose(metrics.sse(y, a), metrics.mse(y, a) * len(y))
    assert metrics.mae(y, a) <= metrics.rmse(y, a) + 1e-12
    if np.ptp(y) > 1e-3:
        assert np.isclose(metrics.r2_score(y, np.full_like(y, y.mean())), 0.0, atol=1e-9)


def test_classification_metrics_by_hand():
    y = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    p = np.array([1, 0, 1, 0, 1, 0, 0, 1])      # TP 3, FN 1, FP 1, TN 3
    assert metrics.accuracy(y, p) == 0.75
    assert metrics.precision(y, p) == 0.75 and metrics.recall(y, p) == 0.75 and metrics.f1_score(y, p) == 0.75
    assert metrics.confusion_matrix(y, p).tolist() == [[3, 1], [1, 3]]
    assert metrics.precision([1, 0], [0, 0]) == 0.0          # 0/0 is 0, as scikit-learn warns and returns
    assert metrics.accuracy(np.array([0, 2]), np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]])) == 1.0
    assert metrics.confusion_matrix([0, 2], [2, 2], labels=[0, 1, 2]).tolist() == [[0, 0, 1], [0, 0, 0], [0, 0, 1]]


@given(hnp.arrays(np.int64, st.integers(2, 40), elements=st.integers(0, 1)),
       hnp.arrays(np.float64, 40, elements=st.sampled_from([0.1, 0.2, 0.5, 0.7, 0.9])))
def test_roc_auc_is_the_pairwise_probability(y, scores):
    s = scores[: len(y)]
    if y.min() == y.max():
        with pytest.raises(ValueError, match="needs both classes"):
            metrics.roc_auc_score(y, s)
        return
    positives, negatives = s[y == 1], s[y == 0]
    pairs = (positives[:, None] > negatives[None, :]) + 0.5 * (positives[:, None] == negatives[None, :])
    assert np.isclose(metrics.roc_auc_score(y, s), pairs.mean())


def test_roc_auc_by_hand():
    assert metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75


@pytest.mark.parametrize("metric", [metrics.accuracy, metrics.precision, metrics.recall, metrics.f1_score,
                                    metrics.confusion_matrix])
@pytest.mark.parametrize("scores", [np.array([[0.2], [0.9], [0.7], [0.1]]),        # probabilities
                                    np.array([[-3.1], [2.4], [0.6], [-0.2]]),      # logits
                                    np.array([0.0, 1.0, np.nan, 0.0])])             # a NaN is no label either
def test_classification_metrics_refuse_one_column_of_scores(metric, scores):
    labels = np.array([[0], [1], [1], [0]])
    with pytest.raises(ValueError, match=rf"{metric.__name__}: y_pred holds continuous scores .*threshold them"):
        metric(labels, scores)
    with pytest.raises(ValueError, match=rf"{metric.__name__}: y_true holds continuous scores"):
        metric(scores, labels)


def test_classification_metrics_take_thresholded_scores_labels_and_score_rows():
    y = np.array([[0], [1], [1], [0]])
    probabilities = np.array([[0.2], [0.9], [0.4], [0.1]])
    # Thresholded by the learner (bools or 0./1. floats) they are labels: 3 of 4 right, by hand.
    assert metrics.accuracy(y, probabilities > 0.5) == 0.75
    assert metrics.accuracy(y.astype(float), (probabilities > 0.5).astype(float)) == 0.75
    assert metrics.recall(y, probabilities > 0.5) == 0.5
    # Two columns of class scores: argmax, row 2 leans to class 0.
    rows = np.array([[0.8, 0.2], [0.1, 0.9], [0.6, 0.4], [0.7, 0.3]])
    assert metrics.accuracy(y, rows) == 0.75
    assert metrics.roc_auc_score(y, probabilities) == 1.0           # the metric that takes scores


def test_stratified_split_refuses_continuous_targets():
    with pytest.raises(ValueError, match=r"train_val_test_split\(stratify=True\): Y holds continuous scores"):
        train_val_test_split(np.zeros((10, 1)), np.linspace(0, 1, 10), stratify=True)
