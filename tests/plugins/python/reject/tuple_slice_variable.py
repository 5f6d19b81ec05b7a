# error: 7:11: a slice of tuple[int, str] needs constant bounds (its item types depend on them)
from typing import Tuple


def main(n: int) -> None:
    t: Tuple[int, str] = (1, "a")
    print(t[n:])


main(1)
