"""Reading a guest image for the domain builder: PT_LOAD segments and Xen notes.

Errors a user can cause (not an ELF, wrong machine, no PV entry note) raise
UnikError with one line.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnikError
from ..image import notes as elf_notes
from . import xenabi as X


@dataclass
class Segment:
    paddr: int
    data: bytes
    memsz: int


@dataclass
class Image:
    path: Path
    entry: int                       # XEN_ELFNOTE_ENTRY
    hypercall_page: int              # XEN_ELFNOTE_HYPERCALL_PAGE
    segments: list[Segment]
    lo: int                          # lowest loaded paddr
    hi: int                          # end of the highest segment (memsz)
    notes: dict[int, bytes] = field(default_factory=dict)


def _addr(desc: bytes) -> int:
    if len(desc) == 8:
        return struct.unpack("<Q", desc)[0]
    if len(desc) == 4:
        return struct.unpack("<I", desc)[0]
    raise ValueError("bad address note")


_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_PHDR = struct.Struct("<IIQQQQQQ")
PT_LOAD, PT_NOTE = 1, 4


def load(path: Path) -> Image:
    """Read the loadable segments and Xen notes of an image.

    The program headers are read with struct (fast, and every offset and size
    is checked against the file); pyelftools is kept for symbols (crash.py).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnikError(f"cannot read image {path}: {e.strerror}") from None
    if len(data) < _EHDR.size or data[:4] != b"\x7fELF":
        raise UnikError(f"{path}: not an ELF image")
    ident, _type, machine, _ver, _entry, phoff, _sh, _fl, _eh, phentsize, phnum, *_ = \
        _EHDR.unpack_from(data)
    if ident[4] != 2 or ident[5] != 1 or machine != 62:
        raise UnikError(f"{path}: not an x86-64 ELF64 little-endian image")
    if phentsize != _PHDR.size or phnum == 0 or phoff + phnum * _PHDR.size > len(data):
        raise UnikError(f"{path}: malformed ELF program headers")
    segments, notes = [], {}
    for i in range(phnum):
        ptype, _flags, off, _vaddr, paddr, filesz, memsz, _align = \
            _PHDR.unpack_from(data, phoff + i * _PHDR.size)
        if ptype not in (PT_LOAD, PT_NOTE) or memsz == 0 and ptype == PT_LOAD:
            continue
        if off + filesz > len(data) or filesz > memsz and ptype == PT_LOAD \
                or paddr + memsz > 1 << 46:
            raise UnikError(f"{path}: malformed ELF segment {i}")
        if ptype == PT_LOAD:
            segments.append(Segment(paddr, data[off:off + filesz], memsz))
        else:
            try:
                found = elf_notes.parse(data[off:off + filesz])
            except ValueError as e:
                raise UnikError(f"{path}: malformed ELF segment {i}: {e}") from None
            for note in found:
                if note.name == b"Xen":
                    notes[note.type] = note.desc
    if not segments:
        raise UnikError(f"{path}: no loadable segments")
    if X.NOTE_ENTRY not in notes or X.NOTE_HYPERCALL_PAGE not in notes:
        raise UnikError(f"{path}: no Xen PV entry note (XEN_ELFNOTE_ENTRY/HYPERCALL_PAGE); "
                        "is it a unik image?")
    try:
        entry = _addr(notes[X.NOTE_ENTRY])
        hpage = _addr(notes[X.NOTE_HYPERCALL_PAGE])
        virt_base = _addr(notes[X.NOTE_VIRT_BASE]) if X.NOTE_VIRT_BASE in notes else 0
    except ValueError:
        raise UnikError(f"{path}: malformed Xen note") from None
    if virt_base != 0:
        raise UnikError(f"{path}: XEN_ELFNOTE_VIRT_BASE {virt_base:#x} unsupported (must be 0)")
    lo = min(s.paddr for s in segments)
    hi = max(s.paddr + s.memsz for s in segments)
    if hpage % X.PAGE or not (lo <= hpage and hpage + X.PAGE <= hi):
        raise UnikError(f"{path}: hypercall page {hpage:#x} not a page inside the image")
    if not (lo <= entry < hi):
        raise UnikError(f"{path}: PV entry {entry:#x} outside the image")
    return Image(path, entry, hpage, segments, lo, hi, notes)
