"""tinygrad_edu against hand-written numpy (and PyTorch when it is importable), side by side.

Every workload runs each implementation in turn, round after round (A B C A B C …), and
reports the median over rounds of each implementation's time divided by numpy's time in
the same round, so a noisy machine moves numerator and denominator together. A training
epoch is taken in ten slices, each a round of its own, so a burst of load spoils a slice,
not an epoch.
Single-threaded; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset in this process only
(they slow current numpy), and the BLAS kernel in use is printed.

    make bench            (or: python benchmarks/bench_nets.py [--rounds 5] [--slices 10] [--quick])
"""
import sys

if __name__ == "__main__":
    from benchmark_environment import restart_single_threaded
    restart_single_threaded()

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference  # noqa: E402

import tinygrad_edu  # noqa: E402
import tinygrad_edu.functional as F  # noqa: E402
from tinygrad_edu import Tensor, datasets, nn, optim  # noqa: E402
from tinygrad_edu.data import DataLoader  # noqa: E402

try:
    import torch
    torch.set_num_threads(1)
except ImportError:
    torch = None


# ---- data and initial weights shared by every implementation -----------------------------------------
def mnist_data(n):
    try:
        (X, y), _ = datasets.load_mnist(kind="fashion", download=False)
        source = "Fashion-MNIST (Debian's dataset-fashion-mnist)"
    except FileNotFoundError:
        rng = np.random.default_rng(0)
        X, y = rng.random((60000, 784), dtype=np.float32), rng.integers(0, 10, 60000)
        source = "synthetic data of MNIST's shape (no MNIST-format files found)"
    order = np.random.default_rng(1).permutation(len(X))[:n]     # one fixed batch order for all
    return X[order], y[order], source


def initial_weights(sizes, dtype, seed=0):
    rng = np.random.default_rng(seed)
    weights = {}
    for i, (n_in, n_out) in enumerate(sizes, start=1):
        limit = np.sqrt(6 / (n_in + n_out))
        weights[f"W{i}"] = rng.uniform(-limit, limit, (n_in, n_out)).astype(dtype)
        weights[f"B{i}"] = np.zeros(n_out, dtype=dtype)
    return weights


MNIST_SIZES = [(784, 64), (64, 16), (16, 10)]


# A network workload is a trainer: `mnist_numpy(X, y, batch, weights)` builds the net from
# `weights` and returns train(rows), which runs the SGD steps over the samples X[rows].
# The benchmark calls the trainers in turn on consecutive slices of one epoch.
def mnist_numpy(X, y, batch, weights):
    p = {k: v.copy() for k, v in weights.items()}
    Y = np.eye(10, dtype=X.dtype)[y]

    def train(rows):
        for start in range(rows.start, rows.stop, batch):
            reference.mnist_step(p, X[start:start + batch], Y[start:start + batch], 0.2)
    return train


def _our_net(weights, activations):
    layers = []
    for i, activation in enumerate(activations, start=1):
        layer = nn.Linear(*weights[f"W{i}"].shape, dtype=weights[f"W{i}"].dtype)
        layer.weight.data[...], layer.bias.data[...] = weights[f"W{i}"], weights[f"B{i}"]
        layers += [layer] + ([activation] if activation else [])
    return nn.Sequential(*layers)


def _batches(loader):
    """The loader's batches, epoch after epoch: made (and its data checked) once, outside the timed slices."""
    while True:
        yield from loader


def mnist_ours(X, y, batch, weights, traced=False):
    model = _our_net(weights, [nn.Sigmoid(), nn.Tanh(), None])
    opt = optim.SGD(model.parameters(), lr=0.2)
    batches = _batches(DataLoader(X, y, batch_size=batch, shuffle=False))
    step = _step(lambda x, labels: F.cross_entropy(model(x), labels), traced, model.parameters())

    def train(rows):
        for _ in range(rows.start, rows.stop, batch):
            x, labels = next(batches)
            opt.zero_grad()
            step(x, labels)
            opt.step()
    return train


def _step(forward_and_loss, traced, parameters):
    """One step's forward and backward into the parameters' `.grad`: eager (`loss.backward()`),
    or as `fit` runs a traced step (the record's forward, then its backward, on arrays)."""
    if not traced:
        return lambda x, y: forward_and_loss(x, y).backward()
    recorded, seeds = tinygrad_edu.trace(forward_and_loss), {}        # d(loss)/d(loss) = 1, by dtype

    def replay(x, y):
        forward = recorded.forward(x, y)
        loss = forward.output
        if loss.dtype not in seeds:
            seeds[loss.dtype] = np.ones((), loss.dtype)
        for p, g in zip(parameters, forward.gradients(seeds[loss.dtype], parameters)):
            p.grad = g
    return replay


