import math


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def stddev(xs: list[float]) -> float:
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))


data = [1.5, 2.25, 3.0, 4.75, 10.0, 0.1, 0.2]
print(mean(data))
print(stddev(data))
print(0.1 + 0.2, 1 / 3, 2.0 ** 0.5, 1e16, 1e-5, 123456789.0, -0.0, 1.0)
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7.5 // 2, -7.5 % 2)
print(round(2.5), round(3.5), round(2.675, 2), round(-1.5))
print(abs(-3), abs(-2.5), int(3.9), int(-3.9), float(7))
print(math.floor(-2.5), math.ceil(2.1), math.pi, math.hypot(3, 4))
print(f"{math.pi:.3f} {math.e:10.4f}|{1234567.891:,.2f} {0.25:%} {1e-7:e}")
print(max(1.5, 2.0), min(3, 4, -1), divmod(17, 5), divmod(-17, 5), pow(3, 4), pow(2, 10, 1000))
print(1e300 * 10, -1e300 * 10, 3.0 == 3, 2 ** 62)
