# error: 2:13: unions other than X | None are not supported
def norm(x: int | str) -> str:
    return str(x)


print(norm(3))
