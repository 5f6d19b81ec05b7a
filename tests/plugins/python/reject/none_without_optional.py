# error: 4:16: None is not a str: declare it Optional[str]
def find(names: list[str], key: str) -> str:
    if key not in names:
        return None
    return key


print(find(["a"], "b"))
