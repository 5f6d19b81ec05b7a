"""unik compare's hashmap (core/compare/spec.py) with Python's dict: 10 rounds of
insert n int keys (i*7919 -> i*round), look all up, remove the even ones; then n
string keys "key<i>" -> i; print the sum of what was looked up and both sizes."""
import sys
import time


def run(n: int) -> str:
    h: dict[int, int] = {}
    total = 0
    for rnd in range(1, 11):
        for i in range(n):
            h[i * 7919] = i * rnd
        for i in range(n):
            total += h[i * 7919]
        for i in range(n // 2):
            del h[2 * i * 7919]
    hs: dict[str, int] = {}
    for i in range(n):
        hs[f"key{i}"] = i
    for i in range(n):
        total += hs[f"key{i}"]
    return f"sum {total}, {len(h)} + {len(hs)} keys"


n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
t0 = time.monotonic_ns()
out = run(n)
ns = time.monotonic_ns() - t0
print(out)
print(f"compute_ns {ns}")
