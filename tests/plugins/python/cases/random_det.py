import random

random.seed(12345)
xs = list(range(20))
random.shuffle(xs)
print(sorted(xs) == list(range(20)), len(xs), sum(xs))
rolls = [random.randint(1, 6) for _ in range(1000)]
print(min(rolls) >= 1, max(rolls) <= 6, len(set(rolls)) == 6)
fl = [random.random() for _ in range(1000)]
print(all(0.0 <= f < 1.0 for f in fl), 0.4 < sum(fl) / len(fl) < 0.6)
print(random.choice(["only"]), random.randrange(5, 6), 2.0 <= random.uniform(2.0, 3.0) <= 3.0)
random.seed(7)
a = [random.random() for _ in range(5)]
random.seed(7)
b = [random.random() for _ in range(5)]
print(a == b)
