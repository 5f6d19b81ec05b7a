# error: 2:37: default values must be constants
def append(x: int, acc: list[int] = []) -> list[int]:
    acc.append(x)
    return acc


print(append(1))
