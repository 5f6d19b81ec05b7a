from dataclasses import dataclass


class LangError(Exception):
    def __init__(self, line: int, msg: str) -> None:
        super().__init__(f"line {line}: {msg}")
        self.line = line


@dataclass
class Token:
    kind: str
    text: str


def tokenize(src: str, line: int) -> list[Token]:
    toks: list[Token] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            j = i
            while j < len(src) and src[j].isdigit():
                j += 1
            toks.append(Token("num", src[i:j]))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < len(src) and (src[j].isalnum() or src[j] == "_"):
                j += 1
            word = src[i:j]
            toks.append(Token("kw" if word in ("let", "print", "while", "end") else "name", word))
            i = j
        elif ch in "+-*/()=<>":
            toks.append(Token("op", ch))
            i += 1
        else:
            raise LangError(line, f"unexpected character {ch!r}")
    return toks


class Parser:
    def __init__(self, toks: list[Token], env: dict[str, int], line: int) -> None:
        self.toks = toks
        self.pos = 0
        self.env = env
        self.line = line

    def peek(self) -> Token | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> Token:
        t = self.peek()
        if t is None:
            raise LangError(self.line, "unexpected end of line")
        self.pos += 1
        return t

    def expr(self) -> int:
        v = self.term()
        while (t := self.peek()) is not None and t.text in ("+", "-", "<", ">"):
            self.take()
            r = self.term()
            match t.text:
                case "+":
                    v += r
                case "-":
                    v -= r
                case "<":
                    v = int(v < r)
                case _:
                    v = int(v > r)
        return v

    def term(self) -> int:
        v = self.atom()
        while (t := self.peek()) is not None and t.text in ("*", "/"):
            self.take()
            r = self.atom()
            if t.text == "*":
                v *= r
            elif r == 0:
                raise LangError(self.line, "division by zero")
            else:
                v //= r
        return v

    def atom(self) -> int:
        t = self.take()
        if t.kind == "num":
            return int(t.text)
        if t.kind == "name":
            if t.text not in self.env:
                raise LangError(self.line, f"undefined variable {t.text}")
            return self.env[t.text]
        if t.text == "(":
            v = self.expr()
            if self.take().text != ")":
                raise LangError(self.line, "expected )")
            return v
        if t.text == "-":
            return -self.atom()
        raise LangError(self.line, f"unexpected {t.text!r}")


def run(program: str) -> list[str]:
    lines = [ln.strip() for ln in program.strip().splitlines()]
    env: dict[str, int] = {}
    out: list[str] = []
    pc = 0
    loops: list[int] = []
    steps = 0
    while pc < len(lines):
        steps += 1
        if steps > 10000:
            raise LangError(pc + 1, "too many steps")
        toks = tokenize(lines[pc], pc + 1)
        if not toks:
            pc += 1
            continue
        head = toks[0]
        p = Parser(toks[1:], env, pc + 1)
        if head.text == "let":
            name = p.take().text
            if p.take().text != "=":
                raise LangError(pc + 1, "expected =")
            env[name] = p.expr()
        elif head.text == "print":
            out.append(str(p.expr()))
        elif head.text == "while":
            if p.expr():
                loops.append(pc)
            else:
                depth = 1
                while depth:
                    pc += 1
                    first = lines[pc].split()[0] if lines[pc] else ""
                    depth += {"while": 1, "end": -1}.get(first, 0)
        elif head.text == "end":
            pc = loops.pop()
            continue
        else:
            raise LangError(pc + 1, f"unknown statement {head.text!r}")
        pc += 1
    return out


PROGRAM = """
let n = 10
let a = 0
let b = 1
while n > 0
  print a
  let t = a + b
  let a = b
  let b = t
  let n = n - 1
end
print (a * 2 - 3) / 4
"""
print(" ".join(run(PROGRAM)))
for bad in ["print 1 / 0", "let x = y + 1", "print 3 $ 4", "print (1 + 2"]:
    try:
        run(bad)
    except LangError as e:
        print("error:", e, "| at", e.line)
