# error: 4:5: expected int, got str
def count(words: list[str]) -> int:
    n = 0
    n = words[0]
    return n


print(count(["a"]))
