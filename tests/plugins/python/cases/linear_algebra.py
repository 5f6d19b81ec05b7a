import math

Matrix = list[list[float]]


def identity(n: int) -> Matrix:
    return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


def matmul(a: Matrix, b: Matrix) -> Matrix:
    cols = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) for col in cols] for row in a]


def solve(m: Matrix, rhs: list[float]) -> list[float]:
    n = len(m)
    a = [row[:] + [rhs[i]] for i, row in enumerate(m)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if math.isclose(a[pivot][col], 0.0, abs_tol=1e-12):
            raise ValueError("singular matrix")
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


def fmt(m: Matrix) -> str:
    return "\n".join(" ".join("{:>8.3f}".format(x) for x in row) for row in m)


def stats(xs: list[float]) -> tuple[float, float, float]:
    lo, hi = float("inf"), -math.inf
    for x in xs:
        lo, hi = min(lo, x), max(hi, x)
    mean = sum(xs) / len(xs)
    var = sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)
    return lo, hi, math.sqrt(var)


def main() -> None:
    m = [[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]]
    x = solve(m, [8.0, -11.0, -3.0])
    print([round(v, 6) for v in x])
    print(fmt(matmul(m, identity(3))))
    print(matmul([[1.0, 2.0]], [[3.0], [4.0]]))
    lo, hi, sd = stats([2.5, 3.5, 1.0, 4.0, 9.25])
    print(f"{lo} {hi} {sd:.4f} {sd:.3e} {int(hi)} {divmod(7.5, 2)}")
    try:
        solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0])
    except ValueError as e:
        print("error:", e)
    grid = [[0.0] * 3 for _ in range(2)]
    grid[1][2] = 5.5
    print(grid, math.floor(-2.5), math.ceil(2.1), math.hypot(3, 4), 2 ** 0.5)


main()