def _torch_net(weights, activations):
    layers = []
    for i, activation in enumerate(activations, start=1):
        W = torch.from_numpy(weights[f"W{i}"].T.copy())
        layer = torch.nn.Linear(*weights[f"W{i}"].shape, dtype=W.dtype)
        with torch.no_grad():
            layer.weight.copy_(W)
            layer.bias.copy_(torch.from_numpy(weights[f"B{i}"]))
        layers += [layer] + ([activation] if activation else [])
    return torch.nn.Sequential(*layers)


def mnist_torch(X, y, batch, weights):
    model = _torch_net(weights, [torch.nn.Sigmoid(), torch.nn.Tanh(), None])
    opt = torch.optim.SGD(model.parameters(), lr=0.2)
    X, y = torch.from_numpy(X), torch.from_numpy(y)

    def train(rows):
        for start in range(rows.start, rows.stop, batch):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(X[start:start + batch]), y[start:start + batch]).backward()
            opt.step()
    return train


def curve_data():
    (X, Y), _ = datasets.complex_curve(seed=0)
    return X[:900], Y[:900]


def regression_numpy(X, Y, weights):
    p = {k: v.copy() for k, v in weights.items()}

    def train(rows):
        for i in range(rows.start, rows.stop):
            reference.regression_step(p, X[i:i + 1], Y[i:i + 1], 0.5)
    return train


def regression_ours(X, Y, weights, traced=False):
    model = _our_net(weights, [nn.Sigmoid(), None])
    opt = optim.SGD(model.parameters(), lr=0.5)
    batches = _batches(DataLoader(X, Y, batch_size=1, shuffle=False))
    step = _step(lambda x, y: F.half_mse_loss(model(x), y), traced, model.parameters())

    def train(rows):
        for _ in range(rows.start, rows.stop):
            x, y = next(batches)
            opt.zero_grad()
            step(x, y)
            opt.step()
    return train


def regression_torch(X, Y, weights):
    model = _torch_net(weights, [torch.nn.Sigmoid(), None])
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)

    def train(rows):
        for i in range(rows.start, rows.stop):
            opt.zero_grad()
            (torch.nn.functional.mse_loss(model(X[i:i + 1]), Y[i:i + 1]) / 2).backward()
            opt.step()
    return train


CHAIN = 1000


def chain_numpy():
    rng = np.random.default_rng(0)
    reference.elementwise_chain(rng.random((4, 4)), np.full((4, 4), 1.0001), CHAIN)


def chain_ours():
    y = x = Tensor(np.random.default_rng(0).random((4, 4)), requires_grad=True)
    c = Tensor(np.full((4, 4), 1.0001))
    for _ in range(CHAIN):
        y = y * c
    y.backward(np.ones((4, 4)))


def chain_torch():
    y = x = torch.from_numpy(np.random.default_rng(0).random((4, 4))).requires_grad_()
    c = torch.full((4, 4), 1.0001, dtype=torch.float64)
    for _ in range(CHAIN):
        y = y * c
    y.backward(torch.ones(4, 4, dtype=torch.float64))


# ---- measuring -------------------------------------------------------------------------------------------
def side_by_side(implementations, rounds):
    """Median over rounds of time(impl) / time(numpy) in the same round, and numpy's median time."""
    times = {name: [] for name in implementations}
    for _ in range(rounds):
        for name, seconds in _one_round(implementations).items():
            times[name].append(seconds)
    ratios = {name: statistics.median(t / n for t, n in zip(times[name], times["numpy"])) for name in times}
    return ratios, statistics.median(times["numpy"])


