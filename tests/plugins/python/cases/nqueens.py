def solve(n: int) -> int:
    cols: set[int] = set()
    diag1: set[int] = set()
    diag2: set[int] = set()
    count = 0

    def place(r: int) -> None:
        nonlocal count
        if r == n:
            count += 1
            return
        for c in range(n):
            if c in cols or r + c in diag1 or r - c in diag2:
                continue
            cols.add(c)
            diag1.add(r + c)
            diag2.add(r - c)
            place(r + 1)
            cols.remove(c)
            diag1.remove(r + c)
            diag2.remove(r - c)

    place(0)
    return count


for n in range(1, 9):
    print(n, solve(n))
