# error: 4:12: printf-style '%' formatting needs a literal format string
def show(name: str, n: int) -> str:
    template = "%s=%d"
    return template % (name, n)


print(show("x", 1))
