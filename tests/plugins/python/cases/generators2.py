from typing import Iterator


def primes() -> Iterator[int]:
    found: list[int] = []
    n = 2
    while True:
        if all(n % p != 0 for p in found if p * p <= n):
            found.append(n)
            yield n
        n += 1


def pairs(xs: list[str]) -> Iterator[tuple[str, str]]:
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            yield (xs[i], xs[j])


def running_sum(xs: Iterator[int]) -> Iterator[int]:
    total = 0
    for x in xs:
        total += x
        yield total


def chain(a: Iterator[int], b: Iterator[int]) -> Iterator[int]:
    for x in a:
        yield x
    for x in b:
        yield x


def countdown(n: int) -> Iterator[int]:
    while n > 0:
        yield n
        n -= 1


ps = primes()
first = [next(ps) for _ in range(12)]
print(first)
print(list(pairs(["a", "b", "c", "d"])))
print(list(running_sum(countdown(5))))
print(list(chain(countdown(3), countdown(2))), sum(chain(countdown(10), countdown(10))))
print({x: x * x for x in countdown(4)}, sorted(set(countdown(3))), max(countdown(7)))
gens = [countdown(i) for i in range(4)]
print([list(g) for g in gens])
for i, v in enumerate(countdown(3)):
    print(i, v)
