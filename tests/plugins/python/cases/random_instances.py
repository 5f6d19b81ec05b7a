import random
from random import Random


class Dice:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def roll(self) -> int:
        return self.rng.randint(1, 6)


a = Random(42)
b = random.Random(42)
random.seed(1)
print([a.randint(1, 100) for _ in range(5)], random.random())
print([b.randint(1, 100) for _ in range(5)], random.random())
deck = list(range(10))
a.shuffle(deck)
print(deck, a.choice(["x", "y", "z"]), a.random(), round(a.uniform(1.0, 2.0), 6))
print(a.randrange(0, 100, 5), a.randrange(10))
d = Dice(7)
print([d.roll() for _ in range(10)], d.rng.random())
b.seed(3)
print(b.randint(1, 10**6), random.randint(1, 6))
c: random.Random = Random(5)
print(c.choice([1.5, 2.5]))
