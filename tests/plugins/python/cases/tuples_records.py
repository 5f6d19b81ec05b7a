
def parse(line: str) -> tuple[str, int, float]:
    name, age, score = line.split(",")
    return (name.strip(), int(age), float(score))


lines = ["ann, 31, 88.5", "bob, 25, 92.0", "cid, 31, 75.25", "dee, 22, 92.0"]
recs = [parse(l) for l in lines]
print(recs)
by_score = sorted(recs, key=lambda r: (-r[2], r[0]))
print([r[0] for r in by_score])
oldest = max(recs, key=lambda r: r[1])
print(oldest, oldest[0], len(oldest))
ages: dict[int, list[str]] = {}
for name, age, _ in recs:
    ages.setdefault(age, []).append(name)
print(ages, sorted(ages.items()))
t = (1, 2) + (3,)
print(t, t[-1], (1, "a") < (1, "b"), (2,) > (1, 99), hash((1, 2)) == hash((1, 2)))
