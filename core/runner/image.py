"""Reading a guest image for the domain builder: PT_LOAD segments and Xen notes.

Errors a user can cause (not an ELF, wrong machine, no PV entry note) raise
UnikError with one line.
"""

from __future__ import annotations

import os

from ..errors import UnikError
from ..image import elf
from . import xenabi as X

# Plain classes, not dataclasses: `dataclasses` imports `inspect` (and ast, dis,
# tokenize), a good part of `unik run`'s start-up; these are on its path.

class Segment:
    __slots__ = ("paddr", "data", "memsz")

    def __init__(self, paddr: int, data: bytes | memoryview, memsz: int) -> None:
        # data: a view of the file's bytes, no copy per segment
        self.paddr, self.data, self.memsz = paddr, data, memsz


class Image:
    def __init__(self, path: str, entry: int, hypercall_page: int, segments: list[Segment],
                 lo: int, hi: int, *, flat_p2m: bool = False, populates: bool = False) -> None:
        self.path = path                        # as messages name it (elf.shown)
        self.entry = entry                      # XEN_ELFNOTE_ENTRY
        self.hypercall_page = hypercall_page    # XEN_ELFNOTE_HYPERCALL_PAGE
        self.segments = segments
        self.lo = lo                            # lowest loaded paddr
        self.hi = hi                            # end of the highest segment (memsz)
        self.flat_p2m = flat_p2m                # unik note FLAT_P2M: reads no p2m list here
        self.populates = populates              # unik note POPULATE: populates RAM as it uses it


def load(path: str | os.PathLike[str], max_end: int = 1 << 46) -> Image:
    """Read the loadable segments and Xen notes of an image (no pyelftools:
    unik.image.elf reads program headers and notes with struct). Segments
    ending above `max_end` (the runner's RAM cap) are refused here, before
    any memory is planned for them."""
    path = elf.shown(path)
    info = elf.read(path, sections=False)
    data = memoryview(info.data)
    segments = [Segment(s.paddr, data[s.offset:s.offset + s.filesz], s.memsz)
                for s in info.segments if s.type == "PT_LOAD" and s.memsz]
    if not segments:
        raise UnikError(f"{path}: no loadable segments")
    notes = info.xen_notes
    if "ENTRY" not in notes or "HYPERCALL_PAGE" not in notes:
        raise UnikError(f"{path}: no Xen PV entry note (XEN_ELFNOTE_ENTRY/HYPERCALL_PAGE); "
                        "is it a unik image?")
    entry, hpage, virt_base = notes["ENTRY"], notes["HYPERCALL_PAGE"], notes.get("VIRT_BASE", 0)
    if not all(isinstance(v, int) for v in (entry, hpage, virt_base)):
        raise UnikError(f"{path}: malformed Xen note")
    assert isinstance(entry, int) and isinstance(hpage, int)
    if virt_base != 0:
        raise UnikError(f"{path}: XEN_ELFNOTE_VIRT_BASE {virt_base:#x} unsupported (must be 0)")
    lo = min(s.paddr for s in segments)
    hi = max(s.paddr + s.memsz for s in segments)
    if hi > max_end:
        raise UnikError(f"{path}: its segments end at {hi:#x}, beyond the runner's "
                        f"{max_end >> 30} GiB of guest RAM")
    if hpage % X.PAGE or not (lo <= hpage and hpage + X.PAGE <= hi):
        raise UnikError(f"{path}: hypercall page {hpage:#x} not a page inside the image")
    if not (lo <= entry < hi):
        raise UnikError(f"{path}: PV entry {entry:#x} outside the image")
    return Image(path, entry, hpage, segments, lo, hi,
                 flat_p2m=info.unik_notes.get("FLAT_P2M") == 1,
                 populates=info.unik_notes.get("POPULATE") == 1)
