"""`tinygrad-edu demo`: run the course's experiments on several seeds, judge its claims, write the results.

Each experiment is a module of examples/ with `run(quick, out, seed, progress)`, which
draws its figures into `out` and returns that seed's measurements, its CLAIMS and its
FIGURES (file → caption). Seed 0 draws into out/, seed s into out/seeds/s/. An experiment
that trains its seeds side by side (`train.fit_stacked`) also has `run_seeds(quick,
folders, progress)`, folders being {seed: where it draws}, which returns {seed:
measurements}: the demo runs all its seeds as one job. An experiment whose figure compares
ours with the course also has `draw_seeds(out, {seed: measurements})`: once every seed has
run, the demo draws that figure again in out/ with all of them.
"""
import contextlib
import datetime
import importlib
import io
import multiprocessing
import os
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from . import claims, results_page

# (section, English title, Chinese title, module): the course in its order, each section with
# the experiment that reproduces it. The experiments run in this order within a seed.
COURSE_MAP = [
    ("9.4–9.5.1", "a 1-2-1 net fits a sine", "双层神经网络实现非线性回归", "sine_curve"),
    ("9.5.2", "a 1-3-1 net fits the complex curve", "双层神经网络实现非线性回归", "complex_curve"),
    ("9.6", "how the fit works", "非线性回归的工作原理", "how_it_works"),
    ("9.7", "tuning by hand", "超参数优化的初步认识", "manual_tuning"),
    ("9.7.3", "grid and random search", "超参数优化的初步认识", "hyperparameter_search"),
    ("10.1–10.4", "XOR on a 2-2-1 net, and its hidden units", "为什么必须用双层神经网络 · 非线性二分类实现",
     "xor_engine"),
    ("10.5–10.6", "the double arc", "非线性二分类实现（双弧形）", "double_arc"),
    ("11.1", "three classes on a 2-3-3 net", "非线性多分类", "three_class"),
    ("11.2", "the hidden size of the three-class net", "非线性多分类", "hidden_units"),
    ("11.3", "class imbalance", "如何解决样本不平衡问题", "imbalance"),
    ("12.1", "784-64-16-10 on MNIST", "三层神经网络的实现", "mnist"),
    ("12.2", "gradient check", "梯度检查", "gradient_check"),
    ("12.3", "learning rate and batch size", "学习率与批大小", "learning_rate"),
    ("15.1", "zero initialization", "权重矩阵初始化", "initialization"),
    ("15.2–15.3", "optimizers", "梯度下降优化算法 · 自适应学习率算法", "optimizers"),
    ("—", "computation graphs, backprop step by step", "计算图与反向传播", "graphs"),
]
# The notebook of each experiment's chapter, in notebooks/ of the checkout (linked from the
# page where the checkout has them).
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = {"sine_curve": "ch09_nonlinear_regression", "complex_curve": "ch09_nonlinear_regression",
             "how_it_works": "ch09_nonlinear_regression", "manual_tuning": "ch09_nonlinear_regression",
             "hyperparameter_search": "ch09_nonlinear_regression", "xor_engine": "ch10_binary_classification",
             "double_arc": "ch10_binary_classification", "three_class": "ch11_multiclass",
             "hidden_units": "ch11_multiclass",
             "imbalance": "ch11_multiclass", "mnist": "ch12_mnist", "gradient_check": "ch12_mnist",
             "learning_rate": "ch12_mnist", "graphs": "graphs_and_backprop"}
# Experiments that must run one after the other within a seed: how_it_works reads the
# weights sine_curve saves.
AFTER = {"how_it_works": "sine_curve"}
# Seconds each experiment takes for one seed in a full run on 2 cores (2026-12-05, the run of
# docs/results.json; for the experiments that train their seeds side by side, their job's
# seconds over its seeds): the order in which the jobs start (longest first) and the weights
# of "about T left".
TYPICAL_SECONDS = {"hidden_units": 320, "learning_rate": 215, "manual_tuning": 176, "optimizers": 175,
                   "hyperparameter_search": 141, "gradient_check": 27, "three_class": 24, "complex_curve": 22,
                   "xor_engine": 19, "mnist": 18, "sine_curve": 11, "imbalance": 11, "double_arc": 8,
                   "initialization": 1, "graphs": 1, "how_it_works": 1}
