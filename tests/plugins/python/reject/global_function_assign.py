# error: 6:1: helper is a function or class; it cannot be assigned
def helper() -> int:
    return 1


helper = 5
print(helper)
