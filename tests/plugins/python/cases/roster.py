import math
import sys
from collections import defaultdict
from typing import Optional


class Student:
    def __init__(self, name: str, grades: Optional[list[int]] = None) -> None:
        self.name = name
        self.grades = grades if grades is not None else []

    def average(self) -> float:
        return sum(self.grades) / len(self.grades) if self.grades else 0.0

    def letter(self) -> str:
        avg = self.average()
        if avg >= 90:
            return "A"
        elif 80 <= avg < 90:
            return "B"
        elif avg >= 70:
            return "C"
        return "F"

    def __repr__(self) -> str:
        return f"Student({self.name!r}, {self.grades})"


def parse_roster(lines: list[str]) -> dict[str, Student]:
    roster: dict[str, Student] = {}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        name, _, rest = line.partition(":")
        grades = [int(g) for g in rest.split(",") if g.strip()]
        assert all(0 <= g <= 100 for g in grades), f"bad grade for {name}"
        roster[name.strip()] = Student(name.strip(), grades)
    return roster


def main() -> None:
    lines = """
# name: grades
ann: 95, 88, 92
bob: 72, 65, 80
cy: 85, 91
dee:
eve: 100, 98, 99, 97
""".splitlines()
    roster = parse_roster(lines)
    by_letter: defaultdict[str, list[str]] = defaultdict(list)
    for s in roster.values():
        by_letter[s.letter()].append(s.name)
    for letter in sorted(by_letter):
        print(letter, by_letter[letter])
    ranked = sorted(roster.items(), key=lambda kv: kv[1].average(), reverse=True)
    for i, (name, s) in enumerate(ranked, 1):
        print(f"{i}. {name:<4} {s.average():6.2f} {'*' * (len(s.grades))}")
    top = {n for n, s in roster.items() if s.average() > 85}
    passed = {n for n, s in roster.items() if s.letter() != "F"}
    print(sorted(top & passed), sorted(passed - top), sorted(top | {"zed"}))
    gone = roster.pop("dee", None)
    print(gone, roster.pop("nobody", None), "dee" in roster, len(roster))
    xs = [5, 3, 8, 1]
    xs.insert(1, 9)
    xs.remove(8)
    del xs[0]
    print(xs, xs[::-1], list(reversed(xs)), [i for i, _ in enumerate(reversed(xs))])
    print(math.gcd(84, 36), pow(3, 200, 1000), abs(-7.5), round(7.456, 1), 7 // 2, -7 // 2)
    try:
        parse_roster(["bad: 120"])
    except AssertionError as e:
        print("assert:", e)
    else:
        print("no error")
    finally:
        print("done", file=sys.stderr)


main()
