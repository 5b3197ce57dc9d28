"""The course examples run and reach the course's results."""
import numpy as np

from tinygrad_edu.__main__ import main as cli
from tinygrad_edu.examples import xor_engine


def test_xor_engine_solves_xor_like_the_course():
    result = xor_engine.train(verbose=False)
    assert result["accuracy"] == 1.0
    assert result["loss"] <= 0.005
    # The course's test: every output within 0.01 of its label.
    assert np.all(np.abs(result["A2"] - xor_engine.Y.ravel()) < 1e-2)


def test_cli_demo_runs_the_xor_example(capsys):
    assert cli(["demo"]) == 0
    printed = capsys.readouterr().out
    assert "accuracy 1.00" in printed
