from dataclasses import dataclass, field


@dataclass
class Point:
    x: int
    y: int

    def dist2(self, other: "Point") -> int:
        return (self.x - other.x) ** 2 + (self.y - other.y) ** 2


@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0
    tag: str = ""


@dataclass
class Inventory:
    owner: str
    items: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, item: str) -> None:
        self.items.append(item)
        self.counts[item] = self.counts.get(item, 0) + 1


p = Point(1, 2)
q = Point(4, 6)
print(p, q, p == Point(1, 2), p != q, p.dist2(q))
vs = [Version(1, 2), Version(1, 0, 5), Version(0, 9), Version(1, 2, 0, "rc")]
print(sorted(vs))
print(max(vs), Version(1) < Version(1, 0, 1), Version(2) >= Version(1, 9))
inv = Inventory("ann")
inv.add("apple")
inv.add("pear")
inv.add("apple")
print(inv)
other = Inventory("bob")
print(other.items, inv.items is not other.items)
