# error: 2:1: *args and **kwargs are not supported
def total(*nums: int) -> int:
    return sum(nums)


print(total(1, 2, 3))
