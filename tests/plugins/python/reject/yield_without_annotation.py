# error: 2:1: generator numbers must be annotated -> Iterator[T]
def numbers(n: int):
    for i in range(n):
        yield i


print(list(numbers(3)))
