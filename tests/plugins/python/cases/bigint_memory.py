# Big ints are collected like any object: a long loop of bignum temporaries stays in
# bounded memory, and bignums held in lists, dicts, fields and globals survive collections.
from dataclasses import dataclass

KEEP: int = 0


@dataclass
class Acc:
    total: int
    count: int


def main() -> None:
    global KEEP
    KEEP = 3 ** 300
    acc = Acc(0, 0)
    held: list[int] = []
    table: dict[str, int] = {}
    x = 2 ** 200
    for i in range(300000):
        y = x * (i + 1) + i
        acc.total += y % 1000003
        acc.count += 1
        if i % 30000 == 0:
            held.append(y)
            table[str(i)] = -y
    print(acc.total, acc.count)
    print(held[3], table["60000"], KEEP == 3 ** 300, KEEP % 1000)
    print(sum(held) % (10 ** 12), (held[-1] + table["270000"]))


if __name__ == "__main__":
    main()
