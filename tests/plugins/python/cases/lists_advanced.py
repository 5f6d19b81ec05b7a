xs = list(range(10))
print(xs[2:8:2], xs[::-2], xs[-3:], xs[:-7], xs[100:], xs[-100:2], xs[5:2], xs[5:2:-1])
xs[2:5] = [20, 30]
print(xs, len(xs))
del xs[0]
print(xs)
ys = [3, 1, 2]
zs = ys
zs.append(4)
print(ys is zs, ys == [3, 1, 2, 4], ys.count(1), [1, 2] == [1, 2], [[1], [2]] == [[1], [2]])
nested = [[3, 2], [1], [], [5, 4, 6]]
print(sorted(nested), sorted(nested, key=len), max(nested, key=len), [sorted(l) for l in nested])
flat = [x for l in nested for x in l]
print(flat, sum(flat), list(reversed(flat)), flat.index(5))
m = [[0] * 3 for _ in range(3)]
m[1][1] = 5
print(m)
s = [1, 2, 3]
s.extend(range(4, 6))
s.insert(-1, 99)
s.insert(100, 7)
print(s, s.pop(2), s)
print([i for i in range(20) if i % 3 == 0 if i % 2 == 0], [(a, b) for a in range(3) for b in range(a)])
