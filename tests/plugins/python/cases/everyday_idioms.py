width, prec = 10, 2
x = 3.14159
name = "bob"
print(f"{name!r:>10}|{x:{width}.{prec}f}|{x:<{width}}|")
print("".join(sorted("banana")), list(map(int, "1 2 3".split())))
keys, values = ["a", "b"], [1, 2]
print(dict(zip(keys, values)), [(i, p) for i, p in enumerate(zip(keys, values))])
print([(i, j) for i in range(3) for j in range(i)])
a = b = 0
a, b = 1, 2
a, b = b, a + b
print(a, b, str(3.0), float("1e3"), int(3.9), round(2.5), round(3.5), int("-12"))
print("%s" % name, "%d items" % 5, "%5.1f%%" % 12.345, "%r" % "q")
words = {"x": [1, 2], "y": [3]}
print(sum(len(v) for v in words.values()), {k: len(v) for k, v in words.items()})
print(sorted(words.items(), key=lambda kv: len(kv[1]))[0][0], list(reversed(range(3))))
s = "Hello"
print(s[::-1], s[1:-1], s * 2, s.center(11, "*"), s.ljust(7, ".") + "|", s.count("l"))
print(isinstance(x, (int, float)), divmod(-7, 2), abs(-3), 7 % -3, -7 % 3, 2 ** -1)
