"""unik compare's binarytrees (core/compare/spec.py): the benchmarks game's binary-trees."""
import sys
import time
from typing import Optional


class Tree:
    def __init__(self, left: Optional["Tree"], right: Optional["Tree"]) -> None:
        self.left = left
        self.right = right


def make(depth: int) -> Tree:
    if depth == 0:
        return Tree(None, None)
    return Tree(make(depth - 1), make(depth - 1))


def check(t: Tree) -> int:
    left = t.left
    right = t.right
    if left is None or right is None:
        return 1
    return 1 + check(left) + check(right)


def main(n: int) -> None:
    max_depth = max(6, n)
    stretch = max_depth + 1
    print(f"stretch tree of depth {stretch}\t check: {check(make(stretch))}")
    long_lived = make(max_depth)
    depth = 4
    while depth <= max_depth:
        iterations = 2 ** (max_depth - depth + 4)
        total = 0
        for _ in range(iterations):
            total += check(make(depth))
        print(f"{iterations}\t trees of depth {depth}\t check: {total}")
        depth += 2
    print(f"long lived tree of depth {max_depth}\t check: {check(long_lived)}")


t0 = time.monotonic_ns()
main(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
print(f"compute_ns {time.monotonic_ns() - t0}")
