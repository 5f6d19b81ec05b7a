import math


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    for d in range(3, math.isqrt(n) + 1, 2):
        if n % d == 0:
            return False
    return True


def factorize(n: int) -> list[int]:
    out: list[int] = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            out.append(d)
            n //= d
        d += 1
    if n > 1:
        out.append(n)
    return out


print([n for n in range(60) if is_prime(n)])
print(factorize(360), factorize(97), factorize(2 ** 20 - 1), factorize(600851475143))
twins = [(p, p + 2) for p in range(3, 200) if is_prime(p) and is_prime(p + 2)]
print(len(twins), twins[-3:])
print(sum(1 for n in range(10000) if is_prime(n)))
