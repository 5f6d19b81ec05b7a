from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import Iterator, Optional


class Color(Enum):
    RED = auto()
    BLACK = auto()


@dataclass
class Node:
    key: int
    value: str
    left: Optional[Node] = None
    right: Optional[Node] = None
    color: Color = Color.RED


class BST:
    def __init__(self) -> None:
        self.root: Optional[Node] = None
        self._size = 0

    def insert(self, key: int, value: str) -> None:
        if self.root is None:
            self.root = Node(key, value, color=Color.BLACK)
            self._size += 1
            return
        cur = self.root
        while True:
            if key == cur.key:
                cur.value = value
                return
            if key < cur.key:
                if cur.left is None:
                    cur.left = Node(key, value)
                    break
                cur = cur.left
            else:
                if cur.right is None:
                    cur.right = Node(key, value)
                    break
                cur = cur.right
        self._size += 1

    def _walk(self, n: Optional[Node]) -> Iterator[Node]:
        if n is not None:
            yield from self._walk(n.left)
            yield n
            yield from self._walk(n.right)

    def __iter__(self) -> Iterator[int]:
        for n in self._walk(self.root):
            yield n.key

    def __len__(self) -> int:
        return self._size

    def __contains__(self, key: int) -> bool:
        return self.get(key) is not None

    def get(self, key: int) -> Optional[str]:
        cur = self.root
        while cur is not None:
            if key == cur.key:
                return cur.value
            cur = cur.left if key < cur.key else cur.right
        return None

    def __getitem__(self, key: int) -> str:
        v = self.get(key)
        if v is None:
            raise KeyError(key)
        return v

    def height(self, n: Optional[Node] = None, top: bool = True) -> int:
        if top:
            n = self.root
        if n is None:
            return 0
        return 1 + max(self.height(n.left, False), self.height(n.right, False))


def main() -> None:
    t = BST()
    for k in [50, 30, 70, 20, 40, 60, 80, 30]:
        t.insert(k, f"v{k}")
    print(len(t), list(t), 40 in t, 45 in t, t[60], t.get(99))
    print(t.height(), [n.color.name for n in t._walk(t.root)][:3], t.root)
    try:
        print(t[45])
    except KeyError as e:
        print("missing key", e)
    print(sum(t), max(t), sorted(t, reverse=True)[:2])


main()
