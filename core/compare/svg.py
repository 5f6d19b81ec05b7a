"""SVG charts drawn here, for the HTML report: one chart per metric, the
programs as groups, one bar per language (its median) with a whisker from
min to max. Drawn by hand rather than with a plotting library: the charts are
one simple kind, the report must be one self-contained file, and unik then
needs nothing more installed (matplotlib would bring numpy and friends)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from .metrics import Summary, fmt

# Okabe-Ito: colour-blind safe, prints well in grey.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]

ROW = 15
GAP = 9
LEFT = 170
RIGHT = 70
TOP = 48
WIDTH = 780


@dataclass
class Bar:
    group: str              # the program
    series: str             # the language
    value: Summary | None
    missing: str = ""       # why there is no value


class Scale:
    """Linear from 0, or log10 when the values span more than two decades."""

    def __init__(self, values: list[float]) -> None:
        pos = [v for v in values if v > 0]
        lo, hi = (min(pos), max(pos)) if pos else (1.0, 1.0)
        self.log = hi / lo > 100
        if self.log:
            self.lo = 10 ** math.floor(math.log10(lo))
            self.hi = 10 ** math.ceil(math.log10(hi))
            if self.hi == self.lo:
                self.hi *= 10
        else:
            self.lo = 0.0
            step = _nice_step(hi / 5 if hi > 0 else 1)
            self.hi = step * math.ceil(hi / step) if hi > 0 else 1.0
        self.x0, self.x1 = LEFT, WIDTH - RIGHT

    def __call__(self, v: float) -> float:
        if self.log:
            v = max(v, self.lo)
            t = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        else:
            t = v / self.hi if self.hi else 0
        return self.x0 + max(0.0, min(1.0, t)) * (self.x1 - self.x0)

    def ticks(self) -> list[float]:
        if self.log:
            n = round(math.log10(self.hi / self.lo))
            return [self.lo * 10 ** i for i in range(n + 1)]
        step = _nice_step(self.hi / 5)
        return [i * step for i in range(int(round(self.hi / step)) + 1)]


def _nice_step(raw: float) -> float:
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def chart(title: str, unit: str, bars: list[Bar], series: list[str],
          reference: float | None = None, integral: bool = False) -> str:
    """One metric: groups top to bottom in the order given, a bar per series;
    reference draws a dashed line at that value (1.0 for a ratio)."""
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    scale = Scale([v for b in bars if b.value for v in (b.value.min, b.value.max)])
    groups: list[str] = []
    for b in bars:
        if b.group not in groups:
            groups.append(b.group)
    rows = sum(len({b.series for b in bars if b.group == g}) for g in groups)
    height = TOP + rows * ROW + len(groups) * GAP + 34
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
           f'width="{WIDTH}" height="{height}" font-family="Helvetica, Arial, sans-serif" '
           'font-size="11" role="img">',
           f'<title>{escape(title)}</title>',
           f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}'
           f'{" (" + escape(unit) + ")" if unit else ""}'
           f'{", log scale" if scale.log else ""}</text>']
    # legend
    x = LEFT
    for s in series:
        out.append(f'<rect x="{x}" y="25" width="10" height="10" fill="{colour[s]}"/>'
                   f'<text x="{x + 14}" y="34">{escape(s)}</text>')
        x += 24 + 7 * len(s)
    plot_bottom = height - 30
    for t in scale.ticks():
        tx = scale(t)
        out.append(f'<line x1="{tx:.1f}" y1="{TOP - 4}" x2="{tx:.1f}" y2="{plot_bottom}" '
                   'stroke="#ddd"/>'
                   f'<text x="{tx:.1f}" y="{plot_bottom + 14}" text-anchor="middle" '
                   f'fill="#444">{t:,g}</text>')
    y = TOP
    for g in groups:
        members = [b for b in bars if b.group == g]
        gy = y
        for b in members:
            cy = y + ROW / 2
            out.append(f'<text x="{LEFT - 6}" y="{cy + 4:.1f}" text-anchor="end" '
                       f'fill="#333">{escape(b.series)}</text>')
            if b.value is None:
                out.append(f'<text x="{LEFT + 4}" y="{cy + 4:.1f}" fill="#999" '
                           f'font-style="italic">{escape(b.missing or "not measured")}</text>')
            else:
                v = b.value
                x0, xm = scale.x0, scale(v.median)
                tip = (f"{g} / {b.series}: median {fmt(v.median, integral)} {unit}, "
                       f"min {fmt(v.min, integral)}, max {fmt(v.max, integral)} "
                       f"({v.n} run{'s' if v.n != 1 else ''})")
                out.append(f'<g><title>{escape(tip)}</title>'
                           f'<rect x="{x0}" y="{y + 2}" width="{max(xm - x0, 1):.1f}" '
                           f'height="{ROW - 4}" fill="{colour[b.series]}" opacity="0.85"/>')
                if v.max > v.min:
                    a, c = scale(v.min), scale(v.max)
                    out.append(f'<path d="M{a:.1f} {cy:.1f}H{c:.1f}M{a:.1f} {cy - 4:.1f}'
                               f'v8M{c:.1f} {cy - 4:.1f}v8" stroke="#222" fill="none"/>')
                out.append(f'<text x="{scale(v.max) + 5:.1f}" y="{cy + 4:.1f}" '
                           f'fill="#222">{fmt(v.median, integral)}</text></g>')
            y += ROW
        out.append(f'<text x="8" y="{(gy + y) / 2 + 4:.1f}" font-weight="bold">'
                   f'{escape(g)}</text>')
        out.append(f'<line x1="8" y1="{y + GAP / 2:.1f}" x2="{WIDTH - 8}" '
                   f'y2="{y + GAP / 2:.1f}" stroke="#eee"/>')
        y += GAP
    out.append(f'<line x1="{LEFT}" y1="{TOP - 4}" x2="{LEFT}" y2="{plot_bottom}" '
               'stroke="#888"/>')
    if reference is not None:
        rx = scale(reference)
        out.append(f'<line x1="{rx:.1f}" y1="{TOP - 4}" x2="{rx:.1f}" y2="{plot_bottom}" '
                   'stroke="#b00" stroke-dasharray="4 3"/>')
    out.append("</svg>")
    return "\n".join(out)
