# error: 3:5: cannot infer the type of items: annotate it
def collect(n: int) -> int:
    items = []
    for i in range(n):
        print(i)
    return len(items)


print(collect(3))
