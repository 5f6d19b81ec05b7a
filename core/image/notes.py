"""ELF note records (one PT_NOTE segment's bytes) — shared by `unik inspect` and
the runner's domain builder."""

from __future__ import annotations

import struct


class Note(tuple):
    """(name, type, desc) with those names. A tuple subclass, not a
    namedtuple or typing's NamedTuple: the runner reads notes on `unik run`'s
    path, where `collections` and `typing` would cost start-up."""

    __slots__ = ()

    def __new__(cls, name: bytes, type: int, desc: bytes) -> Note:
        return tuple.__new__(cls, (name, type, desc))

    @property
    def name(self) -> bytes:
        return self[0]

    @property
    def type(self) -> int:
        return self[1]

    @property
    def desc(self) -> bytes:
        return self[2]

    def __repr__(self) -> str:
        return f"Note(name={self[0]!r}, type={self[1]!r}, desc={self[2]!r})"


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
