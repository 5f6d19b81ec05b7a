# error: 3:5: classes must be defined at module level
def make() -> int:
    class Local:
        pass
    return 1


print(make())
