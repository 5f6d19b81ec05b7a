"""Slices of a tuple of fixed item types with constant bounds."""
from typing import Tuple


def main() -> None:
    t: Tuple[int, str, float, bool] = (1, "two", 3.0, True)
    print(t[1:], t[:2], t[::-1], t[-2:], t[1:3], t[::2], t[5:], t[:-3])
    rest = t[1:]
    s, f, b = rest
    print(s.upper(), f * 2, not b, len(t[2:]))
    print(() == t[4:], (1, "two") == t[:2])


main()
