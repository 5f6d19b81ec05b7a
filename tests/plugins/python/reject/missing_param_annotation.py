# error: 2:17: parameter b of add needs a type annotation
def add(a: int, b) -> int:
    return a + b


print(add(1, 2))
