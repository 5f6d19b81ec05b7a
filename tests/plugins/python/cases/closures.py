from typing import Callable


def make_counter(start: int) -> Callable[[], int]:
    count = start

    def inc() -> int:
        nonlocal count
        count += 1
        return count

    return inc


def make_adder(n: int) -> Callable[[int], int]:
    return lambda x: x + n


def compose(f: Callable[[int], int], g: Callable[[int], int]) -> Callable[[int], int]:
    def h(x: int) -> int:
        return f(g(x))
    return h


def apply_all(fs: list[Callable[[int], int]], x: int) -> list[int]:
    return [f(x) for f in fs]


c1 = make_counter(10)
c2 = make_counter(100)
print(c1(), c1(), c2(), c1())
add5 = make_adder(5)
double: Callable[[int], int] = lambda x: x * 2
print(add5(1), double(7), compose(add5, double)(3), compose(double, add5)(3))
print(apply_all([add5, double, make_adder(-1)], 10))


def fact(n: int) -> int:
    def go(k: int, acc: int) -> int:
        if k <= 1:
            return acc
        return go(k - 1, acc * k)
    return go(n, 1)


print(fact(10), list(map(double, [1, 2, 3])), list(filter(lambda v: v % 2 == 1, range(10))))
words = ["banana", "Apple", "cherry"]
print(sorted(words, key=str.lower) if False else sorted(words, key=lambda w: w.lower()))
total = 0


def add_to_total(v: int) -> None:
    global total
    total += v


for v in range(5):
    add_to_total(v)
print(total)
