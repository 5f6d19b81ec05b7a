from typing import Callable


def make_accumulators() -> tuple[Callable[[int], int], Callable[[], int]]:
    total = 0
    history: list[int] = []

    def add(x: int) -> int:
        nonlocal total
        total += x
        history.append(x)
        return total

    def count() -> int:
        return len(history)

    return add, count


add, count = make_accumulators()
for v in [5, 10, -3]:
    print(add(v))
print(count())


def memoize(f: Callable[[int], int]) -> Callable[[int], int]:
    cache: dict[int, int] = {}

    def wrapper(n: int) -> int:
        if n not in cache:
            cache[n] = f(n)
        return cache[n]
    return wrapper


def slow_square(n: int) -> int:
    print("computing", n)
    return n * n


fast = memoize(slow_square)
print(fast(4), fast(4), fast(5), fast(4))
multipliers = [memoize(slow_square)]
print(len(multipliers))
ops: dict[str, Callable[[int, int], int]] = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "max": lambda a, b: a if a > b else b,
}
for name in sorted(ops):
    print(name, ops[name](6, 7))
