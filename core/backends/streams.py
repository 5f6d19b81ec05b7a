"""The runner's stream rings: the guest's stdout and stderr (core/native/xen/unik_streams.h).

One `StreamRing` per stream: a header page (cons, prod: free-running u32
indices) followed by `size` data bytes. The guest produces; the host drains
from three places — the guest's notify when it finds the ring full (in the
vCPU thread), a `Drainer` thread polling while the vCPU runs (so output
shows without exits, as a process's would), and the runner when the guest
stops or waits. A lock makes each drain whole, so every stream stays in
order. Bytes go to the sink's file descriptor straight from guest memory
(no copy) when it has one. Indices are guest-controlled: a producer more
than a ring's size ahead is a corrupt ring (RingError: the guest is killed).
"""

from __future__ import annotations

import struct
import threading
import time

from .console import RingError
from .sink import Sink

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from ..runner.memory import GuestMemory

PAGE = 4096
_IDX = struct.Struct("<II")


class StreamRing:
    def __init__(self, mem: GuestMemory, header: int, size: int, sink: Sink) -> None:
        mem.check(header, PAGE + size)
        self.mem, self.header, self.size, self.sink = mem, header, size, sink
        self.data = header + PAGE
        self.lock = threading.Lock()
        self.bytes_out = 0
        self.first_byte_ns: int | None = None

    def first_write_host_ns(self, mono_at_zero: int) -> int | None:
        """Host monotonic ns of the guest's first write (the guest stamps it in
        Xen system time), None before any; mono_at_zero: host monotonic at
        system time 0."""
        t = self.mem.u64(self.header + 8)
        return mono_at_zero + t if t else None

    def drain(self) -> int:
        """Write everything between cons and prod to the sink; bytes drained."""
        with self.lock:
            mem = self.mem
            cons, prod = mem.unpack(_IDX, self.header)
            used = (prod - cons) & 0xFFFF_FFFF
            if used > self.size:
                raise RingError(f"stream ring indices out of range (cons={cons}, prod={prod})")
            if not used:
                return 0
            if self.first_byte_ns is None:
                self.first_byte_ns = time.monotonic_ns()
            start = cons % self.size
            first = min(used, self.size - start)
            off = mem.check(self.data + start, first)
            self.sink.write(mem.view[off:off + first])
            if used > first:
                off = mem.check(self.data, used - first)
                self.sink.write(mem.view[off:off + used - first])
            mem.set_u32(self.header, prod)
            self.bytes_out += used
            return used


class Drainer:
    """Drains the rings while the vCPU runs, on the host's other core: at once
    again while output flows (the guest rarely finds a ring full), backing
    off from POLL_MIN to POLL_MAX s when it does not (a line a guest prints
    before a long computation shows within POLL_MAX; a poll is a few µs)."""

    POLL_MIN = 0.0005
    POLL_MAX = 0.002

    def __init__(self, rings: list[StreamRing]) -> None:
        self.rings = rings
        self.stop_event = threading.Event()
        self.error: RingError | None = None
        self.thread = threading.Thread(target=self._run, name="unik-streams", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        wait = self.POLL_MIN
        while not self.stop_event.is_set():
            try:
                moved = sum(r.drain() for r in self.rings)
            except RingError as e:       # the vCPU thread meets it too, and stops the guest
                self.error = e
                return
            if moved:
                wait = self.POLL_MIN
                continue
            self.stop_event.wait(wait)
            wait = min(wait * 2, self.POLL_MAX)

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join()
