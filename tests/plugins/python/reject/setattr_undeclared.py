# error: 10:1: setattr on an object of class Point with a name not declared in the class (z)
class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y


p = Point(1, 2)
print(p.x)
p.z = 3
print(p.z)
