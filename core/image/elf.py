"""Reading a unik image: segments, sections, symbols and its Xen and unik notes."""

from __future__ import annotations

import os
import stat
import struct

from ..errors import UnikError
from . import notes

TYPE_CHECKING = False          # pathlib is not imported on `unik run`'s path (start-up)
if TYPE_CHECKING:
    from pathlib import Path

# Xen ELF note types (xen/include/public/elfnote.h).
XEN_NOTES = {
    0: "INFO", 1: "ENTRY", 2: "HYPERCALL_PAGE", 3: "VIRT_BASE", 4: "PADDR_OFFSET",
    5: "XEN_VERSION", 6: "GUEST_OS", 7: "GUEST_VERSION", 8: "LOADER", 9: "PAE_MODE",
    10: "FEATURES", 11: "BSD_SYMTAB", 12: "HV_START_LOW", 13: "L1_MFN_VALID",
    14: "SUSPEND_CANCEL", 15: "INIT_P2M", 16: "MOD_START_PFN", 17: "SUPPORTED_FEATURES",
    18: "PHYS32_ENTRY",
}
_STRING_NOTES = {"XEN_VERSION", "GUEST_OS", "GUEST_VERSION", "LOADER", "PAE_MODE",
                 "FEATURES", "BSD_SYMTAB"}
UNIK_NOTES = {1: "ABI_VERSION", 2: "FLAT_P2M", 3: "POPULATE"}


# Plain classes, not dataclasses: `dataclasses` imports `inspect` (and ast, dis,
# tokenize), a good part of `unik run`'s start-up; these are on its path.

class Segment:
    __slots__ = ("type", "vaddr", "paddr", "offset", "filesz", "memsz", "flags")

    def __init__(self, type: str, vaddr: int, paddr: int, offset: int, filesz: int,
                 memsz: int, flags: int) -> None:
        self.type, self.vaddr, self.paddr, self.offset = type, vaddr, paddr, offset
        self.filesz, self.memsz, self.flags = filesz, memsz, flags

    def __repr__(self) -> str:
        return (f"Segment({self.type}, vaddr={self.vaddr:#x}, paddr={self.paddr:#x}, "
                f"filesz={self.filesz:#x}, memsz={self.memsz:#x}, flags={self.flags})")


class Section:
    __slots__ = ("name", "addr", "size", "type", "flags")

    def __init__(self, name: str, addr: int, size: int, type: str, flags: int) -> None:
        self.name, self.addr, self.size, self.type, self.flags = name, addr, size, type, flags

    def __repr__(self) -> str:
        return f"Section({self.name}, addr={self.addr:#x}, size={self.size:#x})"


class Symbol:
    __slots__ = ("name", "value", "size", "kind")

    def __init__(self, name: str, value: int, size: int, kind: str) -> None:
        self.name, self.value, self.size, self.kind = name, value, size, kind

    def __repr__(self) -> str:
        return f"Symbol({self.name}, {self.value:#x}, size={self.size}, {self.kind})"


class Image:
    def __init__(self, path: Path, size: int, entry: int, segments: list[Segment],
                 sections: list[Section], xen_notes: dict[str, int | str | bytes] | None = None,
                 unik_notes: dict[str, int | str | bytes] | None = None,
                 symbols: list[Symbol] | None = None, data: bytes = b"") -> None:
        self.path, self.size, self.entry = path, size, entry
        self.segments, self.sections = segments, sections
        self.xen_notes = {} if xen_notes is None else xen_notes
        self.unik_notes = {} if unik_notes is None else unik_notes
        self.symbols = [] if symbols is None else symbols
        self.data = data                # the whole file

    def __repr__(self) -> str:
        return f"Image({self.path}, {self.size} bytes, entry={self.entry:#x})"

    @property
    def pvh_entry(self) -> int | None:
        v = self.xen_notes.get("PHYS32_ENTRY")
        return v if isinstance(v, int) else None

    @property
    def pv_entry(self) -> int | None:
        v = self.xen_notes.get("ENTRY")
        return v if isinstance(v, int) else None


def shown(path: str | os.PathLike[str]) -> str:
    """`path` as str(pathlib.PurePosixPath(path)) writes it — repeated and
    trailing slashes and '.' parts dropped — without importing pathlib: what
    messages name an image by, however the caller spelled it."""
    text = os.fspath(path)
    root = "//" if text[:2] == "//" and text[:3] != "///" else "/" if text[:1] == "/" else ""
    parts = [p for p in text.split("/") if p and p != "."]
    return root + "/".join(parts) if root or parts else "."


def _decode_desc(kind: str, desc: bytes) -> int | str | bytes:
    if kind in _STRING_NOTES:
        return desc.rstrip(b"\0").decode(errors="replace")
    if len(desc) in (4, 8):
        return struct.unpack("<I" if len(desc) == 4 else "<Q", desc)[0]
    return desc


def _notes(data: bytes, segments: list[Segment]) -> tuple[dict, dict]:
    xen: dict[str, int | str | bytes] = {}
    unik: dict[str, int | str | bytes] = {}
    for seg in segments:
        if seg.type != "PT_NOTE":
            continue
        try:
            found = notes.parse(data[seg.offset:seg.offset + seg.filesz])
        except ValueError as e:
            raise UnikError(f"malformed ELF note ({e})") from None
        for note in found:
            if note.name == b"Xen":
                kind = XEN_NOTES.get(note.type, f"TYPE_{note.type}")
                xen[kind] = _decode_desc(kind, note.desc)
            elif note.name == b"unik":
                kind = UNIK_NOTES.get(note.type, f"TYPE_{note.type}")
                unik[kind] = _decode_desc(kind, note.desc)
    return xen, unik


