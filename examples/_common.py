"""What every course example shares: its command line, where figures go, and its result rows."""
import argparse
from pathlib import Path

import tinygrad_edu.functional as F


def parse_args(description, argv):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a short run (smaller budgets) to check it works")
    parser.add_argument("--out", default="out", help="folder for figures (default: out/)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="hide the progress bar")
    return parser.parse_args(argv)


def figure_path(out, name):
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def pyplot():
    """matplotlib's pyplot, drawing to files only (the `plot` extra)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def report(rows):
    """Print result rows (experiment, the course's figure, ours) and return them for RESULTS.md."""
    for experiment, course, ours in rows:
        print(f"  {experiment}: {ours}   (the course: {course})")
    return rows


def half_mse(A, Y):
    """The course's regression loss J = Σ(A − Y)² / 2m: half of F.mse_loss, so dZ = (A − Y)/m.

    Training on it keeps the course's learning rates and stop thresholds as they are."""
    return F.mse_loss(A, Y) / 2
