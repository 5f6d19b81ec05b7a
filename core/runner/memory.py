"""Guest memory as the host sees it, every access bounds-checked.

All guest-supplied pointers and lengths go through `GuestMemory.check` (the
one helper): an address range that is not wholly inside guest RAM raises
`GuestFault`, which the hypercall layer turns into -EFAULT. The host never
reads or writes outside the RAM mapping.

Writes go through one more gate, `check_write`: once the domain is built, the
runner's own pages (GDT, IDT, TSS, stubs, ring-0 stack: `protect_low`) and
the guest's page-table pages (`pt_frames`, item 7 of Xen's PV rules) take no
write a guest asked for, such as a hypercall's result written where the
guest points. Only the page-table hypercalls write there, through
`set_u64_trusted`.
"""

from __future__ import annotations

import struct

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")


class GuestFault(Exception):
    """A guest address range outside guest RAM."""


class GuestMemory:
    def __init__(self, view: memoryview | bytearray, base: int = 0) -> None:
        self.view = view if isinstance(view, memoryview) else memoryview(view)
        self.size = len(self.view)
        self.base = base
        self.low_guard = 0               # [base, low_guard) refuses guest-directed writes
        self.low_open = -1               # except this one page (shared_info)
        self.pt_frames: set[int] = set()  # page-table frames (pfns), read-only to the guest

    def protect_low(self, end: int, open_page: int) -> None:
        """Refuse writes below `end` except to the page at `open_page`."""
        self.low_guard, self.low_open = end, open_page

    def check(self, addr: int, length: int) -> int:
        """Offset of [addr, addr+length) in RAM, or GuestFault."""
        off = addr - self.base
        if length < 0 or off < 0 or off + length > self.size:
            raise GuestFault(f"guest range {addr:#x}+{length:#x} outside RAM")
        return off

    def check_write(self, addr: int, length: int) -> int:
        """check(), and GuestFault for a range touching a protected page."""
        off = self.check(addr, length)
        if length and addr < self.low_guard:
            page = addr & ~0xFFF
            if page != self.low_open or addr + length > page + 0x1000:
                raise GuestFault(f"guest range {addr:#x}+{length:#x} is the runner's")
        if length and self.pt_frames:
            first, last = addr >> 12, (addr + length - 1) >> 12
            if last - first > 64:
                hit = any(first <= f <= last for f in self.pt_frames)
            else:
                hit = any(f in self.pt_frames for f in range(first, last + 1))
            if hit:
                raise GuestFault(f"guest range {addr:#x}+{length:#x} holds a page table")
        return off

    def read(self, addr: int, length: int) -> bytes:
        off = self.check(addr, length)
        return bytes(self.view[off:off + length])

    def write(self, addr: int, data: bytes | bytearray | memoryview) -> None:
        off = self.check_write(addr, len(data))
        self.view[off:off + len(data)] = data

    def unpack(self, st: struct.Struct, addr: int) -> tuple:
        off = self.check(addr, st.size)
        return st.unpack_from(self.view, off)

    def pack(self, st: struct.Struct, addr: int, *values) -> None:
        off = self.check_write(addr, st.size)
        st.pack_into(self.view, off, *values)

    def u32(self, addr: int) -> int:
        return self.unpack(_U32, addr)[0]

    def u64(self, addr: int) -> int:
        return self.unpack(_U64, addr)[0]

    def set_u32(self, addr: int, v: int) -> None:
        self.pack(_U32, addr, v & 0xFFFF_FFFF)

    def set_u64(self, addr: int, v: int) -> None:
        self.pack(_U64, addr, v & 0xFFFF_FFFF_FFFF_FFFF)

    def write_trusted(self, addr: int, data: bytes | bytearray | memoryview) -> None:
        """A write of the runner's own (what the CPU or the builder puts there)."""
        off = self.check(addr, len(data))
        self.view[off:off + len(data)] = data

    def set_u64_trusted(self, addr: int, v: int) -> None:
        """A write of the runner's own (a page-table entry): bounds only."""
        _U64.pack_into(self.view, self.check(addr, 8), v & 0xFFFF_FFFF_FFFF_FFFF)

    def cstring(self, addr: int, limit: int) -> bytes:
        data = self.read(addr, min(limit, max(0, self.base + self.size - addr)))
        return data.split(b"\0", 1)[0]
