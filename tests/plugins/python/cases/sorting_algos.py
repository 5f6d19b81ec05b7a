def bubble(xs: list[int]) -> list[int]:
    a = xs[:]
    n = len(a)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swapped = True
        if not swapped:
            break
    return a


def merge_sort(xs: list[int]) -> list[int]:
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    left, right = merge_sort(xs[:mid]), merge_sort(xs[mid:])
    out: list[int] = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


def quick(xs: list[int]) -> list[int]:
    if len(xs) < 2:
        return xs
    pivot = xs[0]
    return quick([x for x in xs[1:] if x < pivot]) + [pivot] + quick([x for x in xs[1:] if x >= pivot])


def insertion(xs: list[str]) -> list[str]:
    a = list(xs)
    for i in range(1, len(a)):
        key = a[i]
        j = i - 1
        while j >= 0 and a[j] > key:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = key
    return a


data = [(i * 7919) % 101 for i in range(30)]
print(bubble(data) == sorted(data), merge_sort(data) == sorted(data), quick(data) == sorted(data))
print(merge_sort(data)[:10], quick([3, 3, 1, 2]))
print(insertion(["pear", "apple", "fig", "banana"]))
people = [("bob", 25), ("ann", 30), ("cid", 25), ("dan", 30)]
print(sorted(people, key=lambda p: p[1]), sorted(people, key=lambda p: (-p[1], p[0])))
people.sort(key=lambda p: p[0], reverse=True)
print(people)
