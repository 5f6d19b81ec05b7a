"""`unik inspect`: what an image holds — notes, entries, segments, sections, biggest symbols."""

from __future__ import annotations

from pathlib import Path

from . import elf
from .link import human_size


def report(path: Path, *, top: int = 15) -> str:
    img = elf.read(path)
    debug = path.with_name(path.name + ".debug")
    syms_from = debug if debug.is_file() else path
    symbols = elf.read(syms_from, symbols=True).symbols
    lines = [f"{path}: {human_size(img.size)}, ELF64 x86-64, e_entry {img.entry:#x}"]
    lines.append("entries:")
    lines.append(f"  PVH (XEN_ELFNOTE_PHYS32_ENTRY) {_addr(img.pvh_entry)}")
    lines.append(f"  PV  (XEN_ELFNOTE_ENTRY)        {_addr(img.pv_entry)}")
    lines.append("Xen notes:")
    for k, v in img.xen_notes.items():
        lines.append(f"  {k:<16} {_val(v)}")
    if img.unik_notes:
        lines.append("unik notes:")
        for k, v in img.unik_notes.items():
            lines.append(f"  {k:<16} {_val(v)}")
    lines.append("segments:")
    for s in img.segments:
        lines.append(f"  {s.type:<10} vaddr {s.vaddr:#010x} paddr {s.paddr:#010x} "
                     f"file {human_size(s.filesz):>10} mem {human_size(s.memsz):>10}")
    lines.append("sections (loaded):")
    total = 0
    for s in img.sections:
        if s.flags & 2 and s.size:
            total += s.size
            lines.append(f"  {s.name:<24} {s.addr:#010x} {human_size(s.size):>10}")
    lines.append(f"  {'total':<24} {'':10} {human_size(total):>10}")
    link_map = path.with_name(path.name + ".map")
    if link_map.is_file():
        from .mapfile import sizes_by_origin

        lines.append(f"size by origin (from {link_map.name}):  {'in the image':>12} "
                     f"{'+ .bss':>10}")
        for who, (size, bss) in sizes_by_origin(link_map, path.parent).items():
            lines.append(f"  {who:<36} {human_size(size):>12} {human_size(bss):>10}")
    if symbols:
        lines.append(f"largest symbols (from {syms_from.name}):")
        for sym in sorted(symbols, key=lambda s: -s.size)[:top]:
            lines.append(f"  {human_size(sym.size):>10}  {sym.kind:<6} {sym.name}")
    return "\n".join(lines)


def _addr(v: int | None) -> str:
    return f"{v:#x}" if v is not None else "(none)"


def _val(v: int | str | bytes) -> str:
    if isinstance(v, int):
        return f"{v:#x}"
    if isinstance(v, bytes):
        return v.hex()
    return repr(v)
