class Pair:
    def __init__(self, a: int, b: str) -> None:
        self.a = a
        self.b = b


def churn(rounds: int) -> int:
    total = 0
    keep: list[Pair] = []
    for r in range(rounds):
        tmp = [Pair(i, str(i)) for i in range(200)]
        d = {p.b: p for p in tmp}
        total += len(d) + tmp[-1].a
        if r % 50 == 0:
            keep.append(tmp[r % 200])
    return total + sum(p.a for p in keep)


print(churn(3000))
