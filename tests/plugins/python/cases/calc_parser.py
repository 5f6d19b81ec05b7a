from typing import Callable, Optional

OPS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}
PREC = {"+": 1, "-": 1, "*": 2, "/": 2}


class Token:
    __slots__ = ("kind", "text")

    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r})"


class CalcError(Exception):
    pass


def tokenize(src: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or ch == ".":
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == "."):
                j += 1
            tokens.append(Token("num", src[i:j]))
            i = j
        elif ch in PREC or ch in "()":
            tokens.append(Token("op", ch))
            i += 1
        else:
            raise CalcError(f"unexpected {ch!r} at {i}")
    return tokens


class Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Optional[Token]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise CalcError("unexpected end")
        self.pos += 1
        return tok

    def atom(self) -> float:
        tok = self.next()
        if tok.kind == "num":
            return float(tok.text)
        if tok.text == "(":
            v = self.expr(0)
            if self.next().text != ")":
                raise CalcError("expected )")
            return v
        if tok.text == "-":
            return -self.atom()
        raise CalcError(f"unexpected {tok.text}")

    def expr(self, min_prec: int) -> float:
        left = self.atom()
        while True:
            tok = self.peek()
            if tok is None or tok.text not in PREC or PREC[tok.text] < min_prec:
                return left
            self.next()
            right = self.expr(PREC[tok.text] + 1)
            try:
                left = OPS[tok.text](left, right)
            except ZeroDivisionError:
                raise CalcError("division by zero")


def calc(src: str) -> str:
    try:
        return str(Parser(tokenize(src)).expr(0))
    except CalcError as e:
        return f"error: {e}"


for line in ["1 + 2 * 3", "(1 + 2) * 3", "10 / 4 - 1", "2 * (3 + 4) * -1", "1 / 0", "3 $ 4",
             "(1 + 2"]:
    print(f"{line:<20} = {calc(line)}")
print(tokenize("12.5*(3)"))
