from typing import FrozenSet


def key(items: list[str]) -> frozenset[str]:
    return frozenset(items)


a = frozenset([1, 2, 3])
b = frozenset({3, 4})
e: frozenset[int] = frozenset()
print(a, b, e, len(a), 2 in a, 5 not in b, bool(e))
print(a | b, a & b, a - b, a ^ b, a.union({9}), a.issubset({1, 2, 3, 4}))
print(a == {1, 2, 3}, {1, 2, 3} == a, a <= frozenset({1, 2, 3, 4}), hash(a) == hash(frozenset([3, 2, 1])))
groups: dict[frozenset[str], int] = {}
for team in [["ann", "bob"], ["bob", "ann"], ["cy"]]:
    k = key(team)
    groups[k] = groups.get(k, 0) + 1
print(len(groups), groups[frozenset(["ann", "bob"])], sorted(len(k) for k in groups))
pairs: set[frozenset[int]] = {frozenset({1, 2}), frozenset({2, 1}), frozenset({3})}
print(len(pairs), sorted(sorted(p) for p in pairs), sorted(a), sum(a), max(b))
s: FrozenSet[int] = frozenset(x * x for x in range(4))
print(s, type(s).__name__, [x for x in s if x > 1])
print({frozenset({1, 2}), frozenset({5, 6, 7})}, {frozenset({1}): "x"})
