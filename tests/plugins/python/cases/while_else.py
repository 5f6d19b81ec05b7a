def find_first(xs: list[int], pred_mod: int) -> int:
    i = 0
    while i < len(xs):
        if xs[i] % pred_mod == 0:
            break
        i += 1
    else:
        return -1
    return i


print(find_first([1, 3, 5, 6, 7], 2), find_first([1, 3, 5], 2))
for n in range(2, 20):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        print(n, "is prime")
count = 0
while True:
    count += 1
    if count % 2 == 0:
        continue
    if count > 9:
        break
    print("odd", count)
outer_done = False
for i in range(3):
    for j in range(3):
        if i * j == 2:
            outer_done = True
            break
    if outer_done:
        print("stopped at", i, j)
        break
