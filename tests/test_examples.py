"""The course examples: `tinygrad-edu demo --quick` runs them all and each reaches a sanity threshold."""
import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import demo
from tinygrad_edu.__main__ import main as cli
from tinygrad_edu.examples import xor_engine


@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli(["demo", "--quick", "--seeds", "2", "--out", str(out)]) == 0
    (out / "printed.txt").write_text(printed.getvalue(), encoding="utf-8")
    return out, json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_the_demo_says_what_it_is_doing(quick_demo):
    out, _ = quick_demo
    lines = (out / "printed.txt").read_text(encoding="utf-8").splitlines()
    runs = sum(len(demo.seeds_of(name, 2, quick=True)) for *_, name in demo.COURSE_MAP)
    side_by_side = [name for *_, name in demo.COURSE_MAP if hasattr(demo.experiment(name), "run_seeds")]
    jobs = runs - sum(len(demo.seeds_of(name, 2, quick=True)) - 1 for name in side_by_side)
    cores = os.cpu_count()                                  # --jobs defaults to the machine's cores
    assert lines[0] == (f"tinygrad-edu demo: {len(demo.COURSE_MAP)} experiments, {runs} runs in {jobs} jobs (an "
                        f"experiment that trains its seeds side by side is one job), {cores} at a time on this "
                        f"machine: 2 seeds (quick)")
    started = [re.fullmatch(r"▶ (\w+), seeds? ([\d, ]+): started at \d+ s", line) for line in lines
               if line.startswith("▶")]
    ended = [re.fullmatch(r"✓ (\w+), seeds? ([\d, ]+): done in \d+ s · (\d+) of (\d+) · elapsed \d+ s"
                          r"( · about \d+ s left)?", line) for line in lines if line.startswith("✓")]
    assert all(started) and all(ended)                  # whole lines: the two workers never mix within one
    assert sorted(m.group(1, 2) for m in started) == sorted(m.group(1, 2) for m in ended)
    assert len(ended) == jobs and [int(m.group(3)) for m in ended] == list(range(1, jobs + 1))
    assert {int(m.group(4)) for m in ended} == {jobs} and ended[-1].group(5) is None
    assert {m.group(2) for m in ended if m.group(1) in side_by_side} == {"0, 1"} and "optimizers" in side_by_side
    for seed in "01":                                   # how_it_works reads what sine_curve saves
        sine_done = lines.index(next(line for line in lines if line.startswith("✓ sine_curve, seeds 0, 1:")))
        how_starts = lines.index(next(line for line in lines if line.startswith(f"▶ how_it_works, seed {seed}:")))
        assert sine_done < how_starts
    assert re.fullmatch(r"Quick run: \d+ claims measured, none judged \(run `make demo` for verdicts\)\. Wrote .*",
                        lines[-1])


def test_the_demo_sends_its_runs_to_a_dask_cluster_and_measures_the_same(quick_demo, tmp_path):
    """Two worker processes of a local Dask cluster run the quick demo's runs of a few experiments
    (hyperparameter_search among them: it searches with n_jobs, which a Dask worker may not start),
    and measure what the local quick run measured, value for value."""
    import distributed

    _, local = quick_demo
    only = ["how_it_works", "xor_engine", "hyperparameter_search", "initialization"]
    printed = io.StringIO()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, contextlib.redirect_stdout(printed):
        assert cli(["demo", "--quick", "--seeds", "2", "--out", str(tmp_path), "--scheduler",
                    cluster.scheduler_address, "--only", *only]) == 0
        address = cluster.scheduler_address
    first = printed.getvalue().splitlines()[0]
    assert first.startswith("tinygrad-edu demo: 5 experiments, ") and f"2 at a time on the Dask cluster at {address}" in first
    rows = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["claims"]
    assert {row["experiment"] for row in rows} == set(only) | {"sine_curve"}       # how_it_works reads sine_curve's
    measured_here = {(row["experiment"], row["claim"]): row["values"] for row in local["claims"]}
    for row in rows:
        assert row["values"] == measured_here[row["experiment"], row["claim"]], row["claim"]
    assert (tmp_path / "xor_hidden_units.png").stat().st_size > 1000             # drawn again with both seeds


def test_the_demo_refuses_an_experiment_it_does_not_have(tmp_path):
    with pytest.raises(ValueError, match="no experiment named xor; the experiments are sine_curve, "):
        demo.demo(tmp_path, quick=True, only=["xor"])
    assert not list(tmp_path.iterdir())                                          # nothing written


def test_xor_engine_solves_xor_like_the_course():
    result = xor_engine.train(verbose=False)
    assert result["accuracy"] == 1.0 and result["loss"] <= 0.005
    assert np.all(np.abs(result["A2"] - xor_engine.Y.ravel()) < 1e-2)   # the course's Test()


