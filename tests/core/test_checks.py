"""The image checks: a `syscall` is found, GHC's info tables are not code."""

from __future__ import annotations

import subprocess
from pathlib import Path

from unik.image import checks

# `real` holds a syscall; the 0f 05 bytes before `x_info` are data laid out
# the way GHC puts an info table in front of a closure's code.
ASM = """
    .text
    .globl real
real:
    nop
    syscall
    ret
    .skip 64, 0x90
    .p2align 4
    .byte 0x0e, 0x0f, 0x05, 0, 0, 0, 0, 0
    .quad 3
    .globl x_info
x_info:
    ret
"""


def test_syscall_found_and_ghc_info_table_ignored(tmp_path: Path):
    (tmp_path / "t.s").write_text(ASM)
    subprocess.run(["gcc", "-c", str(tmp_path / "t.s"), "-o", str(tmp_path / "t.o")],
                   check=True)
    sites = checks.find_syscalls(tmp_path / "t.o")
    assert [s.function for s in sites] == ["real"], sites
