"""An implementation's output against the specification: the exact lines,
plus one `compute_ns N` line (required when the program is timed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .spec import Program

_COMPUTE = re.compile(r"^compute_ns (\d+)$")


@dataclass
class Checked:
    ok: bool
    reason: str = ""
    compute_ns: int | None = None


def _show(line: str | None) -> str:
    if line is None:
        return "nothing"
    return repr(line if len(line) <= 60 else line[:57] + "...")


def check(program: Program, output: str, param: int | None = None) -> Checked:
    lines = [ln.rstrip("\r ") for ln in output.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    compute = [m for m in (_COMPUTE.match(ln) for ln in lines) if m]
    rest = [ln for ln in lines if not _COMPUTE.match(ln)]
    want = program.expected(param).rstrip("\n").split("\n")
    for i in range(max(len(want), len(rest))):
        w = want[i] if i < len(want) else None
        g = rest[i] if i < len(rest) else None
        if w != g:
            return Checked(False, f"line {i + 1}: expected {_show(w)}, got {_show(g)}")
    if len(compute) > 1:
        return Checked(False, "more than one compute_ns line")
    ns = int(compute[0].group(1)) if compute else None
    if program.timed and ns is None:
        return Checked(False, "no `compute_ns N` line (the time of its kernel of work)")
    return Checked(True, compute_ns=ns)