# Full runs use ≥ 5 seeds where a run is short, or where one outcome splits (11.1 lands well or badly).
CHEAP = {"sine_curve", "how_it_works", "xor_engine", "double_arc", "imbalance", "three_class", "initialization"}
ONCE = {"graphs"}                                                                    # drawings: seed 0 only


def experiment(name):
    return importlib.import_module(f"tinygrad_edu.examples.{name}")


def seeds_of(name, seeds, quick):
    if name in ONCE:
        return [0]
    return list(range(max(seeds, 5) if name in CHEAP and not quick else seeds))


def folder(out, seed):
    return Path(out) if seed == 0 else Path(out) / "seeds" / str(seed)


def _run(name, quick, out, seeds):
    """Run one experiment for its seeds (one, or all of them side by side) in a worker; return
    (seconds, {seed: measurements}, what it printed). The worker prints nothing itself: the
    parent prints whole lines, so two workers never mix within a line."""
    printed = io.StringIO()
    start = time.perf_counter()
    module = experiment(name)
    with contextlib.redirect_stdout(printed):
        if hasattr(module, "run_seeds"):
            measured = module.run_seeds(quick=quick, folders={seed: str(folder(out, seed)) for seed in seeds},
                                        progress=False)
        else:
            seed, = seeds
            measured = {seed: module.run(quick=quick, out=str(folder(out, seed)), seed=seed, progress=False)}
    return time.perf_counter() - start, measured, printed.getvalue()


def _named_seeds(seeds):
    return f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}"


def chains(seeds, quick, names=None):
    """The jobs, as chains of (experiment, its seeds) that run in order: an experiment after
    the one it reads from; an experiment with `run_seeds` as one job for all its seeds.
    Longest first, so the long ones do not start last. `names`: only these experiments (and
    what they read from), default all."""
    names = {name for *_, name in COURSE_MAP} if names is None else set(names) | {AFTER[n] for n in names if n in AFTER}
    jobs = []
    for name in sorted(names):
        if name in AFTER:
            continue
        followers = [follower for follower, before in AFTER.items() if before == name and follower in names]
        if hasattr(experiment(name), "run_seeds"):        # one job, then what reads from it seed by seed
            its_seeds = tuple(seeds_of(name, seeds, quick))
            jobs.append([(name, its_seeds)] + [(follower, (seed,)) for seed in its_seeds for follower in followers])
            continue
        for seed in seeds_of(name, seeds, quick):
            jobs.append([(name, (seed,))] + [(follower, (seed,)) for follower in followers])
    return sorted(jobs, key=lambda chain: -sum(TYPICAL_SECONDS[name] * len(its_seeds) for name, its_seeds in chain))


