"""Guest memory as the host sees it, every access bounds-checked.

All guest-supplied pointers and lengths go through `GuestMemory.check` (the
one helper): an address range that is not wholly inside guest RAM raises
`GuestFault`, which the hypercall layer turns into -EFAULT. The host never
reads or writes outside the RAM mapping.
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

    def check(self, addr: int, length: int) -> int:
        """Offset of [addr, addr+length) in RAM, or GuestFault."""
        off = addr - self.base
        if length < 0 or off < 0 or off + length > self.size:
            raise GuestFault(f"guest range {addr:#x}+{length:#x} outside RAM")
        return off

    def read(self, addr: int, length: int) -> bytes:
        off = self.check(addr, length)
        return bytes(self.view[off:off + length])

    def write(self, addr: int, data: bytes | bytearray | memoryview) -> None:
        off = self.check(addr, len(data))
        self.view[off:off + len(data)] = data

    def unpack(self, st: struct.Struct, addr: int) -> tuple:
        off = self.check(addr, st.size)
        return st.unpack_from(self.view, off)

    def pack(self, st: struct.Struct, addr: int, *values) -> None:
        off = self.check(addr, st.size)
        st.pack_into(self.view, off, *values)

    def u32(self, addr: int) -> int:
        return self.unpack(_U32, addr)[0]

    def u64(self, addr: int) -> int:
        return self.unpack(_U64, addr)[0]

    def set_u32(self, addr: int, v: int) -> None:
        self.pack(_U32, addr, v & 0xFFFF_FFFF)

    def set_u64(self, addr: int, v: int) -> None:
        self.pack(_U64, addr, v & 0xFFFF_FFFF_FFFF_FFFF)

    def cstring(self, addr: int, limit: int) -> bytes:
        data = self.read(addr, min(limit, max(0, self.base + self.size - addr)))
        return data.split(b"\0", 1)[0]