def epoch_side_by_side(trainers, n, batch, rounds, slices=10):
    """side_by_side for a training epoch of n samples, taken in slices: each round builds every
    net afresh and trains them in turn slice by slice (A B C A B C … within the epoch), so a
    burst of load on this shared machine spoils a few slices, not a whole epoch. Median over
    all slices of the per-slice ratio, and numpy's median time for the whole epoch."""
    size = batch * math.ceil(n / slices / batch)
    parts = [slice(start, min(start + size, n)) for start in range(0, n, size)]
    ratios, epochs = {name: [] for name in trainers}, []
    for _ in range(rounds):
        train = {name: make() for name, make in trainers.items()}
        epochs.append(0.0)
        for part in parts:
            seconds = _one_round({name: functools.partial(run, part) for name, run in train.items()})
            epochs[-1] += seconds["numpy"]
            for name in train:
                ratios[name].append(seconds[name] / seconds["numpy"])
    return {name: statistics.median(r) for name, r in ratios.items()}, statistics.median(epochs)


def _one_round(implementations):
    seconds = {}
    for name, run in implementations.items():
        start = time.perf_counter()
        run()
        seconds[name] = time.perf_counter() - start
    return seconds


def in_subprocess(code):
    """Run `code` (which prints JSON) in a fresh interpreter, for clean time and memory figures."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Peak memory added by a piece of work: reset the kernel's high-water mark of this process
# (Linux: /proc/self/clear_refs), then read it again after the work.
PEAK_MEMORY = """
def _rss(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith(field))
def start_peak():
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return _rss("VmRSS:")
def peak_since(start):
    return _rss("VmHWM:") - start
"""

# The chain: 100,000 ops on a (4, 4) float64 tensor, alternating y + b and y * a,
# where a and b require grad too (so every op records a gradient for two inputs).
LONG_CHAIN = PEAK_MEMORY + """
import json, time
import numpy as np
IMPL = {impl!r}
if IMPL == "ours":
    from tinygrad_edu import Tensor
    def tensor(value):
        return Tensor(np.full((4, 4), value), requires_grad=True)
    seed = np.ones((4, 4))
else:
    import torch
    torch.set_num_threads(1)
    def tensor(value):
        return torch.full((4, 4), value, dtype=torch.float64, requires_grad=True)
    seed = torch.ones((4, 4), dtype=torch.float64)
x, a, b = tensor(1.0), tensor(1.0001), tensor(0.001)
before = start_peak()
start = time.perf_counter()
y = x
for _ in range(50_000):
    y = y + b
    y = y * a
