d = {"b": 2, "a": 1, "c": 3}
print(d, list(d), sorted(d), sorted(d.values(), reverse=True))
d["a"] = 10
d["d"] = 4
del d["b"]
print(d, d.pop("c"), d.pop("zz", -1), d)
print({k: v for k, v in sorted(d.items(), key=lambda kv: kv[1])})
nested: dict[str, dict[str, int]] = {"x": {"a": 1}, "y": {}}
nested["y"]["b"] = 2
nested.setdefault("z", {})["c"] = 3
print(nested, len(nested), sum(len(v) for v in nested.values()))
counts: dict[int, int] = {}
for n in [1, 2, 2, 3, 3, 3]:
    counts[n] = counts.get(n, 0) + 1
print(counts, max(counts, key=lambda k: counts[k]), {v: k for k, v in counts.items()})
inv = dict(zip("abc", range(3)))
print(inv, "b" in inv, inv.get("q") is None, list(inv.items())[1])
merged = dict(inv)
merged.update({"z": 26})
print(merged, merged == inv, inv.copy() == inv)
popped = merged.popitem()
print(popped, merged)
e: dict[str, list[int]] = {}
print(e, len(e), not e, bool({1: 2}))
