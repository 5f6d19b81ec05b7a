from abc import ABC, abstractmethod
import math


class Shape(ABC):
    count = 0

    def __init__(self, name: str) -> None:
        self.name = name
        Shape.count += 1

    @abstractmethod
    def area(self) -> float: ...

    def perimeter(self) -> float:
        return 0.0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def __lt__(self, other: "Shape") -> bool:
        return self.area() < other.area()


class Circle(Shape):
    def __init__(self, r: float) -> None:
        super().__init__("circle")
        self.r = r

    def area(self) -> float:
        return math.pi * self.r ** 2

    def perimeter(self) -> float:
        return 2 * math.pi * self.r


class Rect(Shape):
    def __init__(self, w: float, h: float) -> None:
        super().__init__("rect")
        self.w, self.h = w, h

    def area(self) -> float:
        return self.w * self.h

    def perimeter(self) -> float:
        return 2 * (self.w + self.h)


class ParseError(ValueError):
    def __init__(self, line: int, msg: str) -> None:
        super().__init__(f"line {line}: {msg}")
        self.line = line


def parse(spec: str) -> list[Shape]:
    shapes: list[Shape] = []
    for no, line in enumerate(spec.strip().splitlines(), 1):
        kind, *nums = line.split()
        try:
            vals = [float(x) for x in nums]
        except ValueError as e:
            raise ParseError(no, f"bad number in {line!r}") from e
        if kind == "circle" and len(vals) == 1:
            shapes.append(Circle(vals[0]))
        elif kind == "rect" and len(vals) == 2:
            shapes.append(Rect(vals[0], vals[1]))
        else:
            raise ParseError(no, f"unknown shape {kind}")
    return shapes


def main() -> None:
    shapes = parse("""
        circle 1
        rect 2 3
        circle 0.5
        rect 1.5 1.5
    """)
    for s in sorted(shapes):
        print(f"{s!r:<16} area={s.area():8.3f} perimeter={s.perimeter():.2f}")
    total = sum(s.area() for s in shapes)
    print(f"{total=:.4f}", Shape.count, max(shapes).name)
    biggest = max(shapes, key=lambda s: s.perimeter())
    print(biggest, isinstance(biggest, Rect))
    for bad in ["circle x", "hexagon 1"]:
        try:
            parse(bad)
        except ParseError as e:
            print("error:", e, e.line)
    n = 0
    while (n := n + 1) < 10:
        if n * n > 30:
            print("first square > 30:", n)
            break
    else:
        print("none")
    q, r = divmod(17, 5)
    print(q, r, int("ff", 16), int("0b101", 0) if False else 5, hex(255), f"{255:08b}")


main()
