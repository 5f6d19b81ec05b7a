from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional
import sys


@dataclass(order=True)
class Task:
    priority: int
    name: str = field(compare=False)
    tags: list[str] = field(default_factory=list, compare=False)

    def __str__(self) -> str:
        tags = ",".join(self.tags) if self.tags else "-"
        return f"[{self.priority:>2}] {self.name:<12} {tags}"


class TodoList:
    def __init__(self) -> None:
        self._tasks: list[Task] = []
        self._done: set[str] = set()

    def add(self, name: str, priority: int = 5, *tags: str) -> Task:
        t = Task(priority, name, list(tags))
        self._tasks.append(t)
        return t

    def complete(self, name: str) -> bool:
        for t in self._tasks:
            if t.name == name:
                self._done.add(name)
                return True
        return False

    def pending(self) -> list[Task]:
        return sorted(t for t in self._tasks if t.name not in self._done)

    def find(self, tag: str) -> Optional[Task]:
        for t in self._tasks:
            if tag in t.tags:
                return t
        return None

    def __len__(self) -> int:
        return len(self._tasks) - len(self._done)

    def __iter__(self) -> Iterator[Task]:
        for t in self._tasks:
            yield t


def report(todo: TodoList) -> str:
    lines = []
    for i, t in enumerate(todo.pending(), start=1):
        lines.append("%d. %s" % (i, t))
    return "\n".join(lines)


def make_counter() -> Callable[[], int]:
    count = 0

    def inc() -> int:
        nonlocal count
        count += 1
        return count
    return inc


def main() -> None:
    todo = TodoList()
    todo.add("write code", 1, "dev")
    todo.add("test code", 2, "dev", "qa")
    todo.add("lunch", 9)
    todo.add("email", 5, "admin")
    print(report(todo))
    todo.complete("lunch")
    print(len(todo), todo.find("qa"), todo.find("none"))
    by_tag: dict[str, list[str]] = {}
    for t in todo.pending():
        for tag in t.tags:
            by_tag.setdefault(tag, []).append(t.name)
    for tag, names in sorted(by_tag.items()):
        print(f"{tag:>6}: {', '.join(names)}")
    matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
    transposed = [[row[i] for row in matrix] for i in range(3)]
    print(transposed, [x for row in matrix for x in row if x % 2][::-1])
    words = "The rain in Spain stays mainly in the plain".split()
    print(sorted(words, key=lambda w: (len(w), w.lower())))
    print(sorted(words, key=str.lower)[:3], max(words, key=len))
    print(" ".join(w[::-1] for w in words[:3]), words[1:6:2])
    stats = {w.lower(): len(w) for w in words}
    print(min(stats.items(), key=lambda kv: kv[1]), sum(stats.values()))
    print("%5.2f|%-5s|%05d|%x|%s" % (3.14159, "ab", 42, 255, [1, 2]))
    print("{:>8}|{:^8}|{:<8}|{:+d}".format("r", "c", "l", 5))
    t = Task(3, "x")
    print(t < Task(4, "y"), t == Task(3, "z"), repr(t))
    c = make_counter()
    c()
    print(c(), [t.name for t in todo], sys.argv[0].endswith(".py"))


main()
