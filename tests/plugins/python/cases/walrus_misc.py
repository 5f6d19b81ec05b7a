def chunks(xs: list[int], n: int) -> list[list[int]]:
    return [xs[i:i + n] for i in range(0, len(xs), n)]


data = list(range(1, 11))
print(chunks(data, 3))
if (n := len(data)) > 5:
    print("long list", n)
total = 0
while (total := total + 3) < 10:
    print("total", total)
print(pow(7, 128, 13), 2 ** 10, (-2) ** 3, 2.0 ** -1)
print(10 / 4, 10 // 4, -10 // 4, 10 % -3, 7.0 % 2.5, 1 << 10, 1024 >> 3, -16 >> 2, 6 & 3, 6 | 3, 6 ^ 3, ~5)
print(hex(255), oct(8), bin(5), hex(-1), int("101", 2))
x = 5
print(1 < x < 10, 1 < x > 10, x == 5 == 5.0, 0 <= x - 5 < 1)
print(True + True, True * 3, int(True), float(False), str(1 == 1))
s = "a"
s += "b"
s *= 3
print(s, [0] * 3, [[0] * 2 for _ in range(2)])
a, b, c = [1, 2, 3]
print(a + b + c, "yes" if a < b else "no", (a, b) < (a, c))
print(abs(-7), abs(3.5), round(7.567, 1), round(1234, -2), round(-0.5), max([3, 1, 2]), min("hello"))
print(sum([0.1] * 10), sum(range(101)), sum([1, 2], 10))
print(any([]), all([]), any([0, 0, 1]), all([1, 2, 0]), sorted("banana"), "".join(sorted("cab")))
