from __future__ import annotations

from dataclasses import dataclass, field


class InventoryError(Exception):
    pass


class OutOfStock(InventoryError):
    def __init__(self, sku: str, wanted: int, have: int) -> None:
        super().__init__(f"{sku}: wanted {wanted}, only {have} left")
        self.sku = sku


class UnknownItem(InventoryError, ):
    pass


@dataclass(order=True)
class Product:
    sku: str
    name: str = field(compare=False)
    price_cents: int = field(compare=False)
    qty: int = field(default=0, compare=False)

    @property
    def value(self) -> int:
        return self.price_cents * self.qty


@dataclass
class Order:
    oid: int
    lines: dict[str, int]
    status: str = "new"


class Warehouse:
    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.log: list[str] = []
        self._next = 1

    def add(self, p: Product) -> None:
        if p.sku in self.products:
            self.products[p.sku].qty += p.qty
        else:
            self.products[p.sku] = p
        self.log.append(f"+{p.qty} {p.sku}")

    def get(self, sku: str) -> Product:
        try:
            return self.products[sku]
        except KeyError:
            raise UnknownItem(f"no such item {sku!r}") from None

    def place(self, lines: dict[str, int]) -> Order:
        order = Order(self._next, dict(lines))
        self._next += 1
        for sku, n in lines.items():
            p = self.get(sku)
            if p.qty < n:
                order.status = "rejected"
                raise OutOfStock(sku, n, p.qty)
        for sku, n in lines.items():
            self.products[sku].qty -= n
        order.status = "shipped"
        self.log.append(f"order {order.oid}: {sum(lines.values())} items")
        return order

    def total_value(self) -> int:
        return sum(p.value for p in self.products.values())


def cents(v: int) -> str:
    return f"${v // 100:,}.{v % 100:02d}"


w = Warehouse()
w.add(Product("B-2", "bolt", 25, 1000))
w.add(Product("A-1", "anvil", 129999, 3))
w.add(Product("C-9", "cog", 450, 40))
w.add(Product("B-2", "bolt", 25, 500))
print("stock value:", cents(w.total_value()))
orders = [{"B-2": 200, "C-9": 5}, {"A-1": 5}, {"Z-0": 1}, {"A-1": 1, "B-2": 1300}, {"A-1": 2}]
shipped = 0
for lines in orders:
    try:
        o = w.place(lines)
        shipped += 1
        print("shipped", o)
    except OutOfStock as e:
        print("out of stock:", e, "| sku", e.sku)
    except InventoryError as e:
        print(type(e).__name__, e)
for p in sorted(w.products.values()):
    print(f"{p.sku:5} {p.name:<6} {p.qty:5d} {cents(p.value):>12}")
print(shipped, "orders;", w.log)
w.get("nope")
