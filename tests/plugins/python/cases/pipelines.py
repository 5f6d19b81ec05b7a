from typing import Callable, Iterator


def count_up(start: int, stop: int) -> Iterator[int]:
    n = start
    while n < stop:
        yield n
        n += 1


def evens(xs: Iterator[int]) -> Iterator[int]:
    for x in xs:
        if x % 2 == 0:
            yield x


def chain(a: list[int], b: list[int]) -> Iterator[int]:
    yield from a
    yield from b


def make_adder(k: int) -> Callable[[int], int]:
    def add(x: int) -> int:
        return x + k
    return add


def compose(f: Callable[[int], int], g: Callable[[int], int]) -> Callable[[int], int]:
    return lambda x: f(g(x))


def main() -> None:
    print(list(evens(count_up(0, 10))), sum(x * x for x in count_up(1, 4)))
    print(list(chain([1, 2], [3])), max(chain([5], [9, 2])))
    inc, dbl = make_adder(1), make_adder(10)
    both = compose(inc, dbl)
    print(inc(1), dbl(1), both(5), list(map(both, [1, 2])))
    a = {"x": 1, "y": 2}
    b = {"y": 20, "z": 30}
    print({**a, **b}, a | b, [*a, *b], [*range(3), 9])
    out = ""
    for i in range(5):
        out += str(i) if i % 2 else "-"
    print(out, ", ".join(map(str, [1, 2, 3])), end="!\n")
    words = ["apple", "Banana", "cherry"]
    print(sorted(words, key=str.casefold), [w[0].upper() + w[1:] for w in words])
    total = 0

    def bump(n: int) -> None:
        nonlocal total
        total += n
    for i in range(4):
        bump(i)
    print(total, any(w.startswith("B") for w in words), all(len(w) > 4 for w in words))


main()
