from functools import cache, lru_cache
import functools


@lru_cache(maxsize=None)
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@cache
def paths(r: int, c: int) -> int:
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c) + paths(r, c - 1)


calls = 0


@functools.lru_cache(maxsize=128)
def slow_square(x: int) -> int:
    global calls
    calls += 1
    return x * x


@cache
def edit(a: str, b: str) -> int:
    if not a:
        return len(b)
    if not b:
        return len(a)
    if a[0] == b[0]:
        return edit(a[1:], b[1:])
    return 1 + min(edit(a[1:], b), edit(a, b[1:]), edit(a[1:], b[1:]))


print(fib(90), fib(200), paths(16, 16))
print([slow_square(i % 3) for i in range(10)], calls)
print(edit("kitten", "sitting"), edit("intention", "execution"))
