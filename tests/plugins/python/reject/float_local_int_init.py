# error: 3:16: an int where a float is kept: CPython keeps the int (it prints without '.0'); write 0.0
def total(prices: list[float]) -> float:
    t: float = 0
    for p in prices:
        t += p
    return t


print(total([]))
