from dataclasses import dataclass
from typing import Optional


@dataclass
class Product:
    sku: str
    name: str
    price: float
    stock: int


class OutOfStock(Exception):
    pass


class Inventory:
    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.log: list[str] = []

    def add(self, p: Product) -> None:
        self.products[p.sku] = p
        self.log.append(f"add {p.sku}")

    def find(self, sku: str) -> Optional[Product]:
        return self.products.get(sku)

    def sell(self, sku: str, n: int) -> float:
        p = self.find(sku)
        if p is None:
            raise KeyError(sku)
        if p.stock < n:
            raise OutOfStock(f"{p.name}: only {p.stock} left")
        p.stock -= n
        self.log.append(f"sell {sku} x{n}")
        return p.price * n

    def value(self) -> float:
        return sum(p.price * p.stock for p in self.products.values())


inv = Inventory()
inv.add(Product("A1", "widget", 2.5, 10))
inv.add(Product("B2", "gadget", 12.0, 3))
revenue = 0.0
for sku, n in [("A1", 4), ("B2", 5), ("C3", 1), ("B2", 3)]:
    try:
        revenue += inv.sell(sku, n)
    except OutOfStock as e:
        print("out of stock:", e)
    except KeyError as e:
        print("unknown sku:", e)
print(f"revenue {revenue:.2f} value {inv.value():.2f}")
print(inv.log)
print(inv.find("A1"), inv.find("Z9"))
