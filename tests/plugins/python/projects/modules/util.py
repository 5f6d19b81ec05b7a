"""Helpers shared by main.py."""
from dataclasses import dataclass

count = 0
GREETING = "hi"


@dataclass
class Pair:
    a: int
    b: int


class ParseError(Exception):
    pass


def helper(x: int) -> int:
    global count
    count += 1
    return x * 2


def parse(s: str) -> Pair:
    parts = s.split(",")
    if len(parts) != 2:
        raise ParseError(f"bad pair {s!r}")
    return Pair(int(parts[0]), int(parts[1]))


def twice(x: int) -> int:
    return helper(helper(x))


print("util loaded as", __name__)

if __name__ == "__main__":
    print("never printed on import")
