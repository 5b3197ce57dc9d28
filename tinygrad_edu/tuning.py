"""Hyperparameter search (course 9.7): grid and random, on this machine or any Executor.

`objective(params)` trains on the training set and returns the validation loss (or a
dict with "score" and extra metrics); lower is better. If it takes a `seed` argument it
gets its trial's own seed, derived from the search's seed and the trial number, so a
serial run, a process pool and a Dask cluster give the same results. A trial that
raises or scores NaN/inf is recorded as failed and the search goes on; Ctrl-C returns
the trials finished so far.
"""
import csv
import inspect
import itertools
import math
import multiprocessing
import numbers
import pickle
import time
import traceback
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

import numpy as np


# ---- distributions --------------------------------------------------------------------------------------
class Distribution:
    """A hyperparameter's distribution: `sample(rng)` draws one value."""
    log = False          # plotted on a log axis

    def sample(self, rng):
        raise NotImplementedError


class _LogRange(Distribution):
    """A distribution on [low, high] drawn on a log scale, which needs 0 < low ≤ high."""
    log = True

    def __post_init__(self):
        if not 0 < self.low <= self.high:
            raise ValueError(f"{type(self).__name__} needs 0 < low ≤ high, got ({self.low}, {self.high})")


def _exp_of_uniform(rng, low, high):
    """e^U with U uniform on [ln low, ln high): as likely in each decade as in the next.
    e^(ln x) can round just past x, so callers clamp the result to their range."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


@dataclass(frozen=True)
class uniform(Distribution):  # noqa: N801 - named like the course's and scipy's distributions
    """U(low, high)."""
    low: float
    high: float

    def sample(self, rng):
        return float(rng.uniform(self.low, self.high))


@dataclass(frozen=True)
class loguniform(_LogRange):  # noqa: N801
    """ln X ~ U(ln low, ln high): as likely between 0.001 and 0.01 as between 0.1 and 1 (learning rates)."""
    low: float
    high: float

    def sample(self, rng):
        return float(min(max(_exp_of_uniform(rng, self.low, self.high), self.low), self.high))


@dataclass(frozen=True)
class choice(Distribution):  # noqa: N801
    """One of `options`, equally likely (a categorical hyperparameter)."""
    options: tuple

    def __init__(self, options):
        object.__setattr__(self, "options", tuple(options))
        if not self.options:
            raise ValueError("choice needs at least one option")

    def sample(self, rng):
        return self.options[int(rng.integers(len(self.options)))]


@dataclass(frozen=True)
class bernoulli(Distribution):  # noqa: N801
    """True with probability p (a binary hyperparameter)."""
    p: float = 0.5

    def sample(self, rng):
        return bool(rng.random() < self.p)


@dataclass(frozen=True)
class randint(Distribution):  # noqa: N801
    """An integer in [low, high], bounds included, equally likely."""
    low: int
    high: int

    def sample(self, rng):
        return int(rng.integers(self.low, self.high + 1))


@dataclass(frozen=True)
class log_randint(_LogRange):  # noqa: N801
    """An integer in [low, high] with ln X ~ U(ln low, ln high + 1) (the course's hidden units, 50…2000)."""
    low: int
    high: int

    def sample(self, rng):
        # Draw in [ln low, ln(high + 1)) and floor, so high is as reachable as low.
        return min(max(int(_exp_of_uniform(rng, self.low, self.high + 1)), self.low), self.high)


# ---- results --------------------------------------------------------------------------------------------
@dataclass
class Trial:
    number: int
    params: dict
    seed: int
    score: float = math.nan
    extras: dict = field(default_factory=dict)
    error: str = None
    traceback: str = None
    seconds: float = 0.0

    @property
    def ok(self):
        return self.error is None


class SearchResult:
    """The trials of a search, best first in `best_params` / `best_score`."""

    def __init__(self, trials, space, interrupted=False):
        self.trials = sorted(trials, key=lambda t: t.number)
        self.space = space
        self.interrupted = interrupted

    @property
    def best(self):
        finished = [t for t in self.trials if t.ok]
        if not finished:
            raise ValueError("no trial finished without an error")
        return min(finished, key=lambda t: t.score)

    @property
    def best_params(self):
        return self.best.params

    @property
    def best_score(self):
        return self.best.score

    @property
    def failed(self):
        return [t for t in self.trials if not t.ok]

    def _rows(self):
        names = list(self.space)
        extras = list(dict.fromkeys(k for t in self.trials for k in t.extras))
        header = ["trial", *names, "score", *extras, "seconds", "seed", "error"]
        rows = [[t.number, *(t.params.get(n) for n in names), t.score, *(t.extras.get(k) for k in extras),
                 round(t.seconds, 3), t.seed, t.error or ""] for t in self.trials]
        return header, rows

    def __str__(self):
        header, rows = self._rows()
        cells = [header] + [[_format(v) for v in row] for row in rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        lines = ["  ".join(v.rjust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
        summary = f"best score {_format(self.best_score)} with {self.best_params}" if any(
            t.ok for t in self.trials) else "no trial finished"
        note = " (interrupted)" if self.interrupted else ""
        lines.append(f"{len(self.trials)} trials, {len(self.failed)} failed{note}; {summary}")
        for trial in self.failed[:_TRACEBACKS_SHOWN]:
            if trial.traceback:
                lines.append(f"\ntrial {trial.number} failed:\n{trial.traceback.rstrip()}")
        return "\n".join(lines)

    def to_csv(self, path):
        header, rows = self._rows()
        with open(path, "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            writer.writerows(rows)

    def plot(self, path, title=None):
        """Score against each hyperparameter, on a log axis where its distribution is log."""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import NullFormatter, ScalarFormatter

        finished = [t for t in self.trials if t.ok]
        names = [n for n in self.space if len({repr(t.params[n]) for t in finished}) > 1] or list(self.space)[:1]
        scores = np.array([t.score for t in finished])
        # A diverged trial can score 1e300; draw scores above 100× the median at that cap (as ▲).
        cap = 100 * abs(np.median(scores)) if len(scores) else 1.0
        capped = scores > cap
        shown = np.minimum(scores, cap)
        log_y = bool(len(scores)) and bool(np.all(scores > 0))
        figure, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 4), squeeze=False)
        for ax, name in zip(axes[0], names):
            values = [t.params[name] for t in finished]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                x = np.array(values, dtype=float)
                if getattr(self.space[name], "log", False):
                    ax.set_xscale("log")                     # plain numbers, and none on the minor ticks
                    ax.xaxis.set_major_formatter(ScalarFormatter())
                    ax.xaxis.set_minor_formatter(NullFormatter())
                distinct = sorted(set(values))
                if all(isinstance(v, int) for v in values) and len(distinct) <= 12:
                    ax.set_xticks(distinct, [str(v) for v in distinct])     # only the values tried
            else:
                labels = sorted({str(v) for v in values})
                x = np.array([labels.index(str(v)) for v in values])
                ax.set_xticks(range(len(labels)), labels)
            ax.scatter(x[~capped], shown[~capped], s=18)
            ax.scatter(x[capped], shown[capped], s=30, marker="^", color="red", label=f"> {cap:.3g}")
            ax.set(xlabel=name, ylabel="score (lower is better)", yscale="log" if log_y else "linear")
            if capped.any():
                ax.legend(fontsize=8)
            ax.grid(alpha=0.3)
        if title:
            figure.suptitle(title)
        figure.tight_layout()
        figure.savefig(path, dpi=100)
        plt.close(figure)


_TRACEBACKS_SHOWN = 3          # str(result) prints the tracebacks of the first failed trials


def _format(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


# ---- running trials ------------------------------------------------------------------------------------
def trial_seed(seed, number):
    """Trial `number`'s seed: the same whatever runs it, different for every trial."""
    return int(np.random.SeedSequence([0 if seed is None else seed, number]).generate_state(1)[0])


def _run_trial(objective, number, params, seed, pass_seed):
    """Run one trial; never raises (a failure is recorded in the Trial)."""
    trial = Trial(number, dict(params), seed)
    start = time.perf_counter()
    try:
        result = objective(params, seed=seed) if pass_seed else objective(params)
        if isinstance(result, dict):
            result = dict(result)
            if "score" not in result:
                raise ValueError(f"the objective returned a dict without \"score\" (keys {list(result)}); "
                                 f"put the number to minimise under \"score\"")
            score = result.pop("score")
            trial.extras = result
        else:
            score = result
        if not isinstance(score, numbers.Real) or isinstance(score, bool):
            raise TypeError(f"the objective returned {score!r} ({type(score).__name__}); it must return a number "
                            f"to minimise, or a dict with \"score\"")
        trial.score = float(score)
        if not math.isfinite(trial.score):
            trial.error = f"score is {trial.score}"
    except Exception as error:       # noqa: BLE001 - a failed trial must not stop the search
        trial.error = f"{type(error).__name__}: {error}"
        trial.traceback = traceback.format_exc()
    trial.seconds = time.perf_counter() - start
    return trial


def _check_importable(objective, caller):
    """Worker processes import the objective by name: a lambda or a local function cannot be sent."""
    name = getattr(objective, "__qualname__", repr(objective))
    try:
        unsendable = "<lambda>" in name or "<locals>" in name or not pickle.loads(pickle.dumps(objective))
    except Exception:       # noqa: BLE001 - whatever pickle says, the answer is the same
        unsendable = True
    if unsendable:
        raise TypeError(f"{caller}: the objective {name} cannot be sent to worker processes, which import it by "
                        f"name; define it at module level (def objective(params): ... at the top of a .py file) "
                        f"and pass that function")


def _takes_seed(objective):
    try:
        return "seed" in inspect.signature(objective).parameters
    except (TypeError, ValueError):
        return False


def _run(caller, objective, candidates, space, seed, executor, n_jobs, progress):
    from tqdm.auto import tqdm

    pass_seed = _takes_seed(objective)
    jobs = [(number, params, trial_seed(seed, number)) for number, params in enumerate(candidates)]
    trials, interrupted = [], False
    bar = tqdm(total=len(jobs), unit="trial", disable=not progress, leave=False)
    own_pool = executor is None and n_jobs not in (None, 1)
    if own_pool and multiprocessing.current_process().daemon:
        warnings.warn(f"{caller}: n_jobs={n_jobs} is not used here: this is a daemonic process (a Dask worker, for "
                      "one), which may not start processes of its own, so the trials run one by one in it",
                      RuntimeWarning, stacklevel=3)
        own_pool = False
    if executor is not None or own_pool:
        _check_importable(objective, caller)
    if own_pool:
        executor = ProcessPoolExecutor(n_jobs)
    try:
        if executor is None:
            for number, params, seed_of_trial in jobs:
                trials.append(_run_trial(objective, number, params, seed_of_trial, pass_seed))
                bar.update(1)
        else:
            pending = {executor.submit(_run_trial, objective, number, params, seed_of_trial, pass_seed)
                       for number, params, seed_of_trial in jobs}
            try:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        trials.append(future.result())
                        bar.update(1)
            except KeyboardInterrupt:
                for future in pending:
                    future.cancel()
                raise
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bar.close()
        if own_pool:
            executor.shutdown(wait=not interrupted, cancel_futures=True)
    return SearchResult(trials, space, interrupted)


def grid_search(objective, space, executor=None, n_jobs=None, seed=None, progress=True):
    """Try every combination of the values listed in `space` (name → list of values)."""
    names = list(space)
    for name, values in space.items():
        if isinstance(values, Distribution) or isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(f"grid_search: space[{name!r}] must be a list of values, got {values!r}")
    candidates = [dict(zip(names, combination)) for combination in itertools.product(*space.values())]
    return _run("grid_search", objective, candidates, space, seed, executor, n_jobs, progress)


def random_search(objective, space, n_trials, seed=None, executor=None, n_jobs=None, progress=True):
    """Try `n_trials` parameter sets drawn from `space` (name → Distribution, list, or constant).

    A list is drawn as `choice(list)`; anything else is passed as it is. All draws are
    made here, from `seed`, before any trial runs.
    """
    rng = np.random.default_rng(seed)
    distributions = {name: choice(value) if isinstance(value, (list, tuple)) else value
                     for name, value in space.items()}
    candidates = [{name: d.sample(rng) if isinstance(d, Distribution) else d for name, d in distributions.items()}
                  for _ in range(n_trials)]
    return _run("random_search", objective, candidates, distributions, seed, executor, n_jobs, progress)
