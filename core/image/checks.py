"""Checks an image must pass before it is written."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import NamedTuple

from ..errors import UnikError
from ..toolchain import gcc

# To Xen PV `syscall` means "hypercall"; on a nested KVM it is emulated ~1000x
# slower at CPL0; sysenter is its 32-bit twin. A library OS needs neither.
MNEMONICS = frozenset({"syscall", "sysenter"})
_INSN = re.compile(r"^\s*([0-9a-f]+):\s+(.*)$")
_LABEL = re.compile(r"^([0-9a-f]+) <(.+)>:$")
# GHC puts each closure's info table (data) just before its code, at the
# `*_info` symbol; objdump decodes those words as instructions and can meet
# 0f 05 there. Such a table is at most this many bytes (header, SRT, arity,
# bitmap): a "syscall" that close before an `_info` symbol is data, not code.
GHC_INFO_TABLE_MAX = 48


class Site(NamedTuple):
    member: str         # the file, or the archive member, holding it
    function: str
    address: int


def find_syscalls(obj: Path) -> list[Site]:
    """Every syscall/sysenter instruction in an object, archive or image."""
    proc = subprocess.Popen([gcc.tool("objdump"), "-d", "--no-show-raw-insn", str(obj)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "LC_ALL": "C"})
    assert proc.stdout is not None and proc.stderr is not None
    sites: list[Site] = []
    member, func = obj.name, "?"
    for line in proc.stdout:
        if "file format" in line:
            member = line.split(":", 1)[0].strip()
        elif line.endswith(">:\n"):
            func = line[line.index("<") + 1:-3]
            label = _LABEL.match(line.rstrip("\n"))
            if label and func.endswith("_info") and sites:
                start = int(label.group(1), 16)
                sites = [s for s in sites if s.member != member or not
                         start - GHC_INFO_TABLE_MAX <= s.address < start]
        elif m := _INSN.match(line):
            words = [w for w in m.group(2).split() if not w.startswith("rex")]
            if words and words[0] in MNEMONICS:
                sites.append(Site(member, func, int(m.group(1), 16)))
    stderr = proc.stderr.read()
    if proc.wait() != 0:
        last = stderr.strip().splitlines()[-1:] or ["(no message)"]
        raise UnikError(f"objdump cannot read {obj}: {last[0]}")
    return sites


def check_no_syscall(image: Path) -> None:
    """Refuse an image holding a `syscall` instruction (docs/internals.md, "Guest image")."""
    found = find_syscalls(image)
    if found:
        where = ", ".join(f"{s.function}+{s.address:#x}" for s in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise UnikError(f"{image.name}: {len(found)} `syscall` instruction(s) in the image "
                        f"({where}{more}): a library OS makes system calls by function "
                        "call; rebuild the offending code against unik's musl")
