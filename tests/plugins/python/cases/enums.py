from enum import Enum, IntEnum, auto


class Color(Enum):
    RED = auto()
    GREEN = auto()
    BLUE = auto()
    CRIMSON = 1

    def is_warm(self) -> bool:
        return self is Color.RED

    @property
    def lower(self) -> str:
        return self.name.lower()


class Priority(IntEnum):
    LOW = 1
    MEDIUM = 5
    HIGH = 10


class Suit(Enum):
    HEARTS = "h"
    SPADES = "s"


def describe(c: Color) -> str:
    if c == Color.RED:
        return "stop"
    elif c is Color.GREEN:
        return "go"
    return "other"


def main() -> None:
    print(Color.RED, repr(Color.GREEN), Color.BLUE.name, Color.BLUE.value)
    print(Color.CRIMSON is Color.RED, Color.CRIMSON, len(Color))
    for c in Color:
        print(c.name, c.value, describe(c), c.is_warm(), c.lower)
    print([c.name for c in Color], list(Suit))
    counts: dict[Color, int] = {}
    for c in [Color.RED, Color.BLUE, Color.RED]:
        counts[c] = counts.get(c, 0) + 1
    print(counts)
    print(Color(2), Color["BLUE"], Suit("s"), Suit.HEARTS.value)
    print(Priority.HIGH, repr(Priority.LOW), Priority.LOW < Priority.HIGH,
          sorted([Priority.HIGH, Priority.LOW, Priority.MEDIUM]), max(Priority).name)
    print(f"{Color.RED} {Priority.MEDIUM} {Suit.SPADES!r}", Priority.MEDIUM.value * 2)
    print(isinstance(Color.RED, Color), Color.RED != Color.BLUE, {Suit.HEARTS: 1}[Suit.HEARTS])
    try:
        Color(7)
    except ValueError as e:
        print("error:", e)
    try:
        Suit["CLUBS"]
    except KeyError as e:
        print("missing:", e)


main()
