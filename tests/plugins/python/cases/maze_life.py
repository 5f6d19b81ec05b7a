import sys
from typing import Iterable

Grid = list[list[str]]
MOVES = [(0, 1), (1, 0), (0, -1), (-1, 0)]
steps_taken = 0


def parse(text: str) -> Grid:
    return [list(row) for row in text.strip().split("\n")]


def neighbours(grid: Grid, r: int, c: int) -> Iterable[tuple[int, int]]:
    for dr, dc in MOVES:
        nr, nc = r + dr, c + dc
        if 0 <= nr < len(grid) and 0 <= nc < len(grid[0]) and grid[nr][nc] != "#":
            yield nr, nc


def bfs(grid: Grid, start: tuple[int, int], goal: tuple[int, int]) -> int:
    global steps_taken
    frontier = [start]
    seen = {start}
    dist = 0
    while frontier:
        nxt: list[tuple[int, int]] = []
        for pos in frontier:
            steps_taken += 1
            if pos == goal:
                return dist
            for n in neighbours(grid, *pos):
                if n not in seen:
                    seen.add(n)
                    nxt.append(n)
        frontier = nxt
        dist += 1
    return -1


def find(grid: Grid, ch: str) -> tuple[int, int]:
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell == ch:
                return r, c
    raise KeyError(ch)


def life_step(cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    counts: dict[tuple[int, int], int] = {}
    for (r, c) in cells:
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if dr or dc:
                    key = (r + dr, c + dc)
                    counts[key] = counts.get(key, 0) + 1
    return {p for p, n in counts.items() if n == 3 or (n == 2 and p in cells)}


def render(cells: set[tuple[int, int]]) -> str:
    rows = range(min(r for r, _ in cells), max(r for r, _ in cells) + 1)
    cols = range(min(c for _, c in cells), max(c for _, c in cells) + 1)
    return "\n".join("".join("#" if (r, c) in cells else "." for c in cols) for r in rows)


MAZE = """
S..#....
.#.#.##.
.#...#..
.####.#.
......#G
"""


def main() -> int:
    grid = parse(MAZE)
    s, g = find(grid, "S"), find(grid, "G")
    print("start", s, "goal", g, "distance", bfs(grid, s, g), "visited", steps_taken)
    print(sum(row.count("#") for row in grid), any("G" in row for row in grid))
    glider = {(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)}
    for _ in range(4):
        glider = life_step(glider)
    print(render(glider))
    print(sorted(glider), len(glider), max(glider, key=lambda p: p[0] * 10 + p[1]))
    try:
        find(grid, "X")
    except KeyError as e:
        print("missing", e)
    print("=" * 20, sys.argv[1:] or ["no args"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
