class Vec:
    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y

    def __add__(self, o: "Vec") -> "Vec":
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o: "Vec") -> "Vec":
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, k: float) -> "Vec":
        return Vec(self.x * k, self.y * k)

    def __neg__(self) -> "Vec":
        return Vec(-self.x, -self.y)

    def __eq__(self, o: "Vec") -> bool:
        return self.x == o.x and self.y == o.y

    def __repr__(self) -> str:
        return f"Vec({self.x}, {self.y})"


class Matrix:
    def __init__(self, n: int) -> None:
        self.n = n
        self.cells = [0] * (n * n)

    def __getitem__(self, ij: tuple[int, int]) -> int:
        return self.cells[ij[0] * self.n + ij[1]]

    def __setitem__(self, ij: tuple[int, int], v: int) -> None:
        self.cells[ij[0] * self.n + ij[1]] = v

    def __contains__(self, v: int) -> bool:
        return v in self.cells

    def __len__(self) -> int:
        return self.n

    def __bool__(self) -> bool:
        return any(c != 0 for c in self.cells)


a = Vec(1.0, 2.0)
b = Vec(0.5, -1.0)
print(a + b, a - b, a * 3, -a, a == Vec(1.0, 2.0), a != b)
m = Matrix(3)
print(bool(m), len(m), 5 in m)
for i in range(3):
    m[(i, i)] = i + 5
print(m[(2, 2)], 5 in m, bool(m), m.cells)
if m:
    print("non-empty matrix")


class Temp:
    SCALE: float = 1.8
    OFFSET = 32

    def __init__(self, c: float) -> None:
        self.c = c

    @staticmethod
    def from_f(f: float) -> "Temp":
        return Temp((f - Temp.OFFSET) / Temp.SCALE)

    def f(self) -> float:
        return self.c * Temp.SCALE + Temp.OFFSET

    def __lt__(self, o: "Temp") -> bool:
        return self.c < o.c

    def __hash__(self) -> int:
        return hash(self.c)

    def __eq__(self, o: "Temp") -> bool:
        return self.c == o.c


ts = [Temp(30.0), Temp.from_f(212.0), Temp(-5.0)]
print([t.c for t in sorted(ts)], max(ts).c, Temp(100.0).f(), Temp(1.0) < Temp(2.0))
print(len({Temp(1.0), Temp(1.0), Temp(2.0)}))
