"""unik compare's fib (core/compare/spec.py): naive doubly recursive fib(n)."""
import sys
import time


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    t0 = time.monotonic_ns()
    r = fib(n)
    ns = time.monotonic_ns() - t0
    print(f"fib({n}) = {r}")
    print(f"compute_ns {ns}")


main()
