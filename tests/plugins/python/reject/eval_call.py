# error: 5:12: eval() needs an interpreter
def calc(expr: str) -> int:
    if not expr:
        return 0
    return eval(expr)


print(calc("1 + 2"))
