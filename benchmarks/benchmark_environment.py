"""The environment every benchmark runs in: one thread, and OpenBLAS's kernel of its own choosing.

BLAS reads these variables when numpy is first imported, so a benchmark calls
`restart_single_threaded()` before importing numpy; it starts the script afresh when
they are not set yet. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which this machine sets
and which slow current numpy, are unset in the benchmark process only.
"""
import os
import sys

THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def environment():
    """This process's environment as the benchmarks want it."""
    return {**{k: v for k, v in os.environ.items() if k not in UNSET}, **THREADS}


def restart_single_threaded():
    if any(os.environ.get(k) != v for k, v in THREADS.items()) or any(k in os.environ for k in UNSET):
        os.execve(sys.executable, [sys.executable, *sys.argv], environment())
