"""Where an image's bytes come from, read from the linker's map (`NAME.unik.map`):
the guest core, musl, libgcc, the application, each other archive."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..cache import cache_root

# An input section: " .text.f  0xADDR  0xSIZE  file" (the name may stand on the line before).
_INPUT = re.compile(r"^ (?:\S+)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$")
_NOT_LOADED = (".debug", ".comment", ".symtab", ".strtab", ".shstrtab", "/DISCARD/")


def origin(file: str, build_dir: str, cache: str) -> str:
    """A short name for where an input section came from (cache: unik's cache root)."""
    m = re.match(r"^(.*?)([^/]+\.a)\((.*)\)$", file)
    archive = m.group(2) if m else None
    if file.startswith(f"{cache}/core/") and archive is None:
        return "guest core"
    if file.startswith(f"{cache}/netstack/") and archive is None:
        return "network stack (lwIP + sockets)"
    if archive == "libc.a" and file.startswith(f"{cache}/musl/"):
        return "musl libc"
    if archive == "libgcc.a":
        return "libgcc"
    if file.startswith(build_dir):
        return "application"
    return archive or Path(file).name


def sizes_by_origin(map_path: Path, build_dir: Path,
                    cache: Path | None = None) -> dict[str, tuple[int, int]]:
    """(bytes in the image, bytes of .bss) per origin, largest first."""
    cache_dir = str(cache if cache is not None else cache_root())
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    in_memory_map = False
    loaded = bss = False
    for line in map_path.read_text(errors="replace").splitlines():
        if not in_memory_map:
            in_memory_map = line.startswith("Linker script and memory map")
            continue
        if line and not line[0].isspace():
            loaded = not line.startswith(_NOT_LOADED) and not line.startswith("LOAD ")
            bss = line.startswith((".bss", ".tbss"))
            continue
        if not loaded:
            continue
        m = _INPUT.match(line)
        if m:
            out[origin(m.group(2).strip(), str(build_dir), cache_dir)][bss] += \
                int(m.group(1), 16)
    return {k: (v[0], v[1]) for k, v in sorted(out.items(), key=lambda kv: -sum(kv[1]))}
