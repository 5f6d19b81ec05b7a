from dataclasses import dataclass, field


@dataclass
class Item:
    name: str
    price: float
    qty: int = 1

    def total(self) -> float:
        return self.price * self.qty


@dataclass
class Discounted(Item):
    discount: float = 0.1

    def total(self) -> float:
        return super().total() * (1 - self.discount)


@dataclass
class Cart:
    items: list[Item] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)

    def add(self, it: Item) -> "Cart":
        self.items.append(it)
        return self

    def total(self) -> float:
        return round(sum(i.total() for i in self.items), 2)


cart = Cart()
cart.add(Item("pen", 1.5, 4)).add(Discounted("book", 20.0)).add(Discounted("bag", 50.0, 1, 0.5))
cart.tags.add("school")
print(cart.total(), len(cart.items), cart.tags)
for it in cart.items:
    print(it, f"{it.total():.2f}")
print(Item("a", 1.0) == Item("a", 1.0), Item("a", 1.0) == Item("a", 1.0, 2))
