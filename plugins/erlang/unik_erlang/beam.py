"""Reading a .beam file: its chunks, the compact operand encoding, literal terms.

A .beam file is an IFF container ("FOR1" size "BEAM" then chunks of id, size,
data padded to 4 bytes). We read AtU8 (atoms), Code, ImpT, ExpT, LocT, LitT
(zlib-compressed external-term-format literals), FunT and StrT. Every malformed
file raises BeamError with the file's name; nothing here runs any code.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .genop import OPCODES
from .terms import Atom, Bits, Cons, Export, Map, Term, Tuple

NIL: list[Term] = []


class BeamError(Exception):
    pass


# Operand kinds after decoding.
@dataclass(frozen=True)
class X:
    n: int


@dataclass(frozen=True)
class Y:
    n: int


@dataclass(frozen=True)
class FR:
    n: int


@dataclass(frozen=True)
class Label:
    n: int


@dataclass(frozen=True)
class Lit:
    """A literal term (from the literal table, or an atom/integer/nil operand)."""
    term: Term


@dataclass(frozen=True)
class U:
    """An untagged unsigned number (arities, sizes, flags, live counts)."""
    n: int


@dataclass(frozen=True)
class OpList:
    items: tuple[object, ...]


@dataclass(frozen=True)
class AllocList:
    words: int
    floats: int
    funs: int


Operand = X | Y | FR | Label | Lit | U | OpList | AllocList


@dataclass
class Instr:
    op: str
    args: list[Operand]


@dataclass
class FunEntry:
    name: str
    arity: int
    label: int
    num_free: int
    index: int
    uniq: int = 0


@dataclass
class Module:
    name: str
    path: Path
    atoms: list[str]
    code: list[Instr]
    imports: list[tuple[str, str, int]]
    exports: list[tuple[str, int, int]]
    locals: list[tuple[str, int, int]]
    funs: list[FunEntry]
    strings: bytes
    literals: list[Term] = field(default_factory=list)
    # the Line chunk: operand N of a `line` instruction is lines[N - 1], (file, line)
    lines: list[tuple[str, int]] = field(default_factory=list)


class _Reader:
    def __init__(self, data: bytes, what: str) -> None:
        self.d = data
        self.i = 0
        self.what = what

    def byte(self) -> int:
        if self.i >= len(self.d):
            raise BeamError(f"{self.what}: truncated")
        b = self.d[self.i]
        self.i += 1
        return b

    def take(self, n: int) -> bytes:
        if self.i + n > len(self.d):
            raise BeamError(f"{self.what}: truncated")
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def u32(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

    def done(self) -> bool:
        return self.i >= len(self.d)


def read_chunks(data: bytes, path: Path) -> dict[str, bytes]:
    if len(data) < 12 or data[:4] != b"FOR1" or data[8:12] != b"BEAM":
        raise BeamError(f"{path}: not a BEAM file")
    chunks: dict[str, bytes] = {}
    i = 12
    end = min(len(data), 8 + struct.unpack(">I", data[4:8])[0])
    while i + 8 <= end:
        cid = data[i:i + 4].decode("latin-1")
        size = struct.unpack(">I", data[i + 4:i + 8])[0]
        if i + 8 + size > len(data):
            raise BeamError(f"{path}: chunk {cid} runs past the end of the file")
        chunks[cid] = data[i + 8:i + 8 + size]
        i += 8 + ((size + 3) & ~3)
    return chunks


# ---- compact term encoding (operands of the Code chunk) ----

def _value(r: _Reader, b: int, signed: bool) -> int:
    if b & 0x08 == 0:
        return b >> 4
    if b & 0x10 == 0:
        return ((b >> 5) << 8) | r.byte()
    n = (b >> 5) + 2
    if n == 9:
        n = _value(r, r.byte(), False) + 9
    raw = r.take(n)
    return int.from_bytes(raw, "big", signed=signed)


def _operand(r: _Reader, m: Module) -> Operand:
    b = r.byte()
    tag = b & 7
    if tag == 7:
        ext = b >> 4
        if ext == 1:        # list
            n = _operand(r, m)
            assert isinstance(n, U)
            return OpList(tuple(_operand(r, m) for _ in range(n.n)))
        if ext == 2:        # float register
            v = _operand(r, m)
            assert isinstance(v, U)
            return FR(v.n)
        if ext == 3:        # allocation list
            n = _operand(r, m)
            assert isinstance(n, U)
            words = floats = funs = 0
            for _ in range(n.n):
                kind = _operand(r, m)
                val = _operand(r, m)
                assert isinstance(kind, U) and isinstance(val, U)
                if kind.n == 0:
                    words += val.n
                elif kind.n == 1:
                    floats += val.n
                else:
                    funs += val.n
            return AllocList(words, floats, funs)
        if ext == 4:        # literal
            v = _operand(r, m)
            assert isinstance(v, U)
            if v.n >= len(m.literals):
                raise BeamError(f"{m.path}: literal {v.n} out of range")
            return Lit(m.literals[v.n])
        if ext == 5:        # type-tagged register (OTP 25): register, then a type index
            reg = _operand(r, m)
            _operand(r, m)
            return reg
        raise BeamError(f"{m.path}: unknown extended operand tag {b:#x}")
    if tag == 1:
        return Lit(_value(r, b, True))
    v = _value(r, b, False)
    if tag == 0:
        return U(v)
    if tag == 2:
        if v == 0:
            return Lit(NIL)
        if v > len(m.atoms):
            raise BeamError(f"{m.path}: atom {v} out of range")
        return Lit(Atom(m.atoms[v - 1]))
    if tag == 3:
        return X(v)
    if tag == 4:
        return Y(v)
    if tag == 5:
        return Label(v)
    if tag == 6:
        return Lit(v)
    raise BeamError(f"{m.path}: bad operand tag {tag}")


def _code(data: bytes, m: Module) -> list[Instr]:
    r = _Reader(data, f"{m.path} (Code)")
    hdr = r.u32()
    r.i = 4 + hdr
    out: list[Instr] = []
    while not r.done():
        opn = r.byte()
        spec = OPCODES.get(opn)
        if spec is None:
            raise BeamError(f"{m.path}: unknown opcode {opn}")
        name, arity = spec
        out.append(Instr(name, [_operand(r, m) for _ in range(arity)]))
        if name == "int_code_end":
            break
    return out


# ---- external term format (literals) ----

def _ext(r: _Reader, atoms: list[str]) -> Term:
    t = r.byte()
    if t == 97:
        return r.byte()
    if t == 98:
        return int(struct.unpack(">i", r.take(4))[0])
    if t == 70:
        return float(struct.unpack(">d", r.take(8))[0])
    if t in (118, 100):
        n = struct.unpack(">H", r.take(2))[0]
        return Atom(r.take(n).decode("utf-8" if t == 118 else "latin-1"))
    if t in (119, 115):
        n = r.byte()
        return Atom(r.take(n).decode("utf-8" if t == 119 else "latin-1"))
    if t in (104, 105):
        n = r.byte() if t == 104 else r.u32()
        return Tuple(tuple(_ext(r, atoms) for _ in range(n)))
    if t == 106:
        return []
    if t == 107:
        n = struct.unpack(">H", r.take(2))[0]
        return list(r.take(n))
    if t == 108:
        n = r.u32()
        items = [_ext(r, atoms) for _ in range(n)]
        tail = _ext(r, atoms)
        if tail == []:
            return items
        return Cons(tuple(items), tail)
    if t == 109:
        n = r.u32()
        return Bits(r.take(n), n * 8)
    if t == 77:
        n = r.u32()
        bits = r.byte()
        data = r.take(n)
        return Bits(data, (n - 1) * 8 + bits if n else 0)
    if t in (110, 111):
        n = r.byte() if t == 110 else r.u32()
        sign = r.byte()
        v = int.from_bytes(r.take(n), "little")
        return -v if sign else v
    if t == 116:
        n = r.u32()
        pairs = []
        for _ in range(n):
            k = _ext(r, atoms)
            pairs.append((k, _ext(r, atoms)))
        return Map(tuple(pairs))
    if t == 113:
        mod = _ext(r, atoms)
        fn = _ext(r, atoms)
        ar = _ext(r, atoms)
        assert isinstance(mod, Atom) and isinstance(fn, Atom) and isinstance(ar, int)
        return Export(mod, fn, ar)
    raise BeamError(f"{r.what}: unsupported external term tag {t}")


def _literals(data: bytes, path: Path) -> list[Term]:
    try:
        raw = zlib.decompress(data[4:])
    except zlib.error as e:
        raise BeamError(f"{path}: LitT: {e}") from None
    r = _Reader(raw, f"{path} (LitT)")
    out = []
    for _ in range(r.u32()):
        size = r.u32()
        sub = _Reader(r.take(size), r.what)
        if sub.byte() != 131:
            raise BeamError(f"{path}: literal without version byte")
        out.append(_ext(sub, []))
    return out


def _triples(data: bytes | None, atoms: list[str], path: Path) -> list[tuple[int, int, int]]:
    if not data:
        return []
    r = _Reader(data, str(path))
    n = r.u32()
    return [(r.u32(), r.u32(), r.u32()) for _ in range(n)]


def _lines(data: bytes | None, module: str, path: Path) -> list[tuple[str, int]]:
    """The Line chunk: a header (version, flags, line instructions, items, file
    names), the items in the compact encoding (an atom-tagged value switches the
    file, an integer is a line), then the names (u16 length, bytes). File 0 is
    the module's own source, named "<module>.erl" as erl's stack traces do."""
    if not data or len(data) < 20:
        return []
    version, _flags, _ninstr, nitems, nnames = struct.unpack(">5I", data[:20])
    if version != 0:
        return []           # an unknown layout: no locations rather than wrong ones
    r = _Reader(data[20:], f"{path} (Line)")
    raw: list[tuple[int, int]] = []
    fidx = 0
    while len(raw) < nitems and not r.done():
        b = r.byte()
        v = _value(r, b, False)
        if b & 7 == 2:
            fidx = v
        else:
            raw.append((fidx, v))
    names = [f"{module}.erl"]
    for _ in range(nnames):
        n = int.from_bytes(r.take(2), "big")
        names.append(r.take(n).decode("utf-8", errors="replace"))
    return [(names[f] if f < len(names) else names[0], line) for f, line in raw]


def load(path: Path) -> Module:
    data = path.read_bytes()
    ch = read_chunks(data, path)
    if "AtU8" not in ch or "Code" not in ch:
        raise BeamError(f"{path}: no AtU8/Code chunk (compiled by an OTP older than 20?)")
    r = _Reader(ch["AtU8"], f"{path} (AtU8)")
    n = r.u32()
    atoms = [r.take(r.byte()).decode("utf-8") for _ in range(n)]

    def atom(i: int) -> str:
        if not 1 <= i <= len(atoms):
            raise BeamError(f"{path}: atom index {i} out of range")
        return atoms[i - 1]

    imports = [(atom(a), atom(b), c) for a, b, c in _triples(ch.get("ImpT"), atoms, path)]
    exports = [(atom(a), b, c) for a, b, c in _triples(ch.get("ExpT"), atoms, path)]
    locs = [(atom(a), b, c) for a, b, c in _triples(ch.get("LocT"), atoms, path)]
    funs: list[FunEntry] = []
    if ch.get("FunT"):
        fr = _Reader(ch["FunT"], f"{path} (FunT)")
        for _ in range(fr.u32()):
            f, a, lbl, idx, nfree, _uniq = (fr.u32() for _ in range(6))
            funs.append(FunEntry(atom(f), a, lbl, nfree, idx, _uniq))
    m = Module(name=atoms[0], path=path, atoms=atoms, code=[], imports=imports,
               exports=exports, locals=locs, funs=funs, strings=ch.get("StrT", b""))
    if "LitT" in ch:
        m.literals = _literals(ch["LitT"], path)
    m.code = _code(ch["Code"], m)
    m.lines = _lines(ch.get("Line"), m.name, path)
    return m
