# error: 2:12: parameter nums of total needs a type annotation
def total(*nums) -> int:  # type: ignore[no-untyped-def]
    return sum(nums)


print(total(1, 2, 3))
