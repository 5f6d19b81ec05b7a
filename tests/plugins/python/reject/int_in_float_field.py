# error: 11:13: an int where a float is kept: CPython keeps the int (it prints without '.0'); write 1.0
from dataclasses import dataclass


@dataclass
class Point:
    x: float
    y: float


p = Point(x=1, y=2.5)
print(p)
