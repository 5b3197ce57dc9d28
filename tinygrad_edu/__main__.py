"""The `tinygrad-edu` command: run the course's networks and write their results."""
import argparse
import importlib
import sys
from pathlib import Path


def demo(args):
    from .demo import demo as run_demo

    _, failed = run_demo(args.out, seeds=args.seeds, workers=args.jobs, quick=args.quick,
                         say=lambda line: print(line, flush=True), scheduler=args.scheduler, only=args.only)
    return 1 if failed else 0


def readme(args):
    from .readme_results import write

    for path in write(args.results, args.root):
        print(f"wrote {path}")
    return 0


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
    commands = parser.add_subparsers(dest="command", required=True, metavar="{demo,graph,explore,readme}")
    run_demo = commands.add_parser("demo", help="measure the course's claims on several seeds; write out/index.html, "
                                                "out/RESULTS.md, out/results.json and the figures")
    run_demo.add_argument("--seeds", type=_positive, default=3,
                          help="seeds per experiment (default: 3; experiments with short runs use at least 5)")
    run_demo.add_argument("--quick", action="store_true", help="small budgets: a check that everything runs")
    run_demo.add_argument("--out", default="out", help="folder for the results and figures (default: out/)")
    run_demo.add_argument("--jobs", type=_positive, default=None,
                          help="runs in parallel on this machine (default: one per core)")
    run_demo.add_argument("--scheduler", metavar="ADDRESS", default=None,
                          help="send the runs (experiment × seed) to the workers of this Dask scheduler, e.g. "
                               "tcp://10.0.0.5:8786 (the `dask` extra; --out must be a folder they can write)")
    run_demo.add_argument("--only", nargs="+", metavar="EXPERIMENT", default=None,
                          help="run only these experiments (the module names of examples/, e.g. xor_engine)")
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
    tables = commands.add_parser("readme", help="write a full run's claims table into README.md and README.zh-CN.md "
                                                "and keep its results.json as docs/results.json")
    tables.add_argument("results", nargs="?", default="out/results.json",
                        help="the results.json of a full `make demo` (default: out/results.json)")
    tables.add_argument("--root", default=".", help="the checkout holding the READMEs (default: .)")
    tables.set_defaults(run=readme)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
