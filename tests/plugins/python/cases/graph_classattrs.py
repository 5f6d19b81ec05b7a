import sys
from collections import defaultdict, deque


class Graph:
    def __init__(self) -> None:
        self.adj: dict[str, list[str]] = defaultdict(list)

    def add_edge(self, a: str, b: str) -> None:
        self.adj[a].append(b)
        self.adj[b].append(a)

    def bfs(self, start: str) -> list[str]:
        seen = {start}
        order: list[str] = []
        q: deque[str] = deque([start])
        while q:
            n = q.popleft()
            order.append(n)
            for m in sorted(self.adj[n]):
                if m not in seen:
                    seen.add(m)
                    q.append(m)
        return order


counter = 0


def bump() -> int:
    global counter
    counter += 1
    return counter


def accumulate(xs: list[int]) -> list[int]:
    total = 0
    out = []
    for x in xs:
        total += x
        out.append(total)
    return out


class Vec:
    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y

    def __add__(self, o: "Vec") -> "Vec":
        return Vec(self.x + o.x, self.y + o.y)

    def __eq__(self, o: object) -> bool:
        if not isinstance(o, Vec):
            return NotImplemented
        return self.x == o.x and self.y == o.y

    def __hash__(self) -> int:
        return hash((self.x, self.y))

    def __repr__(self) -> str:
        return f"Vec({self.x}, {self.y})"


def main() -> int:
    g = Graph()
    for a, b in [("a", "b"), ("b", "c"), ("a", "d"), ("d", "e")]:
        g.add_edge(a, b)
    print(g.bfs("a"))
    print(bump(), bump())
    print(accumulate([1, 2, 3, 4]))
    v = Vec(1.5, 2.0) + Vec(0.5, 1.0)
    print(v, v == Vec(2.0, 3.0), {v: 1}[Vec(2.0, 3.0)])
    pairs = {k: v for k, v in zip("abc", range(3))}
    print(pairs, list(pairs.keys()), max(pairs, key=lambda k: pairs[k]))
    try:
        x = int("zz")
    except ValueError as e:
        print("bad:", e)
    nums = [3, 1, 4, 1, 5, 9, 2, 6]
    nums.sort(reverse=True)
    print(nums, nums.index(9), sum(nums) / len(nums), divmod(17, 5), round(2.675, 2))
    print(all(n > 0 for n in nums), any(n > 8 for n in nums), sorted(set(nums)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
