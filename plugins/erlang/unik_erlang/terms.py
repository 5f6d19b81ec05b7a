"""Erlang terms as the build-time tools hold them (literals of .beam files).

int, float and Python lists (proper lists) stand for themselves; the classes
below cover the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


class Atom(str):
    """An atom (a str subclass, so it is hashable and prints as its name)."""

    __slots__ = ()


@dataclass(frozen=True)
class Tuple:
    items: tuple[Term, ...]


@dataclass(frozen=True)
class Cons:
    """An improper list: items followed by a tail that is not []."""
    items: tuple[Term, ...]
    tail: Term


@dataclass(frozen=True)
class Bits:
    data: bytes
    bits: int


@dataclass(frozen=True)
class Map:
    pairs: tuple[tuple[Term, Term], ...]


@dataclass(frozen=True)
class Export:
    """fun M:F/A."""
    module: str
    name: str
    arity: int


Term = int | float | Atom | list | Tuple | Cons | Bits | Map | Export
