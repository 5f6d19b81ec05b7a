"""Checks an image must pass before it is written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..errors import UnikError
from ..toolchain import gcc

# objdump prints "<addr> <func>:" headers and "  addr:\tmnemonic ..." lines.
_FUNC = re.compile(r"^[0-9a-f]+ <(.+)>:$")
_SYSCALL = re.compile(r"^\s*([0-9a-f]+):\s+syscall\b")


def find_syscalls(image: Path) -> list[tuple[int, str]]:
    """(address, function) of every `syscall` instruction in the executable sections."""
    proc = subprocess.run([gcc.tool("objdump"), "-d", "--no-show-raw-insn", str(image)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise UnikError(f"objdump cannot read {image}: {proc.stderr.strip()}")
    found: list[tuple[int, str]] = []
    func = "?"
    for line in proc.stdout.splitlines():
        m = _FUNC.match(line)
        if m:
            func = m.group(1)
            continue
        m = _SYSCALL.match(line)
        if m:
            found.append((int(m.group(1), 16), func))
    return found


def check_no_syscall(image: Path) -> None:
    """Refuse an image holding a `syscall` instruction (docs/internals.md, "Guest image")."""
    found = find_syscalls(image)
    if found:
        where = ", ".join(f"{f}+{a:#x}" for a, f in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise UnikError(f"{image.name}: {len(found)} `syscall` instruction(s) in the image "
                        f"({where}{more}): a library OS makes system calls by function "
                        "call; rebuild the offending code against unik's musl")
