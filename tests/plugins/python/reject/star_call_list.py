# error: 7:11: *xs in a call: only a tuple, or a list/tuple[T, ...] for the *args of add()
def add(a: int, b: int) -> int:
    return a + b


xs = [1, 2]
print(add(*xs))
