def check(n: int) -> int:
    if n > 3:
        raise ValueError(f"too big: {n}")
    return n * 2


for i in range(10):
    print(check(i))
