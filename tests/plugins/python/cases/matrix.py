

def identity(n: int) -> list[list[float]]:
    return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    n, m, p = len(a), len(b), len(b[0])
    out = [[0.0] * p for _ in range(n)]
    for i in range(n):
        for k in range(m):
            aik = a[i][k]
            for j in range(p):
                out[i][j] += aik * b[k][j]
    return out


def transpose(a: list[list[float]]) -> list[list[float]]:
    return [[a[i][j] for i in range(len(a))] for j in range(len(a[0]))]


a = [[1.0, 2.0], [3.0, 4.0]]
b = [[0.5, -1.0], [2.0, 0.0]]
print(matmul(a, b))
print(matmul(a, identity(2)) == a, transpose(a))
p = identity(2)
for _ in range(5):
    p = matmul(p, a)
print(p)
print([f"{x:.1f}" for row in p for x in row])
