import math


class Shape:
    def area(self) -> float:
        raise NotImplementedError("area not implemented")

    def perimeter(self) -> float:
        raise NotImplementedError("perimeter")


class Circle(Shape):
    def __init__(self, r: float) -> None:
        self.r = r

    def area(self) -> float:
        return math.pi * self.r ** 2

    def perimeter(self) -> float:
        return 2 * math.pi * self.r


class Poly(Shape):
    def __init__(self, pts: list[tuple[float, float]]) -> None:
        self.pts = pts

    def area(self) -> float:
        s = 0.0
        n = len(self.pts)
        for i in range(n):
            x1, y1 = self.pts[i]
            x2, y2 = self.pts[(i + 1) % n]
            s += x1 * y2 - x2 * y1
        return abs(s) / 2

    def perimeter(self) -> float:
        total = 0.0
        for i in range(len(self.pts)):
            x1, y1 = self.pts[i]
            x2, y2 = self.pts[(i + 1) % len(self.pts)]
            total += math.hypot(x2 - x1, y2 - y1)
        return total


shapes: list[Shape] = [Circle(1.0), Poly([(0.0, 0.0), (4.0, 0.0), (4.0, 3.0)]), Shape()]
for s in shapes:
    try:
        print(f"{s.area():.4f} {s.perimeter():.4f}")
    except NotImplementedError as e:
        print("NotImplementedError:", e)
