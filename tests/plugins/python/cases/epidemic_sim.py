import random
from dataclasses import dataclass, field
from enum import Enum


class State(Enum):
    SUSCEPTIBLE = "S"
    INFECTED = "I"
    RECOVERED = "R"


@dataclass
class Person:
    pid: int
    state: State = State.SUSCEPTIBLE
    days_sick: int = 0
    contacts: list[int] = field(default_factory=list)


class World:
    def __init__(self, n: int, seed: int) -> None:
        self.rng = seed
        random.seed(seed)
        self.people = [Person(i) for i in range(n)]
        for p in self.people:
            p.contacts = [random.randrange(n) for _ in range(4)]
        self.people[0].state = State.INFECTED
        self.day = 0

    def census(self) -> dict[State, int]:
        out = {s: 0 for s in State}
        for p in self.people:
            out[p.state] += 1
        return out

    def step(self, p_infect: float, recover_after: int) -> None:
        newly: list[int] = []
        for p in self.people:
            if p.state is State.INFECTED:
                for c in p.contacts:
                    if self.people[c].state is State.SUSCEPTIBLE and random.random() < p_infect:
                        newly.append(c)
                p.days_sick += 1
                if p.days_sick >= recover_after:
                    p.state = State.RECOVERED
        for c in newly:
            self.people[c].state = State.INFECTED
        self.day += 1


w = World(200, 7)
while True:
    c = w.census()
    line = " ".join(f"{s.value}={n:3d}" for s, n in c.items())
    print(f"day {w.day:2d}: {line}")
    if c[State.INFECTED] == 0 or w.day >= 30:
        break
    w.step(0.3, 4)
peak = max(range(3), key=lambda i: i)
print("final:", {s.name: n for s, n in w.census().items()}, peak)
