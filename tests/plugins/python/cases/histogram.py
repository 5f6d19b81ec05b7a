def histogram(data: list[int], bins: int, lo: int, hi: int) -> list[int]:
    counts = [0] * bins
    width = (hi - lo) / bins
    for x in data:
        if lo <= x < hi:
            counts[int((x - lo) / width)] += 1
    return counts


data = [(i * i * 31 + 7) % 100 for i in range(200)]
h = histogram(data, 10, 0, 100)
peak = max(h)
for i, c in enumerate(h):
    bar = "#" * (c * 40 // peak)
    print(f"{i * 10:3d}-{i * 10 + 9:3d} | {bar:<40} {c}")
print(sum(h), len(data), h.index(peak))
