# error: 17:24: an int where a float is kept: CPython keeps the int (it prints without '.0'); write float(n)
class Shape:
    def scaled(self, k: float) -> float:
        return k


class Square(Shape):
    def scaled(self, k: float) -> float:
        return k * 4


shapes: list[Shape] = [Shape(), Square()]
n = 3
for s in shapes:
    print(s.scaled(1.5))
    if n > 0:
        print(s.scaled(n))
