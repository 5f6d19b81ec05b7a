# ints where float is declared: kept as ints where CPython keeps them (function copies),
# floats written as floats elsewhere (an int there is a compile error: see reject/)
from dataclasses import dataclass


@dataclass
class Point:
    x: float
    y: float

    def scaled(self, k: float) -> "Point":
        return Point(self.x * k, self.y * k)

    def __mul__(self, k: float) -> "Point":
        return Point(self.x * k, self.y * k)


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def square(v: float) -> float:
    return v * v


p = Point(1.0, 2.5)
print(p, p.scaled(2), p * 3, p.scaled(0.5))
print(square(3), square(1.5), mean([1.0, 2.0, 4.5]))
weights = [1.0, 2.5, 4.0]
print(weights, sum(weights), max(weights))
total: float = 0.0
for w in weights:
    total += w * 2
print(total)
