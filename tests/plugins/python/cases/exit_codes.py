# argv: 7
import sys


def run(args: list[str]) -> None:
    code = int(args[0]) if args else 0
    print("exiting with", code)
    try:
        sys.exit(code)
    finally:
        print("finally still runs")


run(sys.argv[1:])
print("never printed")
