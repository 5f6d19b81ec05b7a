# Arbitrary-precision ints: results beyond 64 bits grow instead of overflowing.
GOOGOL: int = 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
NEG_BIG: int = -123456789012345678901234567890123456789


def factorial(n: int) -> int:
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def main() -> None:
    print(factorial(100))
    print(factorial(25), factorial(20))
    print(2 ** 200)
    print(-(2 ** 127), 2 ** 64, 2 ** 63, -(2 ** 63), 2 ** 63 - 1)
    print(fib(300))
    print(fib(92), fib(93), fib(94))
    print(GOOGOL, GOOGOL + 1, GOOGOL - GOOGOL, NEG_BIG * NEG_BIG)
    x = 9223372036854775807
    print(x + 1, x * x, -x - 2, x - (-x))
    y = -9223372036854775807 - 1
    print(y, y - 1, -y, abs(y), y * -1, y // -1, y % -1)
    big = factorial(30)
    print(big - big + 5, (big * 7) // big, big == factorial(30), big != factorial(30) + 1)
    print(big > 2 ** 100, big < 2 ** 100, big >= big, -big < 0, -big < -(2 ** 200))
    print(max(big, 3, 2 ** 110), min(big, -big, 3), sum([big, big, -1]))
    print(abs(-big), -(-big), +big)
    print(str(big), repr(-big), len(str(2 ** 1000)))
    total = 0
    for i in range(1, 60):
        total += i ** 20
    print(total)
    print(3 ** 100 // 7 ** 30, 3 ** 100 % 7 ** 30)
    print(pow(3, 1000, 10 ** 20 + 39), pow(2, 10 ** 30, 1000000007), pow(-7, 333, 10 ** 25))
    print(float(2 ** 100), float(-(3 ** 70)), 2 ** 80 / 2 ** 70, float(10 ** 22 + 1))
    print(int(1e30), int(-2.5e19), int(float(2 ** 64)), round(1.5e20))
    print(2 ** 70 + 0.5, 2 ** 64 * 1.0, 10 ** 30 > 1e29, 10 ** 30 == 1e30 + 1)
    print(2 ** 53 + 1 > 9007199254740992.0, 2 ** 53 + 1 == 9007199254740992.0, 3 < 3.5, 4 >= 3.5,
          1e300 > 10 ** 400, -1e300 < -(10 ** 299), 2 ** 64 == 18446744073709551616.0, 0.5 < 1)
    n = 1
    while n < 10 ** 40:
        n = n * 3 + 1
    print(n)
    counts = [2 ** 70, 5, -(2 ** 90)]
    counts.sort()
    print(counts, sorted(counts, reverse=True), 2 ** 70 in counts, 2 ** 71 in counts)


if __name__ == "__main__":
    main()
