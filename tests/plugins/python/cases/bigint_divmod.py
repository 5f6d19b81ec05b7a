# Floor division and modulo of big ints follow Python's rules (remainder has the divisor's sign).
def show(a: int, b: int) -> None:
    q, r = divmod(a, b)
    assert q * b + r == a
    print(f"{a} {b} -> {q} {r} {a // b} {a % b}")


def main() -> None:
    big = 123456789012345678901234567890123456789012345678901234567890
    other = 98765432109876543210987654321
    for a in (big, -big):
        for b in (other, -other, 7, -7, 10 ** 9, -(10 ** 9), 2 ** 64, -(2 ** 64), big, -big):
            show(a, b)
    show(5, big)
    show(-5, big)
    show(5, -big)
    show(-5, -big)
    show(2 ** 64, 2 ** 32 + 1)
    show(2 ** 200 - 1, 2 ** 100 - 1)
    show(2 ** 192 + 2 ** 160, 2 ** 96 + 2 ** 64 + 1)
    show(-(10 ** 50), 3)
    show(10 ** 50, -3)
    show(-(2 ** 63), -1)
    show(-(2 ** 63), 2 ** 63)
    # a check of long division on many shapes
    x = 3 ** 200
    n = 0
    for k in range(1, 120):
        d = 7 ** k + k
        q, r = divmod(x, d)
        if q * d + r != x or not 0 <= r < d:
            print("bad", k)
        n += r % 1000
    print(n)
    try:
        print(big // 0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    try:
        print(big % 0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)


if __name__ == "__main__":
    main()