def schedule(pool, workers, jobs, quick, out, say):
    """Run the chains on the pool, at most `workers` at once. Returns {name: {seed: measurements}},
    {name: seconds summed over its seeds} and the runs that failed, [(name, seed, why)]: a run
    that fails is reported and the others go on."""
    ready = [list(chain) for chain in jobs]
    total, finished = sum(map(len, ready)), 0
    left = sum(TYPICAL_SECONDS[name] * len(seeds) for chain in ready for name, seeds in chain)
    typical_done = seconds_done = 0                       # this machine's pace against TYPICAL_SECONDS
    running, results, seconds, failed = {}, {}, {}, []
    start = time.perf_counter()
    while ready or running:
        while ready and len(running) < workers:
            chain = ready.pop(0)
            name, seeds = chain.pop(0)
            running[pool.submit(_run, name, quick, out, seeds)] = (name, seeds, chain)
            say(f"▶ {name}, {_named_seeds(seeds)}: started at {time.perf_counter() - start:.0f} s")
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            name, seeds, chain = running.pop(future)
            try:
                took, measured, printed = future.result()
            except Exception as error:                     # one experiment failing must not lose the others
                failed += [(name, seed, f"{type(error).__name__}: {error}") for seed in seeds]
                failed += [(follower, seed, f"not run: {name} failed") for follower, its_seeds in chain
                           for seed in its_seeds]
                finished += 1 + len(chain)
                say(f"✗ {name}, {_named_seeds(seeds)}: failed: {type(error).__name__}: {error}")
                for line in "".join(traceback.format_exception(error)).splitlines():
                    say("  " + line)
                continue
            if chain:
                ready.insert(0, chain)                     # what reads this result may start now
            results.setdefault(name, {}).update(measured)
            seconds[name] = seconds.get(name, 0) + took
            finished += 1
            typical = TYPICAL_SECONDS[name] * len(seeds)
            left -= typical
            typical_done, seconds_done = typical_done + typical, seconds_done + took
            estimate = left * seconds_done / typical_done / workers
            elapsed = time.perf_counter() - start
            say(f"✓ {name}, {_named_seeds(seeds)}: done in {took:.0f} s · {finished} of {total} · "
                f"elapsed {elapsed:.0f} s"
                + (f" · about {estimate:.0f} s left" if finished < total else ""))
            for line in printed.splitlines():
                say(line)
    return results, seconds, failed


def draw_all_seeds(out, results):
    """Draw again, in out/, each figure that compares ours with the course, with every seed's run."""
    for name, by_seed in results.items():
        draw = getattr(experiment(name), "draw_seeds", None)
        if draw is not None:
            draw(out, by_seed)


def judge_all(results, quick=False):
    """Every claim of every experiment that ran, judged on its seeds (not for a quick run), in the course's order."""
    rows = [claims.judge(claim, results[name], name, quick)
            for *_, name in COURSE_MAP if name in results for claim in experiment(name).CLAIMS]
    return sorted(rows, key=lambda row: section_order(row["section"]))


def section_order(section):
    return tuple(int(part) for part in section.split("–")[0].split("."))


def figures(out, names):
    """(file, caption) of every figure the experiments drew, in the course's order."""
    shown = []
    for *_, name in COURSE_MAP:
        if name in names:
            shown += [(file, caption) for file, caption in experiment(name).FIGURES.items()
                      if (Path(out) / file).exists()]
    return shown


def _quick_note(note, quick):
    """The first lines of a quick run's results: the epochs were cut, nothing is judged."""
    return [f"> **{note}**", ""] if quick else []


