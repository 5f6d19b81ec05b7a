"""enumerate(x, start) and enumerate(x, start=n) used as values (lists of pairs),
starting anywhere, past the machine-int range too."""
from typing import List, Tuple


def main() -> None:
    words = ["a", "b", "c"]
    print(list(enumerate(words, 1)), list(enumerate(words)), list(enumerate(words, start=-2)))
    pairs: List[Tuple[int, str]] = list(enumerate("xyz", 2 ** 63 - 2))
    print(pairs)
    print(dict(enumerate(words, 10)))


main()
