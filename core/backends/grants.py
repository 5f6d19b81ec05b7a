"""The guest's grant table (version 1), as a backend reads it.

Xen's grant_entry_v1 is {uint16 flags, domid_t domid, uint32 frame}: the
guest grants domain `domid` access to its frame. The table's frames are
guest pages the guest named with XENMEM_add_to_physmap (XENMAPSPACE_grant_table):
it lives in guest memory, so a backend checks every entry it uses — the
reference inside the table, GTF_permit_access for the backend's domain,
GTF_readonly for writes, the frame inside guest RAM — and gets a guest
address or a GrantError, never an access outside the guest.
"""

from __future__ import annotations

import struct
from array import array

from ..runner.memory import GuestMemory

PAGE = 4096
ENTRY = struct.Struct("<HHI")
ENTRIES_PER_FRAME = PAGE // ENTRY.size
MAX_FRAMES = 8                       # 4096 grants: rings and buffers of a few devices

GTF_type_mask = 3
GTF_permit_access = 1
GTF_readonly = 1 << 2


class GrantError(Exception):
    """A grant reference the guest may not use this way."""


class GrantTable:
    def __init__(self, mem: GuestMemory) -> None:
        self.mem = mem
        self.frames: list[int | None] = [None] * MAX_FRAMES   # guest pfn of each frame
        # The same as int64s (-1: none), read live by the backends' C threads
        # (guestview.pxi): a frame the guest adds is seen at once. Never resized.
        self.frame_array = array("q", [-1] * MAX_FRAMES)

    def set_frame(self, idx: int, pfn: int) -> None:
        """Table frame idx now lives at guest page pfn (XENMEM_add_to_physmap)."""
        if not 0 <= idx < MAX_FRAMES:
            raise GrantError(f"grant table frame {idx} beyond {MAX_FRAMES}")
        self.mem.check(pfn * PAGE, PAGE)
        self.frames[idx] = pfn
        self.frame_array[idx] = pfn

    def nr_frames(self) -> int:
        return sum(1 for f in self.frames if f is not None)

    def page(self, gref: int, domid: int, write: bool) -> int:
        """Guest address of the page granted by gref to domid (checked)."""
        frame_idx, slot = divmod(gref, ENTRIES_PER_FRAME)
        if gref < 0 or frame_idx >= MAX_FRAMES or self.frames[frame_idx] is None:
            raise GrantError(f"grant reference {gref} outside the grant table")
        addr = self.frames[frame_idx] * PAGE + slot * ENTRY.size  # type: ignore[operator]
        flags, gdom, frame = self.mem.unpack(ENTRY, addr)
        if flags & GTF_type_mask != GTF_permit_access or gdom != domid:
            raise GrantError(f"grant reference {gref} does not grant access to domain {domid}")
        if write and flags & GTF_readonly:
            raise GrantError(f"grant reference {gref} is read-only")
        page = frame * PAGE
        if page + PAGE > self.mem.base + self.mem.size or page < self.mem.base:
            raise GrantError(f"grant reference {gref} names frame {frame:#x} outside RAM")
        return page

    def span(self, gref: int, domid: int, write: bool, offset: int, length: int) -> int:
        """Guest address of [offset, offset+length) inside the granted page."""
        if offset < 0 or length < 0 or offset + length > PAGE:
            raise GrantError(f"grant reference {gref}: bytes {offset}..{offset + length} "
                             f"outside its page")
        return self.page(gref, domid, write) + offset
