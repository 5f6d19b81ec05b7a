"""ELF note records (one PT_NOTE segment's bytes) — shared by `unik inspect` and
the runner's domain builder."""

from __future__ import annotations

import struct
from collections import namedtuple

# (name, type, desc); collections' namedtuple, not typing's NamedTuple: the
# runner reads notes on `unik run`'s path, and `typing` costs its start-up.
Note = namedtuple("Note", ["name", "type", "desc"])


def parse(blob: bytes) -> list[Note]:
    """Every note in blob; ValueError when one runs past the end."""
    out: list[Note] = []
    pos = 0
    while pos + 12 <= len(blob):
        namesz, descsz, ntype = struct.unpack_from("<III", blob, pos)
        pos += 12
        desc_start = pos + ((namesz + 3) & ~3)
        desc_end = desc_start + descsz
        if desc_end > len(blob):
            raise ValueError("an ELF note runs past its segment")
        out.append(Note(blob[pos:pos + namesz].rstrip(b"\0"), ntype, blob[desc_start:desc_end]))
        pos = desc_start + ((descsz + 3) & ~3)
    return out
