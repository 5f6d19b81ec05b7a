from dataclasses import dataclass
from enum import Enum


class Op(Enum):
    ADD = "+"
    MUL = "*"


@dataclass
class Shape:
    name: str


@dataclass
class Circle(Shape):
    r: float


@dataclass
class Rect(Shape):
    w: float
    h: float


def describe(s: Shape) -> str:
    match s:
        case Circle(r=0):
            return "a point"
        case Circle(name, r) if r > 10:
            return f"big circle {name} {r}"
        case Circle(r=r):
            return f"circle r={r}"
        case Rect(w=w, h=h) if w == h:
            return f"square {w}"
        case Rect(_, w, h):
            return f"rect {w}x{h}"
        case _:
            return "unknown"


def command(words: list[str]) -> str:
    match words:
        case ["go", direction]:
            return f"going {direction}"
        case ["look"]:
            return "looking"
        case ["quit"] | ["exit"]:
            return "bye"
        case []:
            return "nothing"
        case _:
            return f"what is {' '.join(words)}?"


def code(n: int) -> str:
    match n:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case x if x < 0:
            return f"negative {-x}"
        case _:
            return "large"


def apply(op: Op, a: int, b: int) -> int:
    match op:
        case Op.ADD:
            return a + b
        case Op.MUL:
            return a * b
    return 0


def point(p: tuple[int, int]) -> str:
    match p:
        case (0, 0):
            return "origin"
        case (0, y):
            return f"on y at {y}"
        case (x, 0):
            return f"on x at {x}"
        case (x, y) as q:
            return f"at {q} ({x + y})"
    return ""


for s in [Circle("c", 0.0), Circle("d", 12.5), Circle("e", 2.0), Rect("r", 2.0, 2.0),
          Rect("t", 1.0, 3.0), Shape("?")]:
    print(describe(s))
for w in [["go", "north"], ["look"], ["exit"], [], ["dance", "now"]]:
    print(command(w))
print([code(n) for n in [0, 2, -5, 99]], apply(Op.ADD, 2, 3), apply(Op.MUL, 2, 3))
print([point(p) for p in [(0, 0), (0, 4), (3, 0), (1, 2)]])
