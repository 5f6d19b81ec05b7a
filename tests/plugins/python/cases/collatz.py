def collatz_len(n: int, cache: dict[int, int]) -> int:
    steps = 0
    path: list[int] = []
    while n != 1 and n not in cache:
        path.append(n)
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    base = cache.get(n, 0)
    for i, m in enumerate(path):
        cache[m] = base + steps - i
    return base + steps


cache: dict[int, int] = {1: 0}
best = max(range(1, 30000), key=lambda n: collatz_len(n, cache))
print(best, collatz_len(best, cache), len(cache) > 30000)
