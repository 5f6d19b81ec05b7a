def check_sorted(xs: list[int]) -> None:
    for a, b in zip(xs, xs[1:]):
        assert a <= b, f"{a} > {b}"
    print("sorted:", xs)


check_sorted([1, 2, 3])
check_sorted([3, 1, 2])
