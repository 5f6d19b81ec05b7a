# argv: alpha 42 beta
import sys


def main(args: list[str]) -> int:
    print("args:", args)
    total = 0
    for a in args:
        if a.isdigit():
            total += int(a)
    print("total", total)
    return 3 if total > 40 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
