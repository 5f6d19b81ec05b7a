# error: 4:12: unsupported operand types for +: str and int
def label(n: int) -> str:
    prefix = "item"
    return prefix + n


print(label(3))
