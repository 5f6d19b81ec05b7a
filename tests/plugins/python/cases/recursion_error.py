def depth(n: int) -> int:
    return 0 if n == 0 else 1 + depth(n - 1)


print(depth(500))
try:
    print(depth(10 ** 7))
except RecursionError as e:
    print("RecursionError:", e)
print(depth(100))
