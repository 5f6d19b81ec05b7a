"""Crash reports: the guest's registers, symbolised, with a stack scan.

Symbols come from `<image>.debug` beside the image when it exists (the
image itself is stripped), else from the image.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from pathlib import Path

from .memory import GuestFault, GuestMemory

VECTORS = {0: "#DE divide error", 1: "#DB debug", 2: "NMI", 3: "#BP breakpoint",
           4: "#OF overflow", 5: "#BR bound range", 6: "#UD invalid opcode",
           7: "#NM device not available", 8: "#DF double fault", 10: "#TS invalid TSS",
           11: "#NP segment not present", 12: "#SS stack fault",
           13: "#GP general protection", 14: "#PF page fault", 16: "#MF x87 error",
           17: "#AC alignment check", 18: "#MC machine check", 19: "#XM SIMD exception",
           20: "#VE virtualization exception", 21: "#CP control protection"}

REGS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11",
        "r12", "r13", "r14", "r15", "rip", "rflags")


@dataclass
class Crash:
    reason: str                      # one line: what happened
    regs: dict[str, int]
    cr2: int | None = None
    vector: int | None = None
    error_code: int | None = None


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
def symbols_for(image: Path) -> Symbols:
    debug = image.with_name(image.name + ".debug")
    return Symbols(debug if debug.exists() else image)


def report(crash: Crash, mem: GuestMemory | None, image: Path | None) -> str:
    syms = symbols_for(image) if image else Symbols(None)
    r = crash.regs
    lines = [f"unik: guest crashed: {crash.reason}"]
    rip = r.get("rip", 0)
    where = syms.lookup(rip)
    lines.append(f"  rip {rip:#018x}{'  ' + where if where else ''}")
    if crash.cr2 is not None and crash.vector == 14:
        lines.append(f"  cr2 {crash.cr2:#018x}  (faulting address)")
    if crash.error_code is not None:
        lines.append(f"  error code {crash.error_code:#x}")
    names = [n for n in REGS if n in r and n != "rip"]
    for i in range(0, len(names), 3):
        lines.append("  " + "  ".join(f"{n:>6} {r[n]:#018x}" for n in names[i:i + 3]))
    if mem is not None and syms.text and "rsp" in r:
        frames = []
        sp = r["rsp"]
        for i in range(512):
            try:
                v = mem.u64(sp + 8 * i)
            except GuestFault:
                break
            if syms.in_text(v):
                name = syms.lookup(v)
                if name:
                    frames.append(f"    ? {v:#018x}  {name}")
            if len(frames) >= 16:
                break
        if frames:
            lines.append("  stack (return addresses found on the stack, newest first):")
            lines += frames
    return "\n".join(lines)
