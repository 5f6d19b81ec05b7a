# error: 4:16: expected int, got float
def half(n: int) -> int:
    if n > 0:
        return n / 2
    return 0


print(half(4))
