"""Symbolising guest addresses from `<image>.debug` (the image itself is stripped):
used by the runner's crash reports and the QEMU host."""

from __future__ import annotations

import bisect
import functools
from pathlib import Path


class Symbols:
    def __init__(self, path: Path | None) -> None:
        self.addrs: list[int] = []
        self.names: list[tuple[str, int]] = []
        self.text: list[tuple[int, int]] = []
        if path is None:
            return
        try:
            from elftools.elf.elffile import ELFFile
            from elftools.elf.sections import SymbolTableSection
            with open(path, "rb") as f:
                elf = ELFFile(f)
                syms = []
                for sec in elf.iter_sections():
                    if sec["sh_flags"] & 4 and sec["sh_size"]:       # SHF_EXECINSTR
                        self.text.append((sec["sh_addr"], sec["sh_addr"] + sec["sh_size"]))
                    if isinstance(sec, SymbolTableSection):
                        for s in sec.iter_symbols():
                            if s["st_info"]["type"] in ("STT_FUNC", "STT_NOTYPE") and s.name \
                                    and s["st_value"]:
                                syms.append((s["st_value"], s.name, s["st_size"]))
        except Exception:               # a broken debug file must not hide the report
            return
        syms.sort()
        self.addrs = [a for a, _, _ in syms]
        self.names = [(n, size) for _, n, size in syms]

    def lookup(self, addr: int) -> str:
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0:
            return ""
        name, size = self.names[i]
        off = addr - self.addrs[i]
        if size and off >= size and off > 0x10000:
            return ""
        return f"{name}+{off:#x}"

    def in_text(self, addr: int) -> bool:
        return any(lo <= addr < hi for lo, hi in self.text)


@functools.lru_cache(maxsize=16)
def symbols_for(image: Path | str) -> Symbols:
    image = Path(image)
    debug = image.with_name(image.name + ".debug")
    return Symbols(debug if debug.exists() else image)
