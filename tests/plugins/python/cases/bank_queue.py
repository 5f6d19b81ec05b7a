from collections import deque
from dataclasses import dataclass


@dataclass
class Customer:
    id: int
    arrival: int
    service: int


def simulate(customers: list[Customer], tellers: int) -> tuple[float, int]:
    queue: deque[Customer] = deque()
    free_at = [0] * tellers
    waits: list[int] = []
    t = 0
    pending = deque(customers)
    while pending or queue:
        while pending and pending[0].arrival <= t:
            queue.append(pending.popleft())
        for i in range(tellers):
            if free_at[i] <= t and queue:
                c = queue.popleft()
                waits.append(t - c.arrival)
                free_at[i] = t + c.service
        t += 1
    return sum(waits) / len(waits), max(free_at)


cs = [Customer(i, (i * 3) % 17 + i, (i * 7) % 5 + 1) for i in range(20)]
cs.sort(key=lambda c: c.arrival)
for k in (1, 2, 3):
    avg, end = simulate(cs, k)
    print(k, f"{avg:.2f}", end)
