"""MNIST-format data: an IDX reader, and load_mnist() that finds, downloads and checks the files."""
import gzip
import hashlib
import os
import urllib.request
from pathlib import Path

import numpy as np

FILES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
         "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}
MIRRORS = {
    "digits": ["https://ossci-datasets.s3.amazonaws.com/mnist/",
               "https://storage.googleapis.com/cvdf-datasets/mnist/"],
    "fashion": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
}
# SHA-256 of the decompressed files: a .gz may have been recompressed (Debian's Fashion-MNIST
# is), so files are checked by their content, never by the bytes of their archive.
RAW_SHA256 = {
    "digits": {"train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
               "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
               "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
               "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
    "fashion": {"train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
}
SYSTEM_DIRS = {"fashion": [Path("/usr/share/datasets/fashion-mnist")], "digits": []}
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tinygrad_edu"


def _decompressed(raw):
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def parse_idx(data, name="IDX data"):
    """The array in IDX bytes: magic 0, 0, type code, number of dimensions, then big-endian sizes."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(f"{name}: not an IDX file (wrong magic number {data[:4].hex()})")
    ndim = data[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[data[2]])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(f"{name}: the header promises {shape} values of {dtype} ({expected} bytes), "
                         f"the file has {len(data)} bytes")
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)


def read_idx(path):
    """Read an IDX file, gzip-compressed or not."""
    return parse_idx(_decompressed(Path(path).read_bytes()), name=str(path))


def _find(directory, stem):
    for name in (stem, stem + ".gz"):
        if (directory / name).is_file():
            return directory / name
    return None


def _download(kind, stem, cache):
    """Fetch stem.gz from the first mirror that answers, check it, keep it in `cache`."""
    errors = []
    for mirror in MIRRORS[kind]:
        try:
            with urllib.request.urlopen(mirror + stem + ".gz", timeout=30) as response:
                raw = response.read()
        except OSError as error:
            errors.append(f"{mirror}: {error}")
            continue
        if not _content_ok(kind, stem, raw):
            errors.append(f"{mirror}: {stem}.gz has the wrong content (checksum differs)")
            continue
        cache.mkdir(parents=True, exist_ok=True)
        target = cache / (stem + ".gz")
        temporary = target.with_suffix(".part")
        temporary.write_bytes(raw)
        os.replace(temporary, target)
        return target, errors
    return None, errors


def _content_ok(kind, stem, data):
    try:
        return hashlib.sha256(_decompressed(data)).hexdigest() == RAW_SHA256[kind][stem]
    except (OSError, EOFError):   # a broken gzip stream
        return False


_NAMES = {"digits": "MNIST digits", "fashion": "Fashion-MNIST"}


def _checked(kind, path):
    data = path.read_bytes()
    stem = path.name.removesuffix(".gz")
    if not _content_ok(kind, stem, data):
        other = "fashion" if kind == "digits" else "digits"
        if _content_ok(other, stem, data):
            raise ValueError(f"load_mnist: {path} is the {_NAMES[other]} file {stem}, but kind={kind!r} asks for "
                             f"{_NAMES[kind]}; pass kind={other!r} to load it")
        raise ValueError(f"load_mnist: {path} is not the {_NAMES[kind]} file {stem} (checksum of its content differs)")
    return parse_idx(_decompressed(data), name=str(path))


def load_mnist(root=None, kind="digits", download=True, dtype=np.float32):
    """((X_train, y_train), (X_test, y_test)): X (m, 784) scaled to [0, 1], y int64 (m,).

    X is float32 unless `dtype` says otherwise: pass np.float64 to feed layers of the
    default dtype (`nn.Linear(784, 64)`), or build the net in float32
    (`nn.Linear(784, 64, dtype=np.float32)`, or `model.float()`).

    With `root`, that folder is the only place looked in (and downloaded into). Without
    it: the cache (~/.cache/tinygrad_edu/<kind>), then, for kind="fashion", Debian's
    dataset-fashion-mnist; downloads go into the cache when allowed. Files may be raw or
    .gz; each is checked by the SHA-256 of its decompressed content (a .gz may have been
    recompressed) and by its IDX header.
    """
    if kind not in MIRRORS:
        raise ValueError(f"load_mnist: kind must be 'digits' or 'fashion', got {kind!r}")
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"load_mnist: dtype must be a floating dtype (np.float32 or np.float64), got {dtype}")
    if root is not None:
        root = Path(root)
        if not root.is_dir():
            kind_of_error = NotADirectoryError if root.exists() else FileNotFoundError
            raise kind_of_error(f"load_mnist: root={str(root)!r} is not a folder"
                                + (" (it is a file)" if root.exists() else " (it does not exist)"))
        places, target = [root], root
    else:
        target = default_cache_dir() / kind
        places = [target] + SYSTEM_DIRS[kind]
    arrays, problems = {}, []
    for key, stem in FILES.items():
        path = next((p for p in (_find(d, stem) for d in places) if p is not None), None)
        if path is None and download:
            path, errors = _download(kind, stem, target)
            problems += errors
        if path is None:
            raise FileNotFoundError(_not_found(kind, stem, places, problems, root))
        arrays[key] = _checked(kind, path)
    scale = dtype.type(1 / 255)
    train = (arrays["train_images"].reshape(len(arrays["train_images"]), -1) * scale,
             arrays["train_labels"].astype(np.int64))
    test = (arrays["test_images"].reshape(len(arrays["test_images"]), -1) * scale,
            arrays["test_labels"].astype(np.int64))
    return train, test


def _not_found(kind, stem, places, problems, root):
    """What is missing, where we looked, why the download failed, and what would work instead."""
    looked = ", ".join(str(d) for d in places)
    how = "apt-get install dataset-fashion-mnist, or " if kind == "fashion" else ""
    message = (f"load_mnist: {stem} (or {stem}.gz) of {_NAMES[kind]} not found in {looked}"
               + (f"; download failed: {'; '.join(problems)}" if problems else "; download=False")
               + f". Get the four IDX files ({how}from {MIRRORS[kind][0]}) into "
               + ("that folder" if root is not None else "one of those folders, or pass root="))
    if kind == "digits":
        installed = [d for d in SYSTEM_DIRS["fashion"] + [default_cache_dir() / "fashion"]
                     if all(_find(d, s) for s in FILES.values())]
        if installed:
            message += (f". Fashion-MNIST is installed here ({installed[0]}): load_mnist(kind=\"fashion\") "
                        f"works offline")
    return message
