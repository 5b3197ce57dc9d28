"""Hyperparameter search: coverage, distributions, reproducibility across executors, failures."""
import math
import multiprocessing
import warnings
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import tuning


def quadratic(params, seed):
    """A deterministic objective that uses its seed: the same everywhere it runs."""
    noise = np.random.default_rng(seed).normal() * 1e-3
    return (params["x"] - 1) ** 2 + params.get("y", 0) ** 2 + noise


def with_extras(params):
    return {"score": params["x"] ** 2, "accuracy": 1 / (1 + params["x"] ** 2)}


def flaky(params):
    if params["x"] == 2:
        raise ValueError("diverged")
    if params["x"] == 3:
        return math.nan
    return params["x"]


@given(st.dictionaries(st.sampled_from("abcd"), st.lists(st.integers(0, 5), min_size=1, max_size=3, unique=True),
                       min_size=1, max_size=3))
def test_grid_covers_the_product_exactly_once(space):
    result = tuning.grid_search(lambda p: 0.0, space, progress=False)
    seen = [tuple(t.params[name] for name in space) for t in result.trials]
    assert len(seen) == len(set(seen)) == math.prod(len(v) for v in space.values())
    assert set(seen) == {tuple(combination) for combination in np.array(np.meshgrid(
        *space.values(), indexing="ij")).reshape(len(space), -1).T.tolist()}


def test_grid_search_finds_the_best_and_reports_it():
    result = tuning.grid_search(quadratic, {"x": [-1, 0, 1, 2], "y": [0, 1]}, seed=3, progress=False)
    assert result.best_params == {"x": 1, "y": 0} and abs(result.best_score) < 0.01
    table = str(result)
    assert "best score" in table and "8 trials, 0 failed" in table
    with pytest.raises(TypeError, match="must be a list of values"):
        tuning.grid_search(quadratic, {"x": tuning.uniform(0, 1)})


@given(low=st.floats(1e-6, 1e3), span=st.floats(1.0, 1e4), seed=st.integers(0, 2 ** 32 - 1))
def test_loguniform_respects_its_support_and_is_uniform_in_log_space(low, span, seed):
    d = tuning.loguniform(low, low * span)
    draws = np.array([d.sample(np.random.default_rng(seed + i)) for i in range(200)])
    assert np.all((draws >= low) & (draws <= low * span * (1 + 1e-12)))
    if span > 10:
        position = (np.log(draws) - np.log(low)) / np.log(span)          # U(0, 1) if log-uniform
        assert 0.3 < position.mean() < 0.7


@given(low=st.integers(1, 100), width=st.integers(0, 2000), seed=st.integers(0, 2 ** 32 - 1))
def test_integer_distributions_include_both_bounds(low, width, seed):
    rng = np.random.default_rng(seed)
    for d in (tuning.randint(low, low + width), tuning.log_randint(low, low + width)):
        draws = [d.sample(rng) for _ in range(100)]
        assert all(isinstance(v, int) and low <= v <= low + width for v in draws)
    assert {tuning.randint(0, 1).sample(rng) for _ in range(200)} == {0, 1}
    assert {tuning.log_randint(50, 51).sample(rng) for _ in range(200)} == {50, 51}


def test_choice_bernoulli_uniform_and_bad_bounds():
    rng = np.random.default_rng(0)
    assert {tuning.choice(["a", "b"]).sample(rng) for _ in range(100)} == {"a", "b"}
    draws = [tuning.bernoulli(0.25).sample(rng) for _ in range(4000)]
    assert all(isinstance(v, bool) for v in draws) and 0.2 < np.mean(draws) < 0.3
    assert all(2 <= tuning.uniform(2, 3).sample(rng) <= 3 for _ in range(100))
    with pytest.raises(ValueError, match="0 < low"):
        tuning.loguniform(0, 1)
    with pytest.raises(ValueError, match="at least one option"):
        tuning.choice([])


