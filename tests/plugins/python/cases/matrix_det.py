def det(m: list[list[float]]) -> float:
    n = len(m)
    a = [row[:] for row in m]
    d = 1.0
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        if abs(a[p][c]) < 1e-12:
            return 0.0
        if p != c:
            a[p], a[c] = a[c], a[p]
            d = -d
        d *= a[c][c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            for k in range(c, n):
                a[r][k] -= f * a[c][k]
    return d


print(round(det([[1.0, 2.0], [3.0, 4.0]]), 6))
print(round(det([[2.0, 0.0, 1.0], [1.0, 3.0, 2.0], [1.0, 1.0, 1.0]]), 6))
print(det([[1.0, 2.0], [2.0, 4.0]]))
hilbert = [[1.0 / (i + j + 1) for j in range(4)] for i in range(4)]
print(f"{det(hilbert):.6e}")
