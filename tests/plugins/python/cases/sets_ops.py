def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


docs = {
    "d1": "the cat sat on the mat",
    "d2": "the dog sat on the log",
    "d3": "cats and dogs",
}
sets = {k: set(v.split()) for k, v in docs.items()}
for a in sorted(sets):
    for b in sorted(sets):
        if a < b:
            print(a, b, f"{jaccard(sets[a], sets[b]):.3f}")
common = sets["d1"] & sets["d2"]
print(sorted(common), sorted(sets["d1"] - sets["d2"]), sorted(sets["d1"] ^ sets["d2"]))
allw: set[str] = set()
for s in sets.values():
    allw |= s
print(len(allw), "cat" in allw, sorted(allw)[:4])
u = set(range(5))
u.update([10, 11])
print(sorted(u), u.issubset(set(range(20))), u.isdisjoint({100}), sorted(u.union({99})), sorted(u.difference({0, 1})))
v = {1, 2, 3}
v -= {2}
v &= {1, 3, 5}
print(sorted(v), len(v), v == {3, 1}, sorted(v.intersection({3, 4})))
