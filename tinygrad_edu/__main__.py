"""The `tinygrad-edu` command: run the course's networks."""
import argparse
import importlib
import sys

# The experiments `demo` runs, in course order: (module in examples/, what it shows).
DEMOS = [
    ("xor_engine", "10.3 XOR with a 2-2-1 network, written with the autograd engine alone"),
]


def demo(args):
    for module, title in DEMOS:
        print(f"== {title}")
        importlib.import_module(f"tinygrad_edu.examples.{module}").main([])
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tinygrad-edu", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="train the course's networks and print their results").set_defaults(run=demo)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
