class Token:
    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text


def tokenize(s: str) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] == "."):
                j += 1
            out.append(Token("num", s[i:j]))
            i = j
        elif c in "+-*/()":
            out.append(Token("op", c))
            i += 1
        else:
            raise ValueError(f"bad character {c!r} at {i}")
    return out


class Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.toks = tokens
        self.pos = 0

    def peek(self) -> str:
        return self.toks[self.pos].text if self.pos < len(self.toks) else ""

    def take(self) -> Token:
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def expr(self) -> float:
        v = self.term()
        while self.peek() in ("+", "-"):
            op = self.take().text
            r = self.term()
            v = v + r if op == "+" else v - r
        return v

    def term(self) -> float:
        v = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take().text
            r = self.factor()
            v = v * r if op == "*" else v / r
        return v

    def factor(self) -> float:
        t = self.take()
        if t.text == "(":
            v = self.expr()
            self.take()
            return v
        if t.text == "-":
            return -self.factor()
        return float(t.text)


for src in ["1 + 2 * 3", "(1 + 2) * 3", "10 / 4 - 1", "-(2.5 * 4) + 1", "2 * (3 + (4 - 1)) / 3", "1 / 0", "3 $ 4"]:
    try:
        print(src, "=", Parser(tokenize(src)).expr())
    except ZeroDivisionError as e:
        print(src, "->", "ZeroDivisionError:", e)
    except ValueError as e:
        print(src, "->", "ValueError:", e)
