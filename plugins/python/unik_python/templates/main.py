"""A unikernel in typed Python: the same file runs under CPython (python3 main.py)."""

import sys


def greet(name: str, times: int) -> list[str]:
    return [f"Hello, {name}! ({i + 1}/{times})" for i in range(times)]


def main() -> None:
    for line in greet("unik", 2):
        print(line)
    print(f"argv: {sys.argv[1:]}")


if __name__ == "__main__":
    main()
