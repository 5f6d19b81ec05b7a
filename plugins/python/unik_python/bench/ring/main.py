"""unik compare's ring (core/compare/spec.py), the benchmarks game's thread-ring on
generators as cooperative tasks: 503 tasks, each with a one-slot mailbox, pass a
token n times round the ring; the one that receives 0 prints its number. A small
scheduler resumes a task only when its mailbox holds the token (Python has no
threads in the subset; generators are its coroutines, each on its own stack)."""
import sys
import time
from collections import deque
from collections.abc import Iterator

SIZE = 503
EMPTY = -1


def task(i: int, boxes: list[int], ready: deque[int], holder: list[int]) -> Iterator[int]:
    nxt = (i + 1) % SIZE
    while True:
        token = boxes[i]            # resumed only when its mailbox is full
        boxes[i] = EMPTY
        if token == 0:
            holder[0] = i + 1
            return
        boxes[nxt] = token - 1      # send, and wake the receiver
        ready.append(nxt)
        yield 0                     # back to the scheduler


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    t0 = time.monotonic_ns()
    boxes = [EMPTY] * SIZE
    ready: deque[int] = deque()
    holder = [0]
    tasks = [task(i, boxes, ready, holder) for i in range(SIZE)]
    boxes[0] = n
    ready.append(0)
    while ready:
        next(tasks[ready.popleft()], 0)
    ns = time.monotonic_ns() - t0
    print(holder[0])
    print(f"compute_ns {ns}")


main()
