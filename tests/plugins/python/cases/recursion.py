def hanoi(n: int, a: str, b: str, c: str, moves: list[tuple[str, str]]) -> None:
    if n == 0:
        return
    hanoi(n - 1, a, c, b, moves)
    moves.append((a, c))
    hanoi(n - 1, b, a, c, moves)


def permutations(xs: list[int]) -> list[list[int]]:
    if len(xs) <= 1:
        return [xs[:]]
    out: list[list[int]] = []
    for i in range(len(xs)):
        rest = xs[:i] + xs[i + 1:]
        for p in permutations(rest):
            out.append([xs[i]] + p)
    return out


def subsets(xs: list[str]) -> list[list[str]]:
    if not xs:
        return [[]]
    rest = subsets(xs[1:])
    return rest + [[xs[0]] + s for s in rest]


def ackermann(m: int, n: int) -> int:
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


moves: list[tuple[str, str]] = []
hanoi(4, "A", "B", "C", moves)
print(len(moves), moves[:4])
print(permutations([1, 2, 3]), len(permutations([1, 2, 3, 4, 5])))
print(sorted(subsets(["a", "b", "c"])))
print(ackermann(2, 3), ackermann(3, 3))


def depth(n: int) -> int:
    return 0 if n == 0 else 1 + depth(n - 1)


print(depth(900))
