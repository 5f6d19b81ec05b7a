class Rectangle:
    def __init__(self, w: float, h: float) -> None:
        self.w = w
        self.h = h

    def area(self) -> float:
        return self.w * self.h

    def scale(self, k: float) -> "Rectangle":
        return Rectangle(self.w * k, self.h * k)

    def is_square(self) -> bool:
        return self.w == self.h

    def __str__(self) -> str:
        return f"{self.w:g}x{self.h:g}"

    def __eq__(self, other: "Rectangle") -> bool:
        return self.area() == other.area()


rs = [Rectangle(2.0, 3.0), Rectangle(3.0, 3.0), Rectangle(1.5, 4.0)]
for r in rs:
    print(r, r.area(), r.is_square(), r.scale(2), r.scale(0.5).area())
print(rs[0] == rs[2], rs[0] == rs[1], rs[0] != rs[1], str(rs[1]), [str(r) for r in rs])
print(sorted(rs, key=lambda r: r.area())[0], max(rs, key=lambda r: r.w))
r = rs[0]
r.w = 10.0
print(r, rs[0], r is rs[0])
