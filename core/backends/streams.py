"""The runner's stream rings: the guest's stdout and stderr (core/native/xen/unik_streams.h).

One `StreamRing` per stream: a header page (cons, prod: free-running u32
indices) followed by `size` data bytes. The guest produces; the host drains
from three places — a `Drainer` thread while the vCPU runs (so output flows
without exits, as a process's would), the guest's notify when it finds the
ring full (in the vCPU thread: it waits for the drain thread's span in
progress, or drains itself when that thread is idle) and the runner when
the guest stops or waits. The work is C (streamring.pyx): each drain is
whole under a mutex taken without the GIL, so every stream stays in order,
and writes the ring's contiguous spans straight from guest memory to the
sink's file descriptor. Indices are guest-controlled: a producer more than
a ring's size ahead is a corrupt ring (RingError: the guest is killed).
"""

from __future__ import annotations

import os

from ..threads import Thread
from .console import RingError
from .sink import Sink
from .streamring import RingCore, drain_loop

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from ..runner.memory import GuestMemory

PAGE = 4096


class StreamRing:
    def __init__(self, mem: GuestMemory, header: int, size: int, sink: Sink) -> None:
        off = mem.check(header, PAGE + size)
        self.mem, self.header, self.size, self.sink = mem, header, size, sink
        self.data = header + PAGE
        self.core = RingCore(mem.view, off, size, sink)

    @property
    def bytes_out(self) -> int:
        return self.core.bytes_out

    @property
    def first_byte_ns(self) -> int | None:
        """Host monotonic ns of the first drain that moved bytes (None before)."""
        return self.core.first_byte_ns or None

    def first_write_host_ns(self, mono_at_zero: int) -> int | None:
        """Host monotonic ns of the guest's first write (the guest stamps it in
        Xen system time), None before any; mono_at_zero: host monotonic at
        system time 0."""
        t = self.mem.u64(self.header + 8)
        return mono_at_zero + t if t else None

    def _checked(self, moved: int) -> int:
        if moved < 0:
            raise RingError(f"stream ring indices out of range (cons={self.core.bad_cons}, "
                            f"prod={self.core.bad_prod})")
        return moved

    def drain(self) -> int:
        """Write everything between cons and prod to the sink; bytes drained."""
        return self._checked(self.core.drain())

    def make_room(self) -> int:
        """The guest's notify on a full ring: returns once there is room (the
        drain thread's span finished, or this call drained the ring)."""
        return self._checked(self.core.make_room())


class Drainer:
    """Drains the rings while the vCPU runs, on the host's other core, in C
    without the GIL (streamring.drain_loop): at once again while output
    flows, after 0.5 ms while it trickles, after 16 ms once it finds nothing
    (a line a guest prints before a long computation shows within 16 ms; each
    wake-up that lands on the vCPU's CPU interrupts the guest, see drain_loop)."""

    def __init__(self, rings: list[StreamRing]) -> None:
        self.rings = rings
        self.error: RingError | None = None
        self.wake = os.eventfd(0, os.EFD_CLOEXEC)
        self.kick = os.eventfd(0, os.EFD_CLOEXEC | os.EFD_NONBLOCK)
        for r in rings:     # a guest that fills a ring wakes the thread from its idle wait
            r.core.kick_fd = self.kick
        self.thread = Thread(self._run, "unik-streams")

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        bad = drain_loop([r.core for r in self.rings], self.wake, self.kick)
        for r in self.rings:        # the vCPU thread meets it too, and stops the guest
            if r.core is bad:
                try:
                    r._checked(-1)
                except RingError as e:
                    self.error = e

    def stop(self) -> None:
        if self.wake >= 0:
            os.eventfd_write(self.wake, 1)
        if self.thread.is_alive():
            self.thread.join()
        if self.wake >= 0:
            for r in self.rings:
                r.core.kick_fd = -1
            os.close(self.wake)
            os.close(self.kick)
            self.wake = -1
