"""The back end of a Xen shared ring (xen/io/ring.h), over guest memory.

A ring page starts with req_prod, req_event, rsp_prod, rsp_event (uint32
each) and 48 bytes of padding; slots of max(request, response) size follow,
a power of two of them. The frontend owns req_prod and rsp_event, the
backend req_event and rsp_prod. Indices are free-running uint32. The guest
can write anything into the page at any time: the backend reads req_prod
once per batch, refuses a producer more than a ring ahead of what it has
answered (RingError: the device is then shut), and copies each request out
before parsing it.
"""

from __future__ import annotations

import threading

from ..runner.memory import GuestMemory
from .console import RingError

__all__ = ["BackRing", "RingError", "ring_size"]

PAGE = 4096
HEADER = 64
M32 = 0xFFFF_FFFF
_FENCE = threading.Lock()


def full_fence() -> None:
    """A store-load barrier (Xen's mb()): x86 may let a later load pass an
    earlier store; taking a lock is a locked instruction, which may not."""
    _FENCE.acquire()
    _FENCE.release()


def ring_size(req_size: int, rsp_size: int) -> int:
    n = (PAGE - HEADER) // max(req_size, rsp_size)
    size = 1
    while size * 2 <= n:
        size *= 2
    return size


class BackRing:
    def __init__(self, mem: GuestMemory, addr: int, req_size: int, rsp_size: int) -> None:
        mem.check(addr, PAGE)
        self.mem, self.addr = mem, addr
        self.req_size, self.rsp_size = req_size, rsp_size
        self.slot = max(req_size, rsp_size)
        self.size = ring_size(req_size, rsp_size)
        # A fresh ring: the frontend initialised req_prod = rsp_prod = 0.
        self.req_cons = mem.u32(addr)
        self.rsp_prod_pvt = mem.u32(addr + 8)

    def _slot(self, idx: int) -> int:
        return self.addr + HEADER + (idx % self.size) * self.slot

    def available(self) -> int:
        """Requests waiting (reads req_prod once)."""
        prod = self.mem.u32(self.addr)
        waiting = (prod - self.req_cons) & M32
        if (prod - self.rsp_prod_pvt) & M32 > self.size:
            raise RingError(f"request producer {prod} is more than {self.size} ahead of the "
                            f"responses ({self.rsp_prod_pvt})")
        return waiting

    def take(self) -> bytes:
        """Copy the next request out of the ring (call after available())."""
        data = self.mem.read(self._slot(self.req_cons), self.req_size)
        self.req_cons = (self.req_cons + 1) & M32
        return data

    def put(self, rsp: bytes) -> None:
        self.mem.write(self._slot(self.rsp_prod_pvt), rsp[:self.rsp_size])
        self.rsp_prod_pvt = (self.rsp_prod_pvt + 1) & M32

    def push(self) -> bool:
        """Publish the responses; True when the frontend asked to be notified
        (RING_PUSH_RESPONSES_AND_CHECK_NOTIFY)."""
        old = self.mem.u32(self.addr + 8)
        new = self.rsp_prod_pvt
        self.mem.set_u32(self.addr + 8, new)
        full_fence()
        event = self.mem.u32(self.addr + 12)
        return ((new - event) & M32) < ((new - old) & M32)

    def final_check(self) -> bool:
        """Arm req_event and look once more (RING_FINAL_CHECK_FOR_REQUESTS):
        True when requests came in meanwhile."""
        if self.available():
            return True
        self.mem.set_u32(self.addr + 4, (self.req_cons + 1) & M32)
        full_fence()
        return self.available() > 0
