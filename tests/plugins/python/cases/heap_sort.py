import heapq


def heap_sort(xs: list[int]) -> list[int]:
    h = xs[:]
    heapq.heapify(h)
    return [heapq.heappop(h) for _ in range(len(h))]


def k_closest(points: list[tuple[int, int]], k: int) -> list[tuple[int, int]]:
    h: list[tuple[int, tuple[int, int]]] = []
    for p in points:
        d = p[0] * p[0] + p[1] * p[1]
        heapq.heappush(h, (-d, p))
        if len(h) > k:
            heapq.heappop(h)
    return sorted(p for _, p in h)


def merge_sorted(lists: list[list[int]]) -> list[int]:
    h: list[tuple[int, int, int]] = []
    for i, l in enumerate(lists):
        if l:
            heapq.heappush(h, (l[0], i, 0))
    out: list[int] = []
    while h:
        v, i, j = heapq.heappop(h)
        out.append(v)
        if j + 1 < len(lists[i]):
            heapq.heappush(h, (lists[i][j + 1], i, j + 1))
    return out


data = [(i * 37) % 23 for i in range(23)]
print(heap_sort(data) == sorted(data), heap_sort(data)[:8])
print(k_closest([(3, 3), (5, -1), (-2, 4), (1, 1), (0, 9)], 2))
print(merge_sorted([[1, 4, 7], [2, 5, 8], [0, 9], []]))
h = [5, 3, 8]
heapq.heapify(h)
print(heapq.heappushpop(h, 1), heapq.heapreplace(h, 10), sorted(h))
