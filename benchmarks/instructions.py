"""Instructions per step, ours against hand-written numpy, counted by valgrind's callgrind.

Wall-clock ratios on a shared machine move by ±15% between runs; instruction counts do
not (the same count twice, whatever else the machine is doing), so they show whether a
change to the engine helped. They are not times: the interpreter's instructions run
slower than BLAS's, so a time ratio is larger than the instruction ratio.

Each workload runs in a fresh interpreter under callgrind once with 1 repetition and
once with 3 (after building the nets and one warm-up repetition); the difference,
divided by 2, is one repetition without the start-up.

    python benchmarks/instructions.py [workload ...]      (needs valgrind; about a minute each)
"""
import re
import subprocess
import sys
from pathlib import Path

from benchmark_environment import environment

HERE = Path(__file__).resolve().parent
# A workload: (how many steps one repetition has, code that makes run(), which does one repetition).
WORKLOADS = {
    "chain": (1000, "lambda: b.chain_{impl}()"),
    "1-3-1": (200, "functools.partial(b.regression_{impl}(Xc, Yc, w131), slice(0, 200))"),
    "mnist16": (100, "functools.partial(b.mnist_{impl}(X, y, 16, w), slice(0, 1600))"),
    "mnist64": (25, "functools.partial(b.mnist_{impl}(X, y, 64, w), slice(0, 1600))"),
}
SETUP = """
import functools
import sys
sys.modules["torch"] = None                    # PyTorch's import alone would take minutes under valgrind
sys.path.insert(0, {here!r})
import numpy as np
import bench_nets as b
Xc, Yc = b.curve_data()
w131 = b.initial_weights([(1, 3), (3, 1)], np.float64)
rng = np.random.default_rng(0)                 # data of MNIST's shape: the count does not depend on the pixels
X, y = rng.random((1600, 784), dtype=np.float32), rng.integers(0, 10, 1600)
w = b.initial_weights(b.MNIST_SIZES, np.float32)
"""


def count(code):
    """Instructions of one run of `code` after SETUP, start-up included."""
    script = SETUP.format(here=str(HERE)) + code
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             sys.executable, "-c", script], capture_output=True, text=True, env=environment())
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not found:
        raise RuntimeError(f"callgrind failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def per_step(name, impl):
    steps, make = WORKLOADS[name]
    setup = f"run = {make.format(impl=impl)}\nrun()\n"           # the first run warms up
    one, three = count(setup + "run()\n"), count(setup + "run()\n" * 3)
    return (three - one) / 2 / steps


def main(argv=None):
    names = (argv if argv is not None else sys.argv[1:]) or list(WORKLOADS)
    print("| workload | numpy, instructions per step | tinygrad_edu | ratio |\n|---|---|---|---|")
    for name in names:
        numpy_count, ours = per_step(name, "numpy"), per_step(name, "ours")
        print(f"| {name} | {numpy_count:,.0f} | {ours:,.0f} | {ours / numpy_count:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
