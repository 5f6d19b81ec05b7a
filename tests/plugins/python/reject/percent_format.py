# error: 3:12: printf-style
def show(name: str, n: int) -> str:
    return "%s=%d" % (name, n)


print(show("x", 1))
