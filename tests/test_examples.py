"""The course examples: `tinygrad-edu demo --quick` runs them all and each reaches a sanity threshold."""
import contextlib
import io
import json
import re
import subprocess
import sys

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu.__main__ import main as cli
from tinygrad_edu.examples import xor_engine


@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli(["demo", "--quick", "--out", str(out)]) == 0
    (out / "printed.txt").write_text(printed.getvalue(), encoding="utf-8")
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return out, {name: {row[0]: row[2] for row in entry["rows"]} for name, entry in results.items()}


def test_the_demo_says_what_it_is_doing(quick_demo):
    out, results = quick_demo
    lines = (out / "printed.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "tinygrad-edu demo: 13 experiments on 2 processes (quick)"
    started = [re.fullmatch(r"▶ (\w+) started \(seed 0, at \d+ s\)", line) for line in lines if line.startswith("▶")]
    ended = [re.fullmatch(r"✓ (\w+) done in \d+ s · (\d+) of 13 · elapsed \d+ s( · about \d+ s left)?", line)
             for line in lines if line.startswith("✓")]
    assert all(started) and all(ended)                  # whole lines: the two workers never mix within one
    assert sorted(m.group(1) for m in started) == sorted(m.group(1) for m in ended) == sorted(results)
    assert [int(m.group(2)) for m in ended] == list(range(1, 14)) and ended[-1].group(3) is None
    position = {line.split()[1] + line[0]: i for i, line in enumerate(lines) if line.startswith(("▶", "✓"))}
    assert position["sine_curve✓"] < position["how_it_works▶"]      # how_it_works reads what sine_curve saves


def value(rows, start):
    """The first number in our result of the row whose experiment starts with `start`."""
    cell = next(ours for experiment, ours in rows.items() if experiment.startswith(start))
    return float(cell.split()[0])


def test_xor_engine_solves_xor_like_the_course():
    result = xor_engine.train(verbose=False)
    assert result["accuracy"] == 1.0 and result["loss"] <= 0.005
    assert np.all(np.abs(result["A2"] - xor_engine.Y.ravel()) < 1e-2)   # the course's Test()


def test_quick_demo_writes_every_result_and_figure(quick_demo):
    out, results = quick_demo
    assert set(results) == {"sine_curve", "complex_curve", "how_it_works", "xor_engine", "double_arc", "three_class",
                            "mnist", "gradient_check", "learning_rate", "optimizers", "graphs",
                            "hyperparameter_search", "imbalance"}
    table = (out / "RESULTS.md").read_text(encoding="utf-8")
    assert table.count("\n| ") == sum(len(rows) for rows in results.values()) + 1
    for figure in ("sine_curve.png", "complex_curve.png", "how_it_works.png", "double_arc.png", "three_class.png",
                   "mnist_fashion.png", "learning_rate.png", "optimizers.png"):
        assert (out / figure).read_bytes()[:4] == b"\x89PNG", figure
    for drawing in ("xor_forward.svg", "xor_backward.svg", "mnist_graph.svg", "xor_steps/step_04.svg"):
        assert (out / drawing).read_text(encoding="utf-8").lstrip().startswith("<?xml"), drawing
    for page in ("xor_explorer.html", "mnist_explorer.html"):          # the backprop pages
        text = (out / page).read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and 'id="tinygrad-edu-steps"' in text and "<svg" in text, page


def test_quick_demo_sanity_thresholds(quick_demo):
    _, results = quick_demo
    assert value(results["sine_curve"], "sine curve") > 0.95
    assert value(results["double_arc"], "double arc, 2-2-1: test accuracy") > 0.95
    assert value(results["xor_engine"], "XOR: accuracy") == 1.0
    assert value(results["xor_engine"], "XOR: largest") < 0.01
    assert value(results["three_class"], "three-class") > 0.6
    assert value(results["mnist"], "MNIST") > 0.6
    assert value(results["gradient_check"], "gradient check") < 1e-7
    assert value(results["gradient_check"], "the same with a buggy") > 1e-2
    assert 0.1 <= value(results["learning_rate"], "LR range test") <= 1.1
    grid, random = (float(v) for v in next(iter(results["hyperparameter_search"].values())).split(" / "))
    assert 0 < grid < 1 and 0 < random < 1
    recall = {name.split(", ")[1].split(":")[0]: float(ours.split(" / ")[1])
              for name, ours in results["imbalance"].items()}
    assert recall["plain"] < 0.1 and recall["class weights (pos_weight)"] > 0.5 and recall["SMOTE"] > 0.5


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
