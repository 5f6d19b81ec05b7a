# Shifts and bitwise operations on big ints, with Python's two's-complement meaning for negatives.
def main() -> None:
    a = 2 ** 100 + 2 ** 65 + 12345
    b = -(2 ** 90) - 7
    print(a << 10, a >> 3, a >> 200, b >> 5, b >> 200, b << 40)
    print(1 << 100, -1 << 100, (1 << 100) >> 99, -(1 << 100) >> 1, -(2 ** 64 + 1) >> 64)
    print(a & b, a | b, a ^ b, ~a, ~b)
    print(a & 0xFFFF, b & 0xFFFF, a | 1, b | 1, a ^ -1, b ^ b)
    print(-1 & a, -(2 ** 70) & -(2 ** 80), -(2 ** 70) | -(2 ** 80), -(2 ** 70) ^ (2 ** 80))
    print(~9223372036854775807, ~(-9223372036854775807 - 1), 9223372036854775807 + 1 >> 1)
    x = 1
    for i in range(130):
        x = (x << 1) | (i & 1)
    print(x, x >> 64, x & ((1 << 64) - 1))
    mask = (1 << 128) - 1
    h = 0
    for i in range(50):
        h = ((h * 1103515245 + 12345) ^ (h >> 13)) & mask
    print(h)
    try:
        print(a >> -1)
    except ValueError as e:
        print("ValueError:", e)


if __name__ == "__main__":
    main()
