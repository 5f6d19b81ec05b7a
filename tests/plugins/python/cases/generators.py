from typing import Iterator


def count_up(n: int) -> Iterator[int]:
    i = 0
    while i < n:
        yield i
        i += 1


def fib_gen() -> Iterator[int]:
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def take(g: Iterator[int], n: int) -> list[int]:
    out: list[int] = []
    for x in g:
        if len(out) >= n:
            break
        out.append(x)
    return out


def words(text: str) -> Iterator[str]:
    for w in text.split():
        if len(w) > 2:
            yield w.upper()


def tree(depth: int) -> Iterator[str]:
    if depth == 0:
        yield "leaf"
        return
    for s in tree(depth - 1):
        yield "L" + s
    for s in tree(depth - 1):
        yield "R" + s


print(list(count_up(5)), sum(count_up(101)))
print(take(fib_gen(), 15))
print([w for w in words("a quick brown fox is up")])
print(list(tree(3)))
g = count_up(3)
print(next(g), next(g), next(g))
try:
    next(g)
except StopIteration:
    print("exhausted")
squares = (x * x for x in range(6))
print(sum(squares), max(x % 7 for x in range(20)))


def failing() -> Iterator[int]:
    yield 1
    raise ValueError("boom in generator")


try:
    for v in failing():
        print("got", v)
except ValueError as e:
    print("caught", e)
