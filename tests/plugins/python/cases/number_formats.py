values = [0, 1, -1, 42, 1000, -123456, 2 ** 31, 10 ** 15]
for v in values:
    print(f"{v:>18,} {v:>12x} {v:+d} {v:e}")
floats = [0.0, 0.5, -1.25, 3.14159, 1e-9, 6.02e23, 100.0, 2.5e-5, 1 / 3]
for f in floats:
    print(f, repr(f), f"{f:.3g}", f"{f:10.4f}", str(round(f, 3)))
print(int(2.999), int(-2.999), round(0.125, 2), round(0.375, 2), round(2.5), round(1.5), round(-2.5))
print(float("1e3"), float("-inf"), float(" 42 "), int("0042"), int("-7"), int("1_000"))
print(1_000_000, 0x1F, 0o17, 0b1010, 1e3, 2.5e-3, 10 ** -2)
print(7 // -2, -7 // -2, 7 % -2, divmod(-7, 2), divmod(7.5, 2), 2 ** 0.5, (-8) ** 2, abs(-0.0))
