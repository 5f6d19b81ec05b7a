readings = {
    "mon": [12.5, 14.0, 13.2, 9.8],
    "tue": [15.1, 16.4, 14.9],
    "wed": [8.0, 7.5, 9.9, 10.1, 11.0],
}


def stats(xs: list[float]) -> tuple[float, float, float]:
    return min(xs), max(xs), sum(xs) / len(xs)


for day, xs in readings.items():
    lo, hi, avg = stats(xs)
    print(f"{day}: min={lo:5.1f} max={hi:5.1f} avg={avg:6.2f} range={hi - lo:.2f}")
all_vals = [x for xs in readings.values() for x in xs]
print(len(all_vals), f"{sum(all_vals) / len(all_vals):.3f}", sorted(all_vals)[len(all_vals) // 2])
hot = [d for d, xs in readings.items() if max(xs) > 15]
print(hot, {d: round(sum(xs), 1) for d, xs in readings.items()})
c_to_f = [round(c * 9 / 5 + 32, 1) for c in readings["tue"]]
print(c_to_f)
