from functools import partial, reduce
from typing import Callable


def power(base: int, exp: int) -> int:
    return base ** exp


def greet(greeting: str, name: str, punct: str = "!") -> str:
    return f"{greeting}, {name}{punct}"


square = partial(power, exp=2)
two_to = partial(power, 2)
hello = partial(greet, "Hello")
print(square(7), two_to(10), hello("Ada"), partial(greet, punct="?")("Hi", "Bob"))
print(list(map(partial(power, 3), range(5))), sorted([3, -4, 1], key=partial(power, exp=2)))
fns: list[Callable[[int], int]] = [square, two_to]
print([f(5) for f in fns], reduce(lambda a, f: f(a), fns, 2))
