class Shape:
    def __init__(self, name: str) -> None:
        self.name = name

    def area(self) -> float:
        return 0.0

    def describe(self) -> str:
        return f"{self.name} with area {self.area():.2f}"


class Rect(Shape):
    def __init__(self, w: float, h: float) -> None:
        super().__init__("rect")
        self.w = w
        self.h = h

    def area(self) -> float:
        return self.w * self.h


class Square(Rect):
    def __init__(self, side: float) -> None:
        super().__init__(side, side)
        self.name = "square"


class Circle(Shape):
    def __init__(self, r: float) -> None:
        super().__init__("circle")
        self.r = r

    def area(self) -> float:
        return 3.14159 * self.r * self.r

    def __repr__(self) -> str:
        return f"Circle({self.r})"


shapes: list[Shape] = [Rect(2.0, 3.0), Square(4.0), Circle(1.5), Shape("blob")]
for s in shapes:
    print(s.describe())
print(sum(s.area() for s in shapes))
print(Circle(2.0), [Circle(1.0)], isinstance(shapes[1], Rect), isinstance(shapes[2], Rect))
biggest = max(shapes, key=lambda s: s.area())
print(biggest.name)


class Counter:
    count: int = 0

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, x: str) -> "Counter":
        self.items.append(x)
        self.count += 1
        return self

    def __len__(self) -> int:
        return len(self.items)

    def __str__(self) -> str:
        return "Counter(" + ",".join(self.items) + ")"


c = Counter()
c.add("a").add("b").add("c")
print(c, len(c), c.count, str(c))