def test_random_search_is_reproducible_and_uses_the_best():
    space = {"x": tuning.uniform(-2, 3), "y": [0, 1], "fixed": 7}
    a = tuning.random_search(quadratic, space, n_trials=20, seed=5, progress=False)
    b = tuning.random_search(quadratic, space, n_trials=20, seed=5, progress=False)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]
    assert [t.score for t in a.trials] == [t.score for t in b.trials]
    assert all(t.params["fixed"] == 7 and t.params["y"] in (0, 1) for t in a.trials)
    assert a.best_score == min(t.score for t in a.trials)
    assert len({t.seed for t in a.trials}) == 20


def test_serial_process_pool_and_threads_give_identical_results():
    space = {"x": tuning.loguniform(0.1, 10), "y": tuning.randint(-2, 2)}
    serial = tuning.random_search(quadratic, space, n_trials=12, seed=1, progress=False)
    with ProcessPoolExecutor(2) as pool:
        pooled = tuning.random_search(quadratic, space, n_trials=12, seed=1, executor=pool, progress=False)
    with ThreadPoolExecutor(2) as threads:
        threaded = tuning.random_search(quadratic, space, n_trials=12, seed=1, executor=threads, progress=False)
    shortcut = tuning.random_search(quadratic, space, n_trials=12, seed=1, n_jobs=2, progress=False)
    for other in (pooled, threaded, shortcut):
        assert [(t.params, t.score, t.seed) for t in other.trials] == [(t.params, t.score, t.seed)
                                                                       for t in serial.trials]


