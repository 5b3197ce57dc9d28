"""The `tinygrad-edu` command: run the course's networks and write their results."""
import argparse
import importlib
import sys
from pathlib import Path


def demo(args):
    from .demo import demo as run_demo

    _, failed = run_demo(args.out, seeds=args.seeds, workers=args.jobs, quick=args.quick,
                         say=lambda line: print(line, flush=True))
    return 1 if failed else 0


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def graph(args):
    drawings = importlib.import_module("tinygrad_edu.examples.graphs").DRAWINGS
    for path in drawings[args.name](args.out, format=args.format):
        print(f"wrote {path}")
    return 0


def explore(args):
    path = Path(args.out or f"out/{args.name}_explorer.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    importlib.import_module("tinygrad_edu.examples.graphs").EXPLORERS[args.name]().save(path)
    print(f"wrote {path}: open it in a browser (file://{path.resolve()})")
    return 0


def main(argv=None):
    from . import __version__

    parser = argparse.ArgumentParser(prog="tinygrad-edu", description=__doc__)
    parser.add_argument("--version", action="version", version=f"tinygrad-edu {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{demo,graph,explore}")
    run_demo = commands.add_parser("demo", help="measure the course's claims on several seeds; write out/index.html, "
                                                "out/RESULTS.md, out/results.json and the figures")
    run_demo.add_argument("--seeds", type=_positive, default=3,
                          help="seeds per experiment (default: 3; experiments with short runs use at least 5)")
    run_demo.add_argument("--quick", action="store_true", help="small budgets: a check that everything runs")
    run_demo.add_argument("--out", default="out", help="folder for the results and figures (default: out/)")
    run_demo.add_argument("--jobs", type=_positive, default=2, help="experiments run in parallel (default: 2)")
    run_demo.set_defaults(run=demo)
    draw = commands.add_parser("graph", help="draw the computation graph of one of the course's networks")
    draw.add_argument("name", choices=["xor", "mnist"],
                      help="xor: the 2-2-1 net of course 10.3, forward and each backward step; "
                           "mnist: the 784-64-16-10 net of 12.1")
    draw.add_argument("--out", default="out", help="folder for the drawings (default: out/)")
    draw.add_argument("--format", default="svg", choices=["svg", "png", "pdf"],
                      help="file format of the drawings: svg (default), png or pdf")
    draw.set_defaults(run=graph)
    page = commands.add_parser("explore", help="write a page that steps through backprop of one of the course's "
                                               "networks, in a browser")
    page.add_argument("name", choices=["xor", "sine", "mnist"],
                      help="xor: the 2-2-1 net of 10.3; sine: the 1-2-1 net of 9.5; mnist: the 784-64-16-10 net of 12.1")
    page.add_argument("--out", default=None, help="the .html file to write (default: out/NAME_explorer.html)")
    page.set_defaults(run=explore)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
