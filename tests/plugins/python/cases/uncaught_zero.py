def average(xs: list[int]) -> float:
    return sum(xs) / len(xs)


print(average([1, 2, 3]))
print(average([]))
