"""unik compare's strings (core/compare/spec.py): append "<i>," for i in 0..n-1 to
one growing string — with a list and join, Python's string builder — then count
its '7' characters."""
import sys
import time


def build(n: int) -> str:
    parts: list[str] = []
    for i in range(n):
        parts.append(f"{i},")
    return "".join(parts)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
t0 = time.monotonic_ns()
s = build(n)
sevens = s.count("7")
ns = time.monotonic_ns() - t0
print(f"length {len(s)}, sevens {sevens}")
print(f"compute_ns {ns}")
