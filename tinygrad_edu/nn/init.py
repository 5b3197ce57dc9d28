"""Weight initialisations of the course (15.1); each returns an (n_in, n_out) array."""
import numpy as np


def xavier(n_in, n_out, rng, dtype=np.float64):
    """The course's Xavier (Glorot uniform): U(±√(6/(n_in + n_out)))."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out)).astype(dtype, copy=False)


def he(n_in, n_out, rng, dtype=np.float64):
    """The course's MSRA (He): normal with std √(2/n_in)."""
    return (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype, copy=False)


def normal(n_in, n_out, rng, dtype=np.float64):
    """The course's Normal: N(0, 1)."""
    return rng.standard_normal((n_in, n_out)).astype(dtype, copy=False)


def zeros(n_in, n_out, rng=None, dtype=np.float64):
    """All zeros: every hidden unit stays identical by symmetry (15.1), shown for teaching."""
    return np.zeros((n_in, n_out), dtype=dtype)


INITS = {"xavier": xavier, "he": he, "normal": normal, "zeros": zeros}
