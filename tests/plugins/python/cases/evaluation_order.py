"""Operands run left to right, as CPython runs them: call arguments,
constructor and method arguments, tuple/list/dict displays, binary operators
and comparisons whose operands have effects (C leaves their order open)."""
from typing import Callable, Dict, List, Tuple

log: List[str] = []


def pop(xs: List[int]) -> int:
    v = xs.pop()
    log.append(f"pop{v}")
    return v


def t(name: str, v: int) -> int:
    log.append(name)
    return v


class P:
    def __init__(self, a: int, b: int) -> None:
        self.a = a
        self.b = b

    def m(self, x: int, y: int) -> int:
        return x * 10 + y


def two(a: int, b: int) -> Tuple[int, int]:
    return a, b


def rpn(expr: str) -> int:
    st: List[int] = []
    for tok in expr.split():
        if tok.isdigit():
            st.append(int(tok))
        else:
            b, a = st.pop(), st.pop()
            st.append(a - b if tok == "-" else a // b)
    return st.pop()


def main() -> None:
    xs = [10, 3]
    b, a = pop(xs), pop(xs)
    print(a, b, a // b)
    print(rpn("10 3 -"), rpn("10 3 /"), rpn("100 20 5 - /"))
    print((t("a", 1), t("b", 2)), [t("c", 3), t("d", 4)], two(t("e", 5), t("f", 6)))
    p = P(t("g", 7), t("h", 8))
    print(p.a, p.b, p.m(t("i", 1), t("j", 2)))
    print(t("k", 9) - t("l", 4), t("m", 1) < t("n", 2), t("o", 2) ** t("p", 3))
    d: Dict[int, int] = {t("q", 1): t("r", 2), t("s", 3): t("t", 4)}
    print(d)
    f: Callable[[int, int], int] = lambda u, w: u - w
    print(f(t("u", 5), t("v", 1)))
    x = 1

    def bump() -> int:
        nonlocal x
        x += 10
        return x
    print((x, bump()), x + bump(), [x, bump()])
    print(" ".join(log))


main()
