menu = {"espresso": 2.5, "cappuccino": 3.75, "latte": 3.5, "tea": 1.8}
width = max(len(k) for k in menu) + 2
print("=" * (width + 8))
for item, price in menu.items():
    print(f"{item.title():.<{width}}{price:>8.2f}")
print("=" * (width + 8))
total = sum(menu.values())
print(f"{'TOTAL':<{width}}{total:>8.2f}")
print(f"{'avg':>{width}}{total / len(menu):>8.3f}")
for n in [1, 22, 333, 4444]:
    print(f"|{n:^8}|{n:<8}|{n:>8}|{n:08}|")
