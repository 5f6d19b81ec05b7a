import time


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


t0 = time.perf_counter()
r = fib(32)
t1 = time.perf_counter()
print(r)
print(f"compute_ns {int((t1 - t0) * 1e9)}")
