from typing import Optional


class Node:
    def __init__(self, value: int, next: Optional["Node"] = None) -> None:
        self.value = value
        self.next = next


def find(xs: list[int], target: int) -> Optional[int]:
    for i, x in enumerate(xs):
        if x == target:
            return i
    return None


def length(n: Optional[Node]) -> int:
    count = 0
    while n is not None:
        count += 1
        n = n.next
    return count


def to_list(n: Node | None) -> list[int]:
    out: list[int] = []
    cur = n
    while cur:
        out.append(cur.value)
        cur = cur.next
    return out


head = Node(1, Node(2, Node(3)))
print(length(head), length(None), to_list(head))
r = find([5, 6, 7], 6)
print(r, find([5, 6, 7], 9), r is None, r == 1)
if r is not None:
    print("found at", r + 10)
maybe: Optional[str] = None
print(maybe, maybe is None)
maybe = "set"
print(maybe, maybe.upper() if maybe else "")
d: dict[str, int] = {"a": 1}
v = d.get("b")
print(v, d.get("a"), v or 42)
names: list[Optional[str]] = ["x", None, "z"]
print(names, [n for n in names if n is not None])
