a = {5, 3, 17, 1, 9, 100, 33, 8}
b = {3, 4, 5, 64, 72}
print(a, b, a | b, a & b, a - b, b - a, a ^ b)
c = set(range(20, 0, -3))
print(c, {x * 7 % 11 for x in range(30)}, set([10, 2, 10, 7]))
c.discard(11)
c.add(1000)
c.add(-5)
print(c, c.pop(), c, len(c))
d = {(1, 2), (0, 0), (5, 1)}
print(d, {True, False}, {-1, -2, 0})
big = set(range(100, 0, -7))
print(big)
e: set[int] = set()
for i in [40, 8, 16, 24, 32]:
    e.add(i)
print(e, sorted(e), e.copy(), e.union({1}), e.intersection({8, 99, 40}))
e.update([3, 2, 1])
e -= {8}
print(e, list(e))
print({0.5, 1.25, 2.0, -3.75, 1e10, 0.1}, hash(0.1), hash(2.5), hash((1, 2)), hash(()), hash((0.5, "x")) != 0)
print({(i, i * 2) for i in range(6)}, {(0.5, 1), (2.0, 0)})