forward = time.perf_counter() - start
y.backward(seed)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "forward": forward, "mb": peak_since(before)}}))
"""

EPOCH_MEMORY = PEAK_MEMORY + """
import json
import numpy as np
import bench_nets as b
X, y, _ = b.mnist_data({n})
weights = b.initial_weights(b.MNIST_SIZES, np.float32)
train = getattr(b, "mnist_{impl}")(X, y, 256, weights)
before = start_peak()
train(slice(0, len(X)))
print(json.dumps({{"mb": peak_since(before)}}))
"""


def traced_peak(impl, X, y, weights, batch=256):
    """Peak of the bytes Python and numpy hold (tracemalloc) during an epoch, above its start:
    what the arrays and objects need, without the allocator's own high-water mark."""
    train = globals()[f"mnist_{impl}"](X, y, batch, weights)
    train(slice(0, 10 * batch))                  # warm up: first-call allocations are not the epoch's
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    train(slice(0, len(X)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - start) / 2**20


def flat_memory(steps=1000):
    """tracemalloc's count of live bytes after step 100 and after the last step of a training loop."""
    X, Y = curve_data()
    model = _our_net(initial_weights([(1, 3), (3, 1)], np.float64), [nn.Sigmoid(), None])
    opt = optim.SGD(model.parameters(), lr=0.5)
    tracemalloc.start()
    marks = {}
    for step in range(1, steps + 1):
        i = step % len(X)
        opt.zero_grad()
        (F.mse_loss(model(X[i:i + 10]), Y[i:i + 10]) / 2).backward()
        opt.step()
        if step in (100, steps):
            marks[step] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return marks


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed (pip install threadpoolctl)"
    return "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}, "
                     f"{i.get('num_threads')} thread(s)" for i in threadpool_info())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smaller epochs (a check that it runs)")
    parser.add_argument("--slices", type=int, default=10,
                        help="slices per epoch, each a round (more than the steps: one step per slice)")
    args = parser.parse_args(argv)
    n = 6000 if args.quick else 60000
    X, y, source = mnist_data(n)
    print(f"tinygrad_edu {tinygrad_edu.__version__}, numpy {np.__version__}, "
          f"PyTorch {torch.__version__ if torch else 'not installed'}, Python {platform.python_version()}")
    print(f"BLAS: {blas_info()}")
    print(f"MNIST-format data: {source}, {n} images per epoch\n")

    def implementations(numpy_run, ours_run, torch_run, traced_run=None):
        found = {"numpy": numpy_run, "tinygrad_edu": ours_run}
        if traced_run is not None:
            found["traced"] = traced_run
        if torch:
            found["PyTorch"] = torch_run
        return found

    rows = []
    weights32 = initial_weights(MNIST_SIZES, np.float32)
    for batch in (16, 64, 256):
        ratios, base = epoch_side_by_side(implementations(lambda: mnist_numpy(X, y, batch, weights32),
                                                           lambda: mnist_ours(X, y, batch, weights32),
                                                           lambda: mnist_torch(X, y, batch, weights32),
                                                           lambda: mnist_ours(X, y, batch, weights32, traced=True)),
                                          n, batch, args.rounds, args.slices)
        rows.append((f"784-64-16-10 epoch, float32, batch {batch}", ratios, f"{base:.2f} s"))
    Xc, Yc = curve_data()
    weights64 = initial_weights([(1, 3), (3, 1)], np.float64)
    ratios, base = epoch_side_by_side(implementations(lambda: regression_numpy(Xc, Yc, weights64),
                                                      lambda: regression_ours(Xc, Yc, weights64),
                                                      lambda: regression_torch(Xc, Yc, weights64),
                                                      lambda: regression_ours(Xc, Yc, weights64, traced=True)),
                                      len(Xc), 1, args.rounds, args.slices)
    rows.append(("1-3-1 net, single-sample SGD, per step (float64)", ratios, f"{base / len(Xc) * 1e6:.1f} µs"))
    ratios, base = side_by_side(implementations(chain_numpy, chain_ours, chain_torch), args.rounds)
    rows.append((f"chain of {CHAIN} elementwise ops on (4,4), forward+backward, per op", ratios,
                 f"{base / CHAIN * 1e6:.2f} µs"))

    names = ["numpy", "tinygrad_edu", "traced"] + (["PyTorch"] if torch else [])
    print("| workload | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label, ratios, base in rows:
        print(f"| {label} | 1.00 ({base}) | " + " | ".join(f"{ratios[k]:.2f}×" if k in ratios else "—"
                                                            for k in names[1:]) + " |")

    # Each run in a fresh interpreter, in turn, three times; the median of each figure.
    impls = {"tinygrad_edu": "ours", **({"PyTorch": "torch"} if torch else {})}
    runs = {name: [] for name in impls}
    for _ in range(3):
        for name, impl in impls.items():
            runs[name].append(in_subprocess(LONG_CHAIN.format(impl=impl)))
    chain = {name: {k: statistics.median(r[k] for r in found) for k in ("seconds", "forward", "mb")}
             for name, found in runs.items()}
    print("| chain of 100,000 ops (y + b, y * a) on (4,4), forward+backward | — | "
          + " | ".join(f"{chain[k]['seconds']:.2f} s (forward {chain[k]['forward']:.2f} s), +{chain[k]['mb']:.0f} MB"
                       if k in chain else "—" for k in names[1:]) + " |")
    peaks = {"numpy": [], "ours": []}
    for _ in range(3):
        for impl, found in peaks.items():
            found.append(in_subprocess(EPOCH_MEMORY.format(n=n, impl=impl))["mb"])
    memory = {impl: statistics.median(found) for impl, found in peaks.items()}
    print(f"\nPeak memory added by one epoch at batch 256 (median of 3): numpy +{memory['numpy']:.2f} MB, "
          f"tinygrad_edu +{memory['ours']:.2f} MB ({memory['ours'] / memory['numpy'] - 1:+.0%})")
    traced = {impl: traced_peak(impl, X, y, weights32) for impl in ("numpy", "ours")}
    print(f"Peak of the bytes held during that epoch (tracemalloc): numpy {traced['numpy']:.2f} MB, "
          f"tinygrad_edu {traced['ours']:.2f} MB ({traced['ours'] / traced['numpy'] - 1:+.0%})")
    marks = flat_memory()
    print(f"Live memory in a training loop (tracemalloc): after 100 steps {marks[100] / 1024:.1f} KiB, "
          f"after 1,000 steps {marks[1000] / 1024:.1f} KiB")
    return rows


if __name__ == "__main__":
    main()
