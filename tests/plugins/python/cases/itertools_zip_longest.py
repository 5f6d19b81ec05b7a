from itertools import zip_longest

names = ["ann", "bob", "cy"]
scores = ["90", "85"]
for n, sc in zip_longest(names, scores, fillvalue="-"):
    print(n, sc)
print(list(zip_longest([1, 2, 3], [4], [5, 6], fillvalue=0)))
