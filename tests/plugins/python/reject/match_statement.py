# error: 4:14: mapping patterns (case {...}) are not supported
def kind(d: dict[str, int]) -> str:
    match d:
        case {"x": 0}:
            return "zero"
        case _:
            return "many"


print(kind({"x": 0}))
