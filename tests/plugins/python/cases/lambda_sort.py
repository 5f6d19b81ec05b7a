from typing import Callable

students = [("alice", 88, 21), ("bob", 95, 19), ("carol", 88, 20), ("dave", 72, 22)]
by: dict[str, Callable[[tuple[str, int, int]], int]] = {
    "score": lambda s: -s[1],
    "age": lambda s: s[2],
    "name_len": lambda s: len(s[0]),
}
for key in ["score", "age", "name_len"]:
    print(key, [s[0] for s in sorted(students, key=by[key])])
print(sorted(students, key=lambda s: (-s[1], s[0])))
transform: list[Callable[[int], int]] = [lambda x: x + 1, lambda x: x * x, abs]
v = -3
for f in transform:
    v = f(v)
print(v, list(map(lambda x: x * 10, [1, 2, 3])), list(filter(None, [0, 1, 2, 0])))
adder: Callable[[int, int], int] = lambda a, b: a + b
print(adder(2, 3))
