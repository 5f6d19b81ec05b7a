import bisect

BREAKPOINTS = [60, 70, 80, 90]
GRADES = "FDCBA"


def grade(score: int) -> str:
    return GRADES[bisect.bisect(BREAKPOINTS, score)]


scores = [33, 99, 77, 70, 89, 90, 100, 59, 60]
print([grade(s) for s in scores])
ordered: list[int] = []
for s in scores:
    bisect.insort(ordered, s)
print(ordered, bisect.bisect_left(ordered, 70), bisect.bisect_right(ordered, 70))


def count_in_range(xs: list[int], lo: int, hi: int) -> int:
    return bisect.bisect_right(xs, hi) - bisect.bisect_left(xs, lo)


print(count_in_range(ordered, 60, 90), count_in_range(ordered, 0, 10), count_in_range(ordered, 0, 1000))
