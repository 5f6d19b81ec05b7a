"""The PV console backend: drains the guest's xencons_interface ring.

Called when the guest notifies the console event channel (once per guest
flush). The ring indices are guest-controlled: a producer index more than a
ring's size ahead of the consumer index is a corrupt ring; the backend then
reports it and refuses to read (the runner stops the guest).
"""

from __future__ import annotations

from ..runner import xenabi as X
from ..runner.memory import GuestMemory

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import BinaryIO


class RingError(Exception):
    """The guest left the ring's indices in an impossible state."""


class ConsoleBackend:
    def __init__(self, mem: GuestMemory, ring_addr: int, out: BinaryIO) -> None:
        self.mem = mem
        self.ring = ring_addr
        self.out = out
        self.bytes_out = 0
        self.first_byte_ns: int | None = None
        mem.check(ring_addr, X.PAGE)

    def drain(self) -> int:
        """Copy everything between out_cons and out_prod to the output."""
        mem, ring = self.mem, self.ring
        cons = mem.u32(ring + X.CONS_OUT_CONS)
        prod = mem.u32(ring + X.CONS_OUT_PROD)
        used = (prod - cons) & 0xFFFF_FFFF
        if used > X.CONS_OUT_SIZE:
            raise RingError(f"console ring indices out of range (out_cons={cons}, "
                            f"out_prod={prod})")
        if not used:
            return 0
        start = cons % X.CONS_OUT_SIZE
        first = min(used, X.CONS_OUT_SIZE - start)
        data = mem.read(ring + X.CONS_OUT + start, first)
        if used > first:
            data += mem.read(ring + X.CONS_OUT, used - first)
        mem.set_u32(ring + X.CONS_OUT_CONS, prod)
        self.write(data)
        return used

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self.first_byte_ns is None:
            import time
            self.first_byte_ns = time.monotonic_ns()
        self.bytes_out += len(data)
        try:
            self.out.write(data)
            self.out.flush()
        except (OSError, ValueError):
            pass                        # a closed stdout must not crash the host
