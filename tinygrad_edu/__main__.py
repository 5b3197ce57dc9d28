"""The `tinygrad-edu` command: run the course's networks and write their results."""
import argparse
import contextlib
import datetime
import importlib
import io
import json
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

# The course's experiments (modules of examples/), in groups that run one after the other
# (how_it_works reads the weights sine_curve saves); groups run in parallel.
DEMO_GROUPS = [
    ["optimizers"],
    ["three_class"],
    ["mnist", "learning_rate"],
    ["complex_curve", "gradient_check"],
    ["sine_curve", "how_it_works", "xor_engine", "double_arc", "graphs"],
    ["hyperparameter_search", "imbalance"],
]
COURSE_ORDER = ["sine_curve", "complex_curve", "how_it_works", "hyperparameter_search", "xor_engine", "double_arc",
                "three_class", "imbalance", "mnist", "gradient_check", "learning_rate", "optimizers"]


# Seconds each experiment took in a full run on 2 cores (2026-12-01): the weights of "about T left".
TYPICAL_SECONDS = {"optimizers": 116, "three_class": 76, "complex_curve": 57, "mnist": 49,
                   "hyperparameter_search": 26, "gradient_check": 20, "sine_curve": 18, "learning_rate": 11,
                   "double_arc": 5, "xor_engine": 2, "how_it_works": 1, "graphs": 1, "imbalance": 1}


def _run_example(name, quick, out, seed):
    """Run one example in a worker; return (seconds, rows, what it printed). The worker prints
    nothing itself: the parent prints whole lines, so two workers never mix within a line."""
    printed = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        rows = importlib.import_module(f"tinygrad_edu.examples.{name}").run(quick=quick, out=out, seed=seed,
                                                                            progress=False)
    return time.perf_counter() - start, rows, printed.getvalue()


def _schedule(pool, jobs, quick, out, seed, say):
    """Run DEMO_GROUPS on the pool: a group's examples one after the other, at most `jobs` at
    once, so that an example starts when it is handed to a worker. Returns name → (seconds, rows)."""
    ready = [list(group) for group in DEMO_GROUPS]         # groups whose next example may start
    running, results = {}, {}
    total = sum(map(len, DEMO_GROUPS))
    start = time.perf_counter()
    while ready or running:
        while ready and len(running) < jobs:
            group = ready.pop(0)
            name = group.pop(0)
            running[pool.submit(_run_example, name, quick, out, seed)] = (name, group)
            say(f"▶ {name} started (seed {seed}, at {time.perf_counter() - start:.0f} s)")
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            name, group = running.pop(future)
            if group:
                ready.append(group)                        # the next of its group may start now
            seconds, rows, printed = future.result()
            results[name] = (seconds, rows)
            elapsed = time.perf_counter() - start
            finished = sum(TYPICAL_SECONDS.get(n, 30) for n in results)
            left = sum(TYPICAL_SECONDS.get(n, 30) for group in DEMO_GROUPS for n in group if n not in results)
            say(f"✓ {name} done in {seconds:.0f} s · {len(results)} of {total} · elapsed {elapsed:.0f} s"
                + (f" · about {left * elapsed / finished:.0f} s left" if left else ""))
            for line in printed.splitlines():
                say(line)
    return results


def write_results(path, results, quick, seconds):
    lines = ["# tinygrad_edu: the course's experiments, reproduced", "",
             f"`tinygrad-edu demo{' --quick' if quick else ''}`, {datetime.date.today()}, "
             f"{seconds:.0f} s on this machine. Regression losses are the course's half-MSE.", "",
             "| experiment | the course | tinygrad_edu | example | seconds |", "|---|---|---|---|---|"]
    for name in COURSE_ORDER:
        if name in results:
            elapsed, rows = results[name]
            for row in rows:
                experiment, course, ours = (str(cell).replace("|", "\\|") for cell in row)
                lines.append(f"| {experiment} | {course} | {ours} | `examples/{name}.py` | {elapsed:.0f} |")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def demo(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    def say(line):
        print(line, flush=True)

    say(f"tinygrad-edu demo: {sum(map(len, DEMO_GROUPS))} experiments on {args.jobs} processes"
        + (" (quick)" if args.quick else ", about 3 to 4 minutes on 2 cores"))
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = _schedule(pool, args.jobs, args.quick, str(out), 0, say)
    seconds = time.perf_counter() - start
    write_results(out / "RESULTS.md", results, args.quick, seconds)
    (out / "results.json").write_text(json.dumps(
        {name: {"seconds": elapsed, "rows": rows} for name, (elapsed, rows) in results.items()},
        ensure_ascii=False, indent=1), encoding="utf-8")
    say(f"wrote {out / 'RESULTS.md'}, results.json, the figures and the backprop pages in {out}/ ({seconds:.0f} s)")
    return 0


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
    run_demo = commands.add_parser("demo", help="train the course's networks, write figures and out/RESULTS.md")
    run_demo.add_argument("--quick", action="store_true", help="small budgets: a check that everything runs")
    run_demo.add_argument("--out", default="out", help="folder for figures and RESULTS.md (default: out/)")
    run_demo.add_argument("--jobs", type=int, default=2, help="experiments run in parallel (default: 2)")
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
