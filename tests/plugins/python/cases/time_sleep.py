import time

t0 = time.monotonic()
p0 = time.perf_counter()
time.sleep(0.05)
dt = time.monotonic() - t0
dp = time.perf_counter() - p0
print(dt >= 0.05, dp >= 0.05, dt < 5.0)
ns0 = time.monotonic_ns()
time.sleep(0.01)
print(time.monotonic_ns() - ns0 >= 10_000_000, time.time() > 1_600_000_000)
