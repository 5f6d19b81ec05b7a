"""Crash reports: the guest's registers, symbolised, with a stack scan.

Symbols come from `<image>.debug` beside the image when it exists (the
image itself is stripped), else from the image.
"""

from __future__ import annotations

from pathlib import Path

from ..image.symbols import Symbols, symbols_for
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


class Crash:
    def __init__(self, reason: str, regs: dict[str, int], cr2: int | None = None,
                 vector: int | None = None, error_code: int | None = None) -> None:
        self.reason = reason                    # one line: what happened
        self.regs = regs
        self.cr2, self.vector, self.error_code = cr2, vector, error_code


STACK_REACH = 64 * 1024         # a frame's writes land this close to rsp (a probe, a push)


def _stack_overflow(crash: Crash) -> bool:
    """A page fault on a not-present page right at the stack pointer: what
    running off the bottom of the stack into its guard pages looks like (a
    call's push, a frame's stores or stack probe)."""
    rsp = crash.regs.get("rsp")
    if crash.vector != 14 or crash.cr2 is None or rsp is None:
        return False
    not_present = crash.error_code is None or not crash.error_code & 1
    return not_present and rsp - STACK_REACH <= crash.cr2 < rsp + STACK_REACH


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
    if _stack_overflow(crash):
        lines.append("  a stack overflow: the fault is at the stack pointer, in unmapped memory "
                     "(the main stack: 1/16 of the guest's free RAM, 256 KiB to 8 MiB)")
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
