import heapq
from collections import defaultdict, deque

EDGES = """
A B 4
A C 2
B C 5
B D 10
C E 3
E D 4
D F 11
E F 20
G H 1
"""


def load(text: str) -> dict[str, list[tuple[str, int]]]:
    graph: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for line in text.strip().splitlines():
        a, b, w = line.split()
        graph[a].append((b, int(w)))
        graph[b].append((a, int(w)))
    return graph


def dijkstra(graph: dict[str, list[tuple[str, int]]], src: str) -> tuple[dict[str, int], dict[str, str]]:
    dist = {src: 0}
    prev: dict[str, str] = {}
    heap = [(0, src)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist.get(node, 1 << 60):
            continue
        for nxt, w in graph[node]:
            nd = d + w
            if nd < dist.get(nxt, 1 << 60):
                dist[nxt] = nd
                prev[nxt] = node
                heapq.heappush(heap, (nd, nxt))
    return dist, prev


def path(prev: dict[str, str], dst: str) -> list[str]:
    out = [dst]
    while out[-1] in prev:
        out.append(prev[out[-1]])
    return out[::-1]


def components(graph: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    seen: set[str] = set()
    comps = []
    for start in sorted(graph):
        if start in seen:
            continue
        comp = []
        q = deque([start])
        seen.add(start)
        while q:
            n = q.popleft()
            comp.append(n)
            for m, _ in graph[n]:
                if m not in seen:
                    seen.add(m)
                    q.append(m)
        comps.append(sorted(comp))
    return comps


g = load(EDGES)
dist, prev = dijkstra(g, "A")
for node in sorted(dist):
    print(f"{node}: {dist[node]:3d} via {' -> '.join(path(prev, node))}")
print("unreachable:", sorted(set(g) - set(dist)))
print("components:", components(g))
mst_total = 0
in_tree = {"A"}
frontier = [(w, "A", b) for b, w in g["A"]]
heapq.heapify(frontier)
while frontier:
    w, a, b = heapq.heappop(frontier)
    if b in in_tree:
        continue
    in_tree.add(b)
    mst_total += w
    for c, w2 in g[b]:
        if c not in in_tree:
            heapq.heappush(frontier, (w2, b, c))
print("MST weight from A:", mst_total, "nodes", len(in_tree))
