def unique_sorted(xs: list[int]) -> list[int]:
    return sorted(set(xs))


a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(len(a), 3 in a, 9 in a, a <= {1, 2, 3, 4, 5}, {1} < a, a == {4, 3, 2, 1})
a.add(10)
a.discard(1)
a.remove(2)
print(sorted(a), unique_sorted([5, 1, 5, 2, 1]))
seen: set[str] = set()
for w in "one two one three two".split():
    if w in seen:
        print("dup", w)
    seen.add(w)
print(sorted(seen), sorted({x % 3 for x in range(10)}))
t = (1, "two", 3.0)
n, s, f = t
print(t, n, s, f, t[1], len(t), t == (1, "two", 3.0))
pairs = [(3, "c"), (1, "a"), (2, "b"), (1, "z")]
pairs.sort()
print(pairs, max(pairs), min(pairs, key=lambda p: p[1]))


def minmax(xs: list[int]) -> tuple[int, int]:
    return min(xs), max(xs)


lo, hi = minmax([4, 9, -2, 7])
print(lo, hi, minmax([1]))
points = {(0, 0): "origin", (1, 0): "east"}
print(points[(1, 0)], (0, 0) in points, (5, 5) in points)
x, y = 1, 2
x, y = y, x
print(x, y, (1,), ())
print(sorted({"b": 1, "a": 2}.items()))
