def bsearch(xs: list[int], target: int) -> int:
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def sqrt_int(n: int) -> int:
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid * mid <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


xs = [x * 3 for x in range(100)]
print([bsearch(xs, t) for t in (0, 3, 150, 297, 298, -1)])
print([sqrt_int(n) for n in (0, 1, 15, 16, 17, 10 ** 9, 2 ** 30)])


def bits(n: int) -> int:
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c


print([bits(n) for n in range(17)], bits(2 ** 40 - 1), bin(1234), 1234 >> 4 << 4)
print([n for n in range(1, 100) if n & (n - 1) == 0], (0xFF ^ 0x0F) | 0x100)
