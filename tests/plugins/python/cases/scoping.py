x = 10
names = ["a", "b"]


def read_global() -> int:
    return x + len(names)


def shadow() -> int:
    x = 5
    return x * 2


def modify() -> None:
    global x
    x = x + 1
    names.append("c")


def outer() -> int:
    y = 1

    def inner() -> int:
        return y + x

    y = 100
    return inner()


print(read_global(), shadow(), x)
modify()
print(x, names, read_global(), outer())
total = 0
for i in range(3):
    total += i
print(total, i, [i * 2 for i in range(2)], i)
