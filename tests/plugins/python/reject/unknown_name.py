# error: 3:12: name undefined_thing is not defined
def f() -> int:
    return undefined_thing + 1


print(f())
