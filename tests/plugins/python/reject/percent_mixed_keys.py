# error: 7:11: format requires a mapping: every conversion needs a %(key)
from typing import Dict


def main() -> None:
    d: Dict[str, int] = {"a": 1}
    print("%(a)d %s" % d)  # noqa: F506 - refused, as CPython would refuse it at run time


main()
