import itertools
import operator
from dataclasses import dataclass
from functools import reduce
from itertools import accumulate, chain, combinations, count, groupby, islice, permutations, product
from operator import attrgetter, itemgetter
from typing import Iterator


@dataclass
class Item:
    name: str
    price: int


def naturals() -> Iterator[int]:
    n = 0
    while True:
        yield n
        n += 1


nums = [3, 1, 4, 1, 5, 9, 2, 6]
print(reduce(operator.add, nums), reduce(operator.mul, nums, 1), reduce(lambda a, b: a * 10 + b, nums))
print(reduce(lambda acc, s: acc + len(s), ["ab", "cde"], 0), reduce(max, nums))
print(list(accumulate(nums)), list(accumulate(nums, max)), list(accumulate([1.5, 2.0])))
print(list(accumulate(nums, operator.mul, initial=1)))
print(list(chain([1, 2], [3], nums[:2])), list(itertools.chain("ab", "cd")))
print(list(islice(nums, 3)), list(islice(nums, 2, 6, 2)), list(islice(naturals(), 5)))
print(list(islice(count(10, 5), 4)), list(itertools.repeat("x", 3)))
print(list(permutations([1, 2, 3])), list(permutations("abc", 2)))
print(list(combinations(range(5), 3)), list(itertools.combinations_with_replacement("ab", 2)))
print(list(product([1, 2], "xy")), len(list(product(range(3), repeat=3))))
for i in count(1):
    if i * i > 50:
        print("first square over 50:", i)
        break
for k, n in zip("abc", islice(count(100, -10), 3)):
    print(k, n)
words = sorted(["apple", "avocado", "banana", "blueberry", "cherry", "apricot"])
for letter, grp in groupby(words, key=lambda w: w[0]):
    print(letter, list(grp))
print([(k, len(list(g))) for k, g in groupby("aaabccdd")])
items = [Item("pen", 3), Item("book", 12), Item("cup", 5)]
print([i.name for i in sorted(items, key=attrgetter("price"))])
pairs = [(2, "b"), (1, "z"), (2, "a")]
print(sorted(pairs, key=itemgetter(1)), max(pairs, key=itemgetter(0, 1)))
print(list(map(operator.neg, nums[:3])), list(itertools.pairwise([1, 2, 4])))
print(list(itertools.takewhile(lambda x: x < 5, nums)), list(itertools.dropwhile(lambda x: x < 5, nums)))
n = 0
for c in itertools.cycle("ab"):
    n += 1
    if n > 5:
        break
    print(c, end="")
print()