def test_quick_demo_measures_every_claim_judges_none_and_draws_every_figure(quick_demo):
    out, results = quick_demo
    expected = [(name, claim.claim) for *_, name in demo.COURSE_MAP for claim in demo.experiment(name).CLAIMS]
    assert sorted((row["experiment"], row["claim"]) for row in results["claims"]) == sorted(expected)
    assert results["quick"] is True
    for row in results["claims"]:
        assert row["seeds"] == [0, 1] and row["holds"] is None and row["ours"] and row["why"] == ""
    page = (out / "index.html").read_text(encoding="utf-8")
    for *_, name in demo.COURSE_MAP:
        for figure in demo.experiment(name).FIGURES:
            if figure.startswith("mnist_digits"):
                continue                                 # drawn only where MNIST digits are found
            assert (out / figure).stat().st_size > 1000, figure
            assert f'href="{figure}"' in page, figure
            if name not in demo.ONCE:
                assert (out / "seeds" / "1" / figure).exists() and f'href="seeds/1/{figure}"' in page, figure
    for figure in ("sine_curve.png", "complex_curve.png", "three_class.png", "mnist_fashion.png"):
        assert (out / figure).read_bytes()[:4] == b"\x89PNG", figure
    for drawing in ("xor_forward.svg", "xor_backward.svg", "mnist_graph.svg", "xor_steps/step_04.svg"):
        assert (out / drawing).read_text(encoding="utf-8").lstrip().startswith("<?xml"), drawing
    for page_name in ("xor_explorer.html", "mnist_explorer.html"):          # the backprop pages
        text = (out / page_name).read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and 'id="tinygrad-edu-steps"' in text and "<svg" in text, page_name
    table = (out / "RESULTS.md").read_text(encoding="utf-8")
    assert table.count("\n| ") == len(results["claims"]) + 1 + sum(1 for *_, name in demo.COURSE_MAP) + 1


def test_quick_demo_measures_what_holds_even_on_short_runs(quick_demo):
    _, results = quick_demo
    values = {row["claim"]: row["values"] for row in results["claims"]}
    checked = (demo.experiment("gradient_check").CLAIMS + demo.experiment("imbalance").CLAIMS
               + [demo.experiment("sine_curve").CLAIMS[1]])                  # 1-1-1 cannot bend
    for claim in checked:
        assert all(claim.check(value) for value in values[claim.claim]), claim.claim
    digits = next(row for row in results["claims"] if row["section"] == "12.1")
    assert all(value is None or value < 0.96 for value in digits["values"])   # 2 epochs on 6000 images


def test_the_quick_demo_says_so_first_and_gives_no_verdict_or_reason(quick_demo):
    out, results = quick_demo
    for name in ("RESULTS.md", "RESULTS.zh-CN.md"):
        first = (out / name).read_text(encoding="utf-8").splitlines()[0]
        assert "--quick" in first and "make demo" in first, name
    markdown = (out / "RESULTS.md").read_text(encoding="utf-8")
    assert "Why these do not hold" not in markdown and "| does not hold" not in markdown
    assert markdown.count("| not judged (quick run) |") == len(results["claims"])
    page = (out / "index.html").read_text(encoding="utf-8")
    body = page[page.index("<body>") + len("<body>"):].lstrip()
    assert body.startswith('<p id="quick" class="quick">Quick run (--quick): the epochs were cut')
    assert "Why these do not hold" not in page and "holds (" not in page


# A standalone number: not part of a name such as 1-2-1, W1 or 784-64-16-10.
NUMBER = re.compile(r"(?<![\w.\-–])\d+(?:\.\d+)?(?![\w\-–])")


def test_captions_state_no_number_a_run_did_not_measure():
    for *_, name in demo.COURSE_MAP:
        for figure, caption in demo.experiment(name).FIGURES.items():
            what = caption.split(" · ", 1)[-1]                 # after the course's section
            assert not NUMBER.findall(what), (figure, caption)
    assert NUMBER.findall("after 30 epochs at η 0.5") == ["30", "0.5"]      # the pattern finds what it must


def test_cli_version_and_help_name_every_choice():
    cli = [sys.executable, "-m", "tinygrad_edu"]
    version = subprocess.run(cli + ["--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"tinygrad-edu {tinygrad_edu.__version__}"
    help_text = subprocess.run(cli + ["graph", "--help"], capture_output=True, text=True, check=True).stdout
    assert "xor: the 2-2-1 net" in help_text and "mnist: the 784-64-16-10 net" in help_text
    assert "svg (default), png or pdf" in help_text
    assert "--quick" in subprocess.run(cli + ["demo", "--help"], capture_output=True, text=True, check=True).stdout


def test_the_package_exposes_viz():
    import tinygrad_edu as tg
    assert tg.viz.draw_graph is not None and hasattr(tg.Tensor, "_repr_svg_")


def test_the_quick_demo_page_opens_in_chromium_with_every_figure_loaded(quick_demo, browser):
    out, results = quick_demo
    browser.get((out / "index.html").resolve().as_uri())
    assert not [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    broken = browser.execute_script(
        "return [...document.images].filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src)")
    assert broken == []
    shown = browser.execute_script("return document.images.length")
    drawn = [path for path in out.rglob("*") if path.suffix in (".png", ".svg") and "seeds" not in path.parts]
    assert shown == len(drawn) - len(list((out / "xor_steps").glob("*.svg"))) + 1      # one step drawing of xor_steps/
    hrefs = browser.execute_script("return [...document.querySelectorAll('a')].map(a => a.href)")
    for href in hrefs:
        assert Path(href.removeprefix("file://")).exists(), href
    for notebook in set(demo.NOTEBOOKS.values()):                  # the course map links each chapter's notebook
        assert any(href.endswith(f"/notebooks/{notebook}.ipynb") for href in hrefs), notebook
    verdicts = browser.execute_script("return [...document.querySelectorAll('#claims-table td:last-child')]"
                                      ".map(td => td.textContent)")
    assert len(verdicts) == len(results["claims"])
