import time


def workload(n: int) -> int:
    d: dict[int, int] = {}
    for i in range(n):
        d[(i * 7919) % 100003] = i
    hits = 0
    for i in range(n):
        if i in d:
            hits += d[i] & 1
    for i in range(0, n, 3):
        k = (i * 7919) % 100003
        if k in d:
            del d[k]
    return hits + len(d)


t0 = time.perf_counter()
print(workload(250000))
t1 = time.perf_counter()
print(f"compute_ns {int((t1 - t0) * 1e9)}")
