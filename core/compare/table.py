"""The terminal table: one row per (program, language), each metric as
median (min–max) over the runs; a pair that did not work shows why."""

from __future__ import annotations

from . import metrics as M
from .results import OK, Pair
from .session import Comparison


def _status(p: Pair) -> str:
    u = p.unikernel
    if u.state != OK:
        return f"{u.state}: {u.reason}" if u.reason else u.state
    if p.native is not None and p.native.state != OK:
        return f"native {p.native.state}" + (f": {p.native.reason}" if p.native.reason else "")
    return ""


# Left out first, in this order, when the table is wider than the terminal.
DROP_ORDER = ["native_wall_ns", "debug_bytes", "first_byte_ns", "native_memory_bytes",
              "hypercalls"]


def render(c: Comparison, width: int | None = None) -> str:
    """The table; width (a terminal's) leaves out minor columns until it fits."""
    cols = M.shown(M.METRICS, c.pairs)
    dropped: list[str] = []
    for key in DROP_ORDER:
        if width is None or _render(c, cols)[1] <= width:
            break
        if any(m.key == key for m in cols):
            cols = [m for m in cols if m.key != key]
            dropped.append(M.BY_KEY[key].label)
    text = _render(c, cols)[0]
    if dropped:
        text += f"\nleft out for the terminal's width (see compare.html): {', '.join(dropped)}"
    return text


def _render(c: Comparison, cols: list[M.Metric]) -> tuple[str, int]:
    head = ["program", "lang", *(f"{m.label} {m.unit}".strip() for m in cols)]
    rows: list[list[str]] = []
    notes: list[tuple[int, str]] = []
    for p in c.pairs:
        rows.append([p.program, p.lang, *(M.cell(M.summary(m, p), m.integral) for m in cols)])
        why = _status(p)
        if why:
            notes.append((len(rows) - 1, why))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(r: list[str]) -> str:
        return "  ".join(x.ljust(w) if i < 2 else x.rjust(w)
                         for i, (x, w) in enumerate(zip(r, widths, strict=False))).rstrip()

    out = [line(head), line(["-" * w for w in widths])]
    table_width = len(out[0])
    last = None
    by_row = dict(notes)
    for i, r in enumerate(rows):
        if last is not None and r[0] != last:
            out.append("")
        shown = [r[0] if r[0] != last else "", *r[1:]]
        last = r[0]
        if i in by_row and c.pairs[i].unikernel.state != OK:
            # the reason replaces the cells: one line, however long
            out.append(line(shown[:2]).ljust(widths[0] + widths[1] + 4) + by_row[i])
        elif i in by_row:
            out.append(line(shown) + "   " + by_row[i])
        else:
            out.append(line(shown))
    n = c.options.repeat
    out.append("")
    out.append(f"median (min–max) of {n} run{'s' if n != 1 else ''} per pair on "
               f"{'QEMU' if c.options.host == 'qemu' else 'the runner'}; '-': not measured"
               + ("; vs native: fastest run over fastest native run"
                  if any(m.key == "compute_vs_native" for m in cols) else "")
               + ("; INTERRUPTED: partial results" if c.interrupted else ""))
    return "\n".join(out), table_width
