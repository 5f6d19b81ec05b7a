def primes(n: int) -> list[int]:
    sieve = [True] * (n + 1)
    sieve[0] = sieve[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if sieve[i]:
            for j in range(i * i, n + 1, i):
                sieve[j] = False
    return [i for i, p in enumerate(sieve) if p]


xs = [5, 3, 8, 1, 9, 2]
print(xs, len(xs), sum(xs), min(xs), max(xs))
xs.append(7)
xs.sort()
print(xs, xs[0], xs[-1], xs[2:5], xs[::2], xs[::-1])
xs.insert(0, 100)
print(xs.pop(), xs.pop(0), xs, xs.index(8), 8 in xs, 42 in xs)
xs.remove(8)
xs.reverse()
print(xs, sorted(xs, reverse=True), xs + [0, 0], [1, 2] * 3)
print(primes(50))
grid = [[i * j for j in range(4)] for i in range(3)]
print(grid, grid[2][3], [row[1] for row in grid])
ys = xs.copy()
ys[0] = -1
print(xs[0] != ys[0], ys)
del ys[0]
del ys[1:3]
print(ys, [x * x for x in range(10) if x % 2 == 0])
zs: list[str] = []
for w in ["a", "bb", "ccc"]:
    zs.append(w * 2)
print(zs, list(range(5)), list(range(10, 0, -3)), list("abc"))
pairs = list(zip([1, 2, 3], ["a", "b", "c"]))
print(pairs, [(i, c) for i, c in enumerate("xy")])
nums = [3, 1, 2]
nums += [9]
nums[1:1] = [7, 7]
print(nums, any(x > 8 for x in nums), all(x > 0 for x in nums), sorted(nums, key=lambda v: -v))
print([x for row in grid for x in row if x > 2], xs == sorted(xs), [1, 2] < [1, 3])
