from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Item:
    name: str
    price: float
    qty: int = 1

    @property
    def total(self) -> float:
        return self.price * self.qty


class Inventory:
    count: int = 0

    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        Inventory.count += 1

    def add(self, item: Item) -> None:
        if item.name in self.items:
            self.items[item.name].qty += item.qty
        else:
            self.items[item.name] = item

    def total(self) -> float:
        return sum(i.total for i in self.items.values())

    def cheapest(self) -> Optional[Item]:
        if not self.items:
            return None
        return min(self.items.values(), key=lambda i: i.price)

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, float]]) -> "Inventory":
        inv = cls()
        for n, p in pairs:
            inv.add(Item(n, p))
        return inv

    @staticmethod
    def fmt(x: float) -> str:
        return f"${x:,.2f}"

    def __str__(self) -> str:
        lines = [f"{k:<10}|{v.qty:>4} x {v.price:8.2f}" for k, v in sorted(self.items.items())]
        return "\n".join(lines)

    def __len__(self) -> int:
        return len(self.items)


def main() -> None:
    inv = Inventory.from_pairs([("apple", 0.5), ("pear", 0.75), ("melon", 3.2)])
    inv.add(Item("apple", 0.5, 10))
    print(inv)
    print(len(inv), Inventory.fmt(inv.total()))
    c = inv.cheapest()
    if c is not None:
        print("cheapest:", c.name, c)
    words = "the quick brown fox jumps over the lazy dog the end".split()
    freq: dict[str, int] = {}
    for w in words:
        freq[w] = freq.get(w, 0) + 1
    top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    for w, n in top:
        print("%-6s %3d" % (w, n))
    grid = [[i * j for j in range(1, 4)] for i in range(1, 4)]
    flat = [x for row in grid for x in row if x % 2 == 0]
    print(grid, flat, flat[::-1], flat[1::2])
    print(", ".join(str(x) for x in range(5)), "abc".upper().center(9, "*"))
    print("Total: {:.1f} for {} items".format(inv.total(), len(inv)))
    print(repr("it's"), f"{3.14159:.3f}|{42:05d}|{'x':^5}|{255:#x}|{1e6:e}")
    s = "  Hello, World  "
    print(s.strip().lower().replace("world", "there").title(), s.find("W"), s.count("l"))
    print(Inventory.count, "done".startswith("do"), "a,b,,c".split(","))


if __name__ == "__main__":
    main()
