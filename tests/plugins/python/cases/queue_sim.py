from collections import deque


def bfs(graph: dict[str, list[str]], start: str) -> dict[str, int]:
    dist: dict[str, int] = {start: 0}
    q: deque[str] = deque([start])
    while q:
        node = q.popleft()
        for nxt in graph[node]:
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                q.append(nxt)
    return dist


def topo(graph: dict[str, list[str]]) -> list[str]:
    indeg: dict[str, int] = {n: 0 for n in graph}
    for n in graph:
        for m in graph[n]:
            indeg[m] += 1
    ready = sorted(n for n in graph if indeg[n] == 0)
    out: list[str] = []
    while ready:
        n = ready.pop(0)
        out.append(n)
        for m in graph[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
                ready.sort()
    return out


g = {"a": ["b", "c"], "b": ["d"], "c": ["d", "e"], "d": ["f"], "e": ["f"], "f": []}
print(bfs(g, "a"))
print(topo(g))
ring: deque[int] = deque(range(5))
ring.rotate(2)
print(ring, list(ring))
ring.rotate(-3)
print(ring, 3 in ring, len(ring))
