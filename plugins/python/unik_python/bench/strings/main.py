import time


def build(n: int) -> str:
    parts: list[str] = []
    for i in range(n):
        parts.append(f"{i}:{i * i % 97:02d}")
    s = ",".join(parts)
    words = s.split(",")
    total = 0
    for w in words:
        k, v = w.split(":")
        total += len(k) + int(v)
    out = ""
    for i in range(2000):
        out += str(i % 10)
    return f"{len(s)} {total} {len(out)} {s[:20]} {out.count('7')}"


t0 = time.perf_counter()
print(build(300000))
t1 = time.perf_counter()
print(f"compute_ns {int((t1 - t0) * 1e9)}")
