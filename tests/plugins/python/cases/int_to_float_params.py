import math


def area(w: float, h: float) -> float:
    return w * h


def half(x: float) -> float:
    return x / 2


def show(x: float) -> None:
    print("value", x, f"{x}", repr(x), str(x))


def fact(n: float) -> float:
    return 1 if n <= 1 else n * fact(n - 1)


def hyp(a: float, b: float = 4) -> float:
    return math.sqrt(a * a + b * b)


def scale(x: float, k: float = 2) -> float:
    return x * k


def clamp(x: float, lo: float, hi: float) -> float:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


print(area(2, 3), area(2.5, 2), area(2, 0.5))
print(half(6), half(7), half(3.0))
show(3)
show(3.5)
print(fact(5), fact(5.0))
print(hyp(3), hyp(3, 4), scale(4), scale(4, 0.5), scale(1.5))
print(clamp(5, 0, 10), clamp(-1, 0, 10), clamp(2.5, 0, 10))
n = 7
print(area(n, n), [area(i, 2) for i in range(3)])


class Meter:
    def __init__(self, base: int) -> None:
        self.base = base

    def scaled(self, k: float) -> float:
        return self.base * k

    def show(self, x: float) -> str:
        return f"<{x}>"


m = Meter(3)
print(m.scaled(2), m.scaled(0.5), m.show(4), m.show(4.0))
