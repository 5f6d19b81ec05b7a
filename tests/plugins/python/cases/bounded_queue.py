from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window: int) -> None:
        self.limit = limit
        self.window = window
        self.hits: deque[int] = deque()

    def allow(self, t: int) -> bool:
        while self.hits and self.hits[0] <= t - self.window:
            self.hits.popleft()
        if len(self.hits) < self.limit:
            self.hits.append(t)
            return True
        return False


rl = RateLimiter(3, 10)
times = [1, 2, 3, 4, 11, 12, 13, 14, 25]
print([(t, rl.allow(t)) for t in times])
last: deque[str] = deque(maxlen=3)
for w in "one two three four five".split():
    last.append(w)
    print(list(last))
print(last, len(last))
d2: deque[int] = deque([1, 2, 3])
d2.extend([4, 5])
d2.appendleft(0)
print(d2, d2.pop(), d2.popleft(), d2, list(reversed(d2)))