def test_a_dask_cluster_gives_the_same_results():
    distributed = pytest.importorskip("distributed")
    space = {"x": tuning.uniform(-1, 3)}
    serial = tuning.random_search(quadratic, space, n_trials=8, seed=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_cluster = tuning.random_search(quadratic, space, n_trials=8, seed=2, executor=client.get_executor(),
                                          progress=False)
    assert [(t.params, t.score) for t in on_cluster.trials] == [(t.params, t.score) for t in serial.trials]


def _search_in_a_daemon(results):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = tuning.random_search(quadratic, {"x": tuning.uniform(-1, 3)}, n_trials=4, seed=2, n_jobs=2,
                                     progress=False)
    results.put(([(t.params, t.score) for t in found.trials], [str(w.message) for w in caught]))


def test_n_jobs_in_a_daemonic_process_runs_the_trials_there_and_says_so():
    """A Dask worker is a daemonic process, which may not start processes: the search runs its
    trials one by one there and warns, instead of failing on multiprocessing's assertion."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    worker = context.Process(target=_search_in_a_daemon, args=(results,), daemon=True)
    worker.start()
    trials, warned = results.get(timeout=120)
    worker.join()
    serial = tuning.random_search(quadratic, {"x": tuning.uniform(-1, 3)}, n_trials=4, seed=2, progress=False)
    assert trials == [(t.params, t.score) for t in serial.trials]
    assert len(warned) == 1 and "n_jobs=2 is not used here: this is a daemonic process" in warned[0]


def test_failed_trials_are_recorded_and_the_search_goes_on():
    result = tuning.grid_search(flaky, {"x": [1, 2, 3, 4]}, progress=False)
    assert [t.error for t in result.trials] == [None, "ValueError: diverged", "score is nan", None]
    assert len(result.failed) == 2 and result.best_params == {"x": 1}
    assert "ValueError: diverged" in str(result)
    with pytest.raises(ValueError, match="no trial finished"):
        _ = tuning.grid_search(flaky, {"x": [2, 3]}, progress=False).best_params


def test_ctrl_c_returns_the_finished_trials():
    def interrupted_at_three(params):
        if params["x"] == 3:
            raise KeyboardInterrupt
        return params["x"]

    result = tuning.grid_search(interrupted_at_three, {"x": [1, 2, 3, 4]}, progress=False)
    assert result.interrupted and [t.params["x"] for t in result.trials] == [1, 2]
    assert "(interrupted)" in str(result)


def test_extras_csv_and_plot(tmp_path):
    result = tuning.random_search(with_extras, {"x": tuning.loguniform(0.01, 10), "kind": ["a", "b"]}, n_trials=6,
                                  seed=0, progress=False)
    assert all("accuracy" in t.extras for t in result.trials)
    result.to_csv(tmp_path / "trials.csv")
    header = (tmp_path / "trials.csv").read_text().splitlines()[0]
    assert header == "trial,x,kind,score,accuracy,seconds,seed,error"
    result.plot(tmp_path / "trials.png")
    assert (tmp_path / "trials.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_survives_a_diverged_trial(tmp_path):
    result = tuning.grid_search(lambda p: 1e300 if p["x"] > 1 else p["x"], {"x": [0.1, 0.5, 2.0]}, progress=False)
    result.plot(tmp_path / "diverged.png")
    assert (tmp_path / "diverged.png").read_bytes()[:4] == b"\x89PNG"


def bad_scores(params):
    """Scores of every wrong kind, and a diverging run."""
    kind = params["kind"]
    if kind == "text":
        return "0.5"
    if kind == "no score":
        return {"accuracy": 0.9}
    if kind == "diverged":
        raise FloatingPointError("fit: training diverged at epoch 3, iteration 7")
    if kind == "missing key":
        return {"x": 1}["learning_rate"]
    return 0.25


def test_a_failed_trial_keeps_its_traceback_and_bad_scores_fail_with_a_message():
    result = tuning.grid_search(bad_scores, {"kind": ["ok", "text", "no score", "diverged", "missing key"]},
                                progress=False)
    trials = {t.params["kind"]: t for t in result.trials}
    assert trials["ok"].ok and result.best_score == 0.25
    assert trials["text"].error == "TypeError: the objective returned '0.5' (str); it must return a number to " \
                                   "minimise, or a dict with \"score\""
    assert trials["no score"].error.startswith("ValueError: the objective returned a dict without \"score\"")
    assert trials["diverged"].error == "FloatingPointError: fit: training diverged at epoch 3, iteration 7"
    assert trials["missing key"].error == "KeyError: 'learning_rate'"
    assert 'return {"x": 1}["learning_rate"]' in trials["missing key"].traceback
    text = str(result)
    assert "trial 1 failed:\nTraceback (most recent call last)" in text
    assert text.count("Traceback (most recent call last)") == 3                 # the first three failures
    assert "trial 3 failed:" in text and "trial 4 failed:" not in text


@pytest.mark.parametrize("use", ["n_jobs", "executor"])
def test_an_objective_workers_cannot_import_is_refused_before_any_trial(use):
    calls = []

    def local_objective(params):
        calls.append(params)
        return params["x"]

    for objective, name in ((lambda p: p["x"], "<lambda>"), (local_objective, "local_objective")):
        with ThreadPoolExecutor(1) as pool:
            options = {"n_jobs": 2} if use == "n_jobs" else {"executor": pool}
            with pytest.raises(TypeError, match=rf"random_search: the objective .*{name}.* cannot be sent to worker "
                                                r"processes.*define it at module level"):
                tuning.random_search(objective, {"x": tuning.uniform(0, 1)}, n_trials=3, progress=False, **options)
    assert calls == []
    assert tuning.grid_search(local_objective, {"x": [1, 2]}, progress=False).best_score == 1     # serial: fine


def reports_its_process(params):
    """The trial's score, and the id of the process that ran it."""
    import os
    return {"score": float(params["x"]), "pid": os.getpid()}


def test_n_jobs_runs_the_trials_in_other_processes():
    import os
    result = tuning.grid_search(reports_its_process, {"x": list(range(8))}, n_jobs=2, progress=False)
    pids = {trial.extras["pid"] for trial in result.trials}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    serial = tuning.grid_search(reports_its_process, {"x": [0, 1]}, progress=False)
    assert {trial.extras["pid"] for trial in serial.trials} == {os.getpid()}
