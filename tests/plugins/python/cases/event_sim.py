import heapq
import random
from collections import Counter, deque
from dataclasses import dataclass
from typing import Iterator, NamedTuple


class Event(NamedTuple):
    time: float
    kind: str
    customer: int


@dataclass
class Stats:
    served: int = 0
    total_wait: float = 0.0
    max_queue: int = 0

    @property
    def mean_wait(self) -> float:
        return self.total_wait / self.served if self.served else 0.0


def arrivals(n: int, rate: float) -> Iterator[tuple[float, int]]:
    t = 0.0
    for i in range(n):
        t += random.random() * 2 / rate
        yield t, i


def simulate(n: int, seed: int = 1) -> Stats:
    random.seed(seed)
    events: list[tuple[float, str, int]] = []
    for t, c in arrivals(n, 1.0):
        heapq.heappush(events, (t, "arrive", c))
    queue: deque[tuple[int, float]] = deque()
    busy = False
    stats = Stats()
    while events:
        now, kind, cust = heapq.heappop(events)
        if kind == "arrive":
            queue.append((cust, now))
            stats.max_queue = max(stats.max_queue, len(queue))
        else:
            busy = False
        if not busy and queue:
            c, arrived = queue.popleft()
            stats.served += 1
            stats.total_wait += now - arrived
            busy = True
            heapq.heappush(events, (now + random.uniform(0.5, 1.5), "done", c))
    return stats


def main() -> None:
    s = simulate(200)
    print(s.served, s.max_queue, f"{s.mean_wait:.3f}")
    letters = Counter("mississippi")
    print(letters.most_common(2), sorted(letters)[:4], letters["s"])
    e = Event(1.5, "x", 3)
    print(e, e.time, e.kind)


main()


def extra() -> None:
    pts = {Event(1.0, "a", 1): "first", Event(2.0, "b", 2): "second"}
    print(pts[Event(1.0, "a", 1)], sorted(pts)[0] < Event(1.5, "z", 0))
    t, k, c = Event(3.0, "c", 9)
    print(t, k, c, Event(3.0, "c", 9)[1], Event(3.0, "c", 9) == Event(3.0, "c", 9))


extra()
