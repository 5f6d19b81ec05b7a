# Big ints at the edges of machine-int contexts: range bounds, loops that cross 2**63.
from typing import Optional


def first(n: int) -> int:
    for i in range(n):
        if i == 3:
            return i
    return -1


def main() -> None:
    print(first(10 ** 30), list(range(2 ** 40, 2 ** 40 + 3)))
    v = 2 ** 62
    steps = 0
    while v < 2 ** 70:
        v += 2 ** 61 + steps
        steps += 1
    print(v, steps)
    o: Optional[int] = 2 ** 65
    print(o == 2 ** 65, o == 2 ** 64, o is None)
    m = -(2 ** 63)
    print(m - 1, m * 2, m // 3, -m, abs(m), ~m, m >> 1, m << 1)
    w = 2 ** 63 - 1
    print(w + 1, -w, ~w, -w - 1, (-w - 1) // -1, w * -1 - 2)


if __name__ == "__main__":
    main()
