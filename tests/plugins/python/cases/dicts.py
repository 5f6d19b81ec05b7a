def word_freq(text: str) -> dict[str, int]:
    freq: dict[str, int] = {}
    for w in text.split():
        freq[w] = freq.get(w, 0) + 1
    return freq


f = word_freq("a b a c b a d")
print(f, len(f), f["a"], "z" in f, "a" in f)
for k, v in f.items():
    print(k, v)
print(list(f.keys()), list(f.values()), sorted(f.items(), key=lambda kv: kv[1]))
del f["d"]
print(f, f.pop("c"), f)
sq = {i: i * i for i in range(6)}
print(sq, sq.get(10), sq.get(3), sq.get(9, -1))
sq[2] = 400
sq.setdefault(100, 1)
print(sq, max(sq.values()), sorted(sq, reverse=True))
inv = {v: k for k, v in sq.items()}
print(inv)
nested: dict[str, list[int]] = {}
for i in range(10):
    key = "even" if i % 2 == 0 else "odd"
    if key not in nested:
        nested[key] = []
    nested[key].append(i)
print(nested)
d2 = dict(zip(["x", "y"], [1.5, 2.5]))
d2.update({"z": 3.5})
print(d2, {(1, 2): "a", (3, 4): "b"}[(3, 4)])
try:
    print(sq[999])
except KeyError as e:
    print("KeyError", e)
print({} == {}, {"a": 1} == {"a": 1}, f.copy())
