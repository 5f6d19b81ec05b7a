# error: 7:25: random.sample() is not supported in the subset
import random


class World:
    def __init__(self, n: int) -> None:
        self.contacts = random.sample(range(n), 2)
        self.day = 0


w = World(10)
print(w.day)
