"""Reading a guest image for the domain builder: PT_LOAD segments and Xen notes.

Errors a user can cause (not an ELF, wrong machine, no PV entry note) raise
UnikError with one line.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnikError
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


def _parse_notes(data: bytes) -> list[tuple[bytes, int, bytes]]:
    out, off = [], 0
    while off + 12 <= len(data):
        namesz, descsz, ntype = struct.unpack_from("<III", data, off)
        off += 12
        name = data[off:off + namesz].rstrip(b"\0")
        off += (namesz + 3) & ~3
        desc = data[off:off + descsz]
        off += (descsz + 3) & ~3
        if len(desc) != descsz:
            break
        out.append((name, ntype, desc))
    return out


def _addr(desc: bytes) -> int:
    if len(desc) == 8:
        return struct.unpack("<Q", desc)[0]
    if len(desc) == 4:
        return struct.unpack("<I", desc)[0]
    raise ValueError("bad address note")


def load(path: Path) -> Image:
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile

    path = Path(path)
    try:
        f = path.open("rb")
    except OSError as e:
        raise UnikError(f"cannot read image {path}: {e.strerror}") from None
    with f:
        try:
            elf = ELFFile(f)
            if elf.elfclass != 64 or elf["e_machine"] != "EM_X86_64":
                raise UnikError(f"{path}: not an x86-64 ELF64 image")
            segments, notes = [], {}
            for seg in elf.iter_segments():
                if seg["p_type"] == "PT_LOAD" and seg["p_memsz"]:
                    if seg["p_filesz"] > seg["p_memsz"]:
                        raise UnikError(f"{path}: malformed PT_LOAD (filesz > memsz)")
                    data = seg.data()
                    if len(data) != seg["p_filesz"]:
                        raise UnikError(f"{path}: truncated PT_LOAD segment")
                    segments.append(Segment(seg["p_paddr"], data, seg["p_memsz"]))
                elif seg["p_type"] == "PT_NOTE":
                    for name, ntype, desc in _parse_notes(seg.data()):
                        if name == b"Xen":
                            notes[ntype] = desc
        except ELFError as e:
            raise UnikError(f"{path}: not a valid ELF image ({e})") from None
        except (struct.error, ValueError) as e:
            raise UnikError(f"{path}: malformed ELF image ({e})") from None
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
