from types import TracebackType
from typing import Optional, Type


class Resource:
    opened: int = 0

    def __init__(self, name: str, suppress: bool = False) -> None:
        self.name = name
        self.suppress = suppress
        self.log: list[str] = []

    def __enter__(self) -> "Resource":
        Resource.opened += 1
        print(f"enter {self.name}")
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> bool:
        Resource.opened -= 1
        if exc is None:
            print(f"exit {self.name} cleanly")
        else:
            print(f"exit {self.name} with {exc}")
        return self.suppress


class Timer:
    def __init__(self) -> None:
        self.ticks = 0

    def __enter__(self) -> None:
        self.ticks += 1

    def __exit__(self, *args: object) -> None:
        self.ticks += 10


def find(xs: list[int], want: int) -> int:
    with Resource("search") as r:
        for i, x in enumerate(xs):
            if x == want:
                return i
    return -1


def main() -> None:
    with Resource("a") as a, Resource("b") as b:
        print(a.name, b.name, Resource.opened)
    print(Resource.opened)
    with Resource("quiet", suppress=True):
        raise ValueError("swallowed")
    print("after quiet")
    try:
        with Resource("loud"):
            raise KeyError("k")
    except KeyError as e:
        print("caught", repr(str(e)))
    print(find([4, 5, 6], 5), find([1], 9))
    t = Timer()
    for _ in range(3):
        with t:
            if t.ticks > 12:
                break
    print(t.ticks)
    n = 0
    while True:
        with Resource(f"loop{n}"):
            n += 1
            if n == 2:
                break
            continue
    with Resource("last"):
        x = 1 // 0
    print("unreachable", x)


main()
