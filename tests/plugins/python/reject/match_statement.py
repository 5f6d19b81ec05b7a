# error: 3:5: match is not supported in the subset
def kind(n: int) -> str:
    match n:
        case 0:
            return "zero"
        case _:
            return "many"


print(kind(0))
