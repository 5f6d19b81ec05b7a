import bisect
import heapq
import math
from collections import Counter, defaultdict, deque

heap: list[int] = []
for x in [5, 1, 8, 3, 9, 2]:
    heapq.heappush(heap, x)
print([heapq.heappop(heap) for _ in range(3)], heap[0])
nums = [7, 2, 9, 4]
heapq.heapify(nums)
print(heapq.heappop(nums), heapq.nsmallest(2, [5, 3, 8, 1]), heapq.nlargest(2, [5, 3, 8, 1]))
tasks: list[tuple[int, str]] = []
heapq.heappush(tasks, (3, "low"))
heapq.heappush(tasks, (1, "high"))
heapq.heappush(tasks, (2, "mid"))
while tasks:
    prio, name = heapq.heappop(tasks)
    print(prio, name)
xs = [1, 3, 3, 5, 8]
print(bisect.bisect_left(xs, 3), bisect.bisect_right(xs, 3), bisect.bisect(xs, 4))
bisect.insort(xs, 4)
print(xs)
q: deque[int] = deque()
q.append(1)
q.append(2)
q.appendleft(0)
print(q, q.popleft(), q.pop(), len(q), q[0])
window: deque[int] = deque(maxlen=3)
for i in range(6):
    window.append(i)
print(list(window), sum(window))
groups: defaultdict[str, list[str]] = defaultdict(list)
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups[word[0]].append(word)
print(dict(groups))
counts: defaultdict[str, int] = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(sorted(counts.items()))
c = Counter("abracadabra")
print(c.most_common(2), c["a"], c["z"])
wc = Counter(["x", "y", "x"])
print(wc["x"], len(wc))
print(math.gcd(12, 18), math.factorial(10), math.isqrt(99), math.log(math.e), math.log(8, 2))
print(math.sin(0.0), math.cos(0.0), math.atan2(1.0, 1.0), math.exp(1.0), math.isclose(0.1 + 0.2, 0.3))
print(math.floor(3.7), math.ceil(-3.7), math.trunc(-2.5), math.inf > 1e308, math.comb(10, 3))
try:
    math.sqrt(-1.0)
except ValueError as e:
    print("ValueError:", e)
