"""'%' formatting as CPython does it: %(key)s with a dict (a name or a display),
a tuple variable as the argument list, and %Ns right-aligned (a str's format
spec would left-align it)."""
from typing import Dict, Tuple


def main() -> None:
    d: Dict[str, str] = {"x": "k", "y": "2.25"}
    print("%(x)s-%(y)s|%(x)r" % d)
    nums: Dict[str, float] = {"a": 1.5, "b": -2.0}
    print("%(a)08.3f %(b)+.1e %(a)g" % nums)
    print("%(name)-6s|%(n)4d|%(r).2f%%" % {"name": "bob", "n": 42, "r": 99.5})
    pair: Tuple[int, str] = (7, "seven")
    print("%d is %s" % pair)
    print("%s" % "alone", "%d%%" % 50, "[%5s|%-5s|%3r]" % ("ab", "cd", "e"))
    e: Dict[str, int] = {}
    print("none" if "z" not in e else "%(z)d" % e)
    rows = [("apple", 3, 0.5), ("kiwi", 12, 0.25)]
    for name, qty, price in rows:
        print("%-8s %4d @ %6.2f = %7.2f" % (name, qty, price, qty * price))


main()
