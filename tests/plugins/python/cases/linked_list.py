from typing import Iterator, Optional


class Node:
    def __init__(self, val: int, nxt: Optional["Node"] = None) -> None:
        self.val = val
        self.next = nxt


class LinkedList:
    def __init__(self) -> None:
        self.head: Optional[Node] = None
        self.size = 0

    def push(self, v: int) -> None:
        self.head = Node(v, self.head)
        self.size += 1

    def __iter__(self) -> Iterator[int]:
        cur = self.head
        while cur is not None:
            yield cur.val
            cur = cur.next

    def reverse(self) -> None:
        prev: Optional[Node] = None
        cur = self.head
        while cur is not None:
            nxt = cur.next
            cur.next = prev
            prev = cur
            cur = nxt
        self.head = prev

    def items(self) -> list[int]:
        out: list[int] = []
        cur = self.head
        while cur:
            out.append(cur.val)
            cur = cur.next
        return out


ll = LinkedList()
for i in range(6):
    ll.push(i * 10)
print(ll.items(), ll.size)
ll.reverse()
print(ll.items(), ll.head.val if ll.head else -1)
