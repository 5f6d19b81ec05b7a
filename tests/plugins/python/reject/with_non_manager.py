# error: 5:6: with needs an object of a class with __enter__ and __exit__, not list[int]
xs = [1, 2, 3]


with xs:
    print(len(xs))
