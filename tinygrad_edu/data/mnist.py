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
# MD5 of the decompressed files, which a recompressed .gz (Debian's Fashion-MNIST) keeps.
RAW_MD5 = {
    "fashion": {"train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
                "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
                "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
                "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965"},
}
# MD5 of the original .gz files on the mirrors: checked on a fresh download only.
DOWNLOAD_MD5 = {
    "digits": {"train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
               "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
               "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
               "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c"},
    "fashion": {"train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
                "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
                "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310"},
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
        if hashlib.md5(raw).hexdigest() != DOWNLOAD_MD5[kind][stem]:
            errors.append(f"{mirror}: checksum mismatch for {stem}.gz")
            continue
        cache.mkdir(parents=True, exist_ok=True)
        target = cache / (stem + ".gz")
        temporary = target.with_suffix(".part")
        temporary.write_bytes(raw)
        os.replace(temporary, target)
        return target, errors
    return None, errors


def _checked(kind, path):
    raw = _decompressed(path.read_bytes())
    stem = path.name.removesuffix(".gz")
    known = RAW_MD5.get(kind, {}).get(stem)
    if known is not None and hashlib.md5(raw).hexdigest() != known:
        raise ValueError(f"load_mnist: {path} is not the {kind} file {stem} (checksum of its content differs)")
    return parse_idx(raw, name=str(path))


def load_mnist(root=None, kind="digits", download=True):
    """((X_train, y_train), (X_test, y_test)): X float32 (m, 784) scaled to [0, 1], y int64 (m,).

    Looks in `root`, then the cache (~/.cache/tinygrad_edu/<kind>), then, for
    kind="fashion", Debian's dataset-fashion-mnist; downloads into the cache when allowed.
    Files may be raw or .gz. A file's content is checked against the known checksum of
    the decompressed bytes where one is recorded (a .gz may have been recompressed), and
    always for its IDX header and size.
    """
    if kind not in MIRRORS:
        raise ValueError(f"load_mnist: kind must be 'digits' or 'fashion', got {kind!r}")
    cache = default_cache_dir() / kind
    places = ([Path(root)] if root is not None else []) + [cache] + SYSTEM_DIRS[kind]
    arrays, problems = {}, []
    for key, stem in FILES.items():
        path = next((p for p in (_find(d, stem) for d in places) if p is not None), None)
        if path is None and download:
            path, errors = _download(kind, stem, cache)
            problems += errors
        if path is None:
            looked = ", ".join(str(d) for d in places)
            how = ("apt-get install dataset-fashion-mnist, or " if kind == "fashion" else "")
            raise FileNotFoundError(
                f"load_mnist: {stem} (or {stem}.gz) for {kind} not found in {looked}"
                + (f"; download failed: {'; '.join(problems)}" if problems else "; download=False")
                + f". Get the four IDX files ({how}from a mirror: {MIRRORS[kind][0]}) into one of those folders "
                  f"or pass root=")
        arrays[key] = _checked(kind, path)
    scale = np.float32(1 / 255)
    train = (arrays["train_images"].reshape(len(arrays["train_images"]), -1) * scale,
             arrays["train_labels"].astype(np.int64))
    test = (arrays["test_images"].reshape(len(arrays["test_images"]), -1) * scale,
            arrays["test_labels"].astype(np.int64))
    return train, test
