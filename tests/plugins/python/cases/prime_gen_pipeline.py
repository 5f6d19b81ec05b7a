from typing import Iterator


def naturals(start: int) -> Iterator[int]:
    n = start
    while True:
        yield n
        n += 1


def sieve(src: Iterator[int]) -> Iterator[int]:
    seen: list[int] = []
    for n in src:
        if all(n % p for p in seen):
            seen.append(n)
            yield n


def take_while_below(src: Iterator[int], limit: int) -> Iterator[int]:
    for n in src:
        if n >= limit:
            return
        yield n


def squares_of(src: Iterator[int]) -> Iterator[int]:
    for n in src:
        yield n * n


print(list(take_while_below(sieve(naturals(2)), 60)))
print(sum(squares_of(take_while_below(naturals(1), 11))))
evens = (n for n in range(20) if n % 2 == 0)
print(list(evens))
