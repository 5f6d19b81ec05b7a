class Expr:
    def eval(self) -> float:
        raise NotImplementedError

    def show(self) -> str:
        raise NotImplementedError


class Num(Expr):
    def __init__(self, v: float) -> None:
        self.v = v

    def eval(self) -> float:
        return self.v

    def show(self) -> str:
        return f"{self.v:g}"


class Bin(Expr):
    def __init__(self, op: str, l: Expr, r: Expr) -> None:
        self.op = op
        self.l = l
        self.r = r

    def eval(self) -> float:
        a, b = self.l.eval(), self.r.eval()
        if self.op == "+":
            return a + b
        if self.op == "*":
            return a * b
        if self.op == "-":
            return a - b
        return a / b

    def show(self) -> str:
        return f"({self.l.show()} {self.op} {self.r.show()})"


def build(depth: int, seed: int) -> Expr:
    if depth == 0:
        return Num(float(seed % 7 + 1))
    ops = "+*-/"
    return Bin(ops[seed % 4], build(depth - 1, seed * 3 + 1), build(depth - 1, seed * 5 + 2))


for d in range(4):
    e = build(d, d + 1)
    print(e.show(), "=", round(e.eval(), 6))
