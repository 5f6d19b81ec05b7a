import sys

big = 2 ** 62
print(big, big + (big - 1), -big - big, sys.maxsize, -sys.maxsize - 1)
print(9223372036854775807 // 2, -9223372036854775807 % 10, 123456789 * 987654321)
print(abs(-5), -(-5), +5, 5 // 1, 0 // 5, 0 % 7, -0, 2 ** 0, 0 ** 0)
print(int("9" * 18), len(str(2 ** 60)), str(-2 ** 62 + 1)[:5])