_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_PHDR = struct.Struct("<IIQQQQQQ")
_PT_NAMES = {0: "PT_NULL", 1: "PT_LOAD", 2: "PT_DYNAMIC", 3: "PT_INTERP", 4: "PT_NOTE",
             6: "PT_PHDR", 7: "PT_TLS", 0x6474E550: "PT_GNU_EH_FRAME",
             0x6474E551: "PT_GNU_STACK", 0x6474E552: "PT_GNU_RELRO",
             0x6474E553: "PT_GNU_PROPERTY"}


def _program_headers(path: Path, data: bytes) -> tuple[int, list[Segment]]:
    """(e_entry, segments), read with struct: every offset and size is checked
    against the file, and nothing heavier than this is needed to boot."""
    if len(data) < _EHDR.size:
        raise UnikError(f"{path}: malformed ELF image (truncated header)")
    ident, _type, machine, _ver, entry, phoff, _sh, _fl, _eh, phentsize, phnum, *_ = \
        _EHDR.unpack_from(data)
    if ident[4] != 2 or ident[5] != 1 or machine != 62:
        raise UnikError(f"{path}: not an x86-64 ELF64 little-endian image")
    if phentsize != _PHDR.size or phnum == 0 or phoff + phnum * _PHDR.size > len(data):
        raise UnikError(f"{path}: malformed ELF image (program headers)")
    if phnum > MAX_SEGMENTS:
        raise UnikError(f"{path}: malformed ELF image ({phnum} program headers, "
                        f"at most {MAX_SEGMENTS})")
    segments = []
    for i in range(phnum):
        ptype, pflags, off, vaddr, paddr, filesz, memsz, _align = \
            _PHDR.unpack_from(data, phoff + i * _PHDR.size)
        seg = Segment(_PT_NAMES.get(ptype, f"PT_{ptype:#x}"), vaddr, paddr, off, filesz,
                      memsz, pflags)
        if seg.type in ("PT_LOAD", "PT_NOTE") and (
                off + filesz > len(data) or (seg.type == "PT_LOAD" and filesz > memsz)
                or paddr + memsz > 1 << 46):
            raise UnikError(f"{path}: malformed ELF image (segment {i} outside the file "
                            "or the address space)")
        segments.append(seg)
    return entry, segments


# A unik image is a few MiB; nothing real comes near this. Reading stops here,
# so `unik run /dev/zero`-like mistakes cost nothing.
MAX_IMAGE_BYTES = 256 << 20
MAX_SEGMENTS = 64               # program headers (unik's linker script makes < 10)


def read_file(path: Path, limit: int = MAX_IMAGE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, else one UnikError line.

    Opened without blocking (a FIFO would wait for a writer) and checked to
    be a regular file before anything is read (a device never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UnikError(f"{path}: no such image (build it with `unik build`)") from None
    except OSError as e:
        raise UnikError(f"{path}: cannot read: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnikError(f"{path}: not a regular file (an image is an ELF file)")
        if st.st_size > limit:
            raise UnikError(f"{path}: {st.st_size} bytes is more than an image may be "
                            f"({limit >> 20} MiB)")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise UnikError(f"{path}: more than an image may be ({limit >> 20} MiB)")
        return b"".join(chunks)
    except OSError as e:
        raise UnikError(f"{path}: cannot read: {e.strerror}") from None
    finally:
        os.close(fd)


def read(path: Path, *, sections: bool = True, symbols: bool = False) -> Image:
    """Read an image; any malformation is a one-line UnikError. Sections and
    symbols (pyelftools) are read only when asked for."""
    data = read_file(path)
    if data[:4] != b"\x7fELF":
        raise UnikError(f"{path}: not an ELF image (bad magic)")
    entry, segments = _program_headers(path, data)
    xen, unik = _notes(data, segments)
    img = Image(path, len(data), entry, segments, [], xen, unik, data=data)
    if not (sections or symbols):
        return img
    try:
        import io

        from elftools.common.exceptions import ELFError
        from elftools.elf.elffile import ELFFile
    except ImportError:  # pragma: no cover - a declared dependency
        raise UnikError("pyelftools is missing: pip install pyelftools") from None
    try:
        elf = ELFFile(io.BytesIO(data))
        img.sections = [Section(s.name, s["sh_addr"], s["sh_size"], s["sh_type"],
                                s["sh_flags"]) for s in elf.iter_sections()]
        if symbols:
            tab = elf.get_section_by_name(".symtab")
            for s in tab.iter_symbols() if tab is not None else []:
                if s.name and s["st_info"]["type"] in ("STT_FUNC", "STT_OBJECT"):
                    img.symbols.append(Symbol(s.name, s["st_value"], s["st_size"],
                                              s["st_info"]["type"][4:].lower()))
    except ELFError as e:
        raise UnikError(f"{path}: malformed ELF image ({e})") from None
    except Exception as e:      # pyelftools on damaged input: OverflowError, TypeError, ...
        raise UnikError(f"{path}: malformed ELF image ({type(e).__name__}: "
                        f"{str(e).splitlines()[0] if str(e) else 'unreadable'})") from None
    return img