def write_markdown(path, rows, command, seconds, experiment_seconds, quick=False):
    lines = _quick_note(claims.QUICK_NOTE, quick) + ["# tinygrad_edu: the course's claims, measured", "",
             f"`{command}`, {datetime.date.today()}, "
             f"{seconds:.0f} s on this machine. Each claim is checked on every seed; it holds when it holds on "
             "more than half of them. Regression losses are the course's half-MSE; epochs count the epochs "
             "trained (the course's logs count from 0: its \"ep 4199\" is 4200 epochs).", "",
             claims.markdown_table(rows), "", "## Time per experiment, all seeds", "",
             "| experiment | seconds |", "|---|---|"]
    lines += [f"| `examples/{name}.py` | {experiment_seconds[name]:.0f} |"
              for *_, name in COURSE_MAP if name in experiment_seconds]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_chinese_markdown(path, rows, command, seconds, quick=False):
    lines = _quick_note(claims.QUICK_NOTE_ZH, quick) + ["# tinygrad_edu：课程结论的复现与检验", "",
             f"`{command}`，{datetime.date.today()}，"
             f"本机用时 {seconds:.0f} 秒。每条结论在每个随机种子上各检验一次，超过半数的种子上成立即判为成立。"
             "回归损失是课程的半均方误差；轮数指训练过的轮数（课程日志从 0 数起，“ep 4199”即 4200 轮）。", "",
             claims.markdown_table(rows, chinese=True)]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def one_blas_thread():
    """Workers start (spawned, so BLAS reads these when numpy loads) with one BLAS thread each:
    two workers on two cores each running a thread per core made the MNIST runs twice as slow
    (measured: 0.88 s against 0.43 s for the same epoch, two at a time)."""
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(dict.fromkeys(names, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def runners(workers, scheduler):
    """(an executor, how many runs it takes at once): this machine's processes, or the workers
    of the Dask cluster at `scheduler` (its address), one run per worker thread."""
    if scheduler is None:
        with one_blas_thread(), ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool, workers
        return
    from dask.distributed import Client

    with Client(scheduler) as client:
        threads = sum(client.nthreads().values())
        if not threads:
            raise RuntimeError(f"demo: the Dask scheduler at {scheduler} has no workers")
        yield client.get_executor(), threads


def demo(out="out", seeds=3, workers=None, quick=False, say=print, scheduler=None, only=None):
    """Run every experiment (or those named in `only`) on `seeds` seeds, on `workers` processes
    here (default: one per core) or on the Dask cluster whose scheduler is at `scheduler` (the
    folder `out` must then be one the workers can write to, as on a local cluster)."""
    unknown = sorted(set(only or ()) - {name for *_, name in COURSE_MAP})
    if unknown:
        raise ValueError(f"demo: no experiment named {', '.join(unknown)}; the experiments are "
                         f"{', '.join(name for *_, name in COURSE_MAP)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = chains(seeds, quick, only)
    workers = workers or os.cpu_count() or 1
    start = time.perf_counter()
    with runners(workers, scheduler) as (pool, at_once):
        where = f"the Dask cluster at {scheduler}" if scheduler else "this machine"
        say(f"tinygrad-edu demo: {len({name for chain in jobs for name, _ in chain})} experiments, "
            f"{sum(len(seeds) for chain in jobs for _, seeds in chain)} runs in {sum(map(len, jobs))} jobs "
            f"(an experiment that trains its seeds side by side is one job), {at_once} at a time on "
            f"{where}: {seeds} seeds" + (" (quick)" if quick else f", {max(seeds, 5)} where a run is short"))
        results, experiment_seconds, failed = schedule(pool, at_once, jobs, quick, out, say)
    draw_all_seeds(out, results)
    seconds = time.perf_counter() - start
    rows = judge_all(results, quick)
    command = (f"tinygrad-edu demo{' --quick' if quick else ''} --seeds {seeds}"
               + (f" --only {' '.join(only)}" if only else ""))
    claims.write_json(out / "results.json", rows, seconds, seeds, quick, command=command, jobs=at_once)
    write_markdown(out / "RESULTS.md", rows, command, seconds, experiment_seconds, quick)
    write_chinese_markdown(out / "RESULTS.zh-CN.md", rows, command, seconds, quick)
    other_seeds = sorted({seed for by_seed in results.values() for seed in by_seed} - {0})
    notebooks = {name: NOTEBOOK_DIR / f"{notebook}.ipynb" for name, notebook in NOTEBOOKS.items()}
    results_page.write(out / "index.html", rows, figures(out, results), COURSE_MAP, seconds, command, other_seeds,
                       quick, notebooks)
    verdicts = (f"Quick run: {len(rows)} claims measured, none judged (run `make demo` for verdicts)." if quick
                else claims.tally(rows) + ".")
    say(f"{verdicts} Wrote {out / 'index.html'} (open it in a browser), RESULTS.md, "
        f"results.json, the figures and the backprop pages in {out}/ ({seconds:.0f} s)")
    for name, seed, why in failed:
        say(f"✗ {name}, seed {seed}: {why}; its claims are judged on the seeds that ran")
    return rows, failed
