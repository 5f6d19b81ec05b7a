"""Recursive and iterative Fibonacci, with int arithmetic."""


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def fib_iter(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


for i in range(15):
    print(i, fib(i), fib_iter(i))
print(fib_iter(90))
