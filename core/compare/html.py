"""The HTML report: one self-contained file (inline CSS and SVG, no script,
no fetched font) with the machine, the table, a chart per metric, the
failures with their reasons and output, and compare.json embedded whole."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from . import metrics as M
from . import spec, svg
from .results import OK, Pair
from .session import Comparison

CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: right;
         vertical-align: top; }
th { background: #f5f5f5; } td.l, th.l { text-align: left; }
td.bad { color: #b00; text-align: left; } .range { color: #777; font-size: 0.9em; }
.note { color: #555; } figure { margin: 1.5em 0; } figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.5em; overflow-x: auto; font-size: 0.8em; }
.warn { background: #fff3cd; padding: 0.5em 1em; border-left: 4px solid #e0a800; }
"""


def _state(p: Pair) -> str:
    u = p.unikernel
    return "" if u.state == OK else f"{u.state}{': ' + u.reason if u.reason else ''}"


def _cell(s: M.Summary | None, integral: bool) -> str:
    if s is None:
        return "–"
    if s.min == s.max:
        return M.fmt(s.median, integral)
    return (f"{M.fmt(s.median, integral)}<br><span class=range>{M.fmt(s.min, integral)}–"
            f"{M.fmt(s.max, integral)}</span>")


def _table(c: Comparison, cols: list[M.Metric]) -> str:
    head = "".join(f"<th>{escape(m.label)}<br><span class=range>{escape(m.unit)}</span></th>"
                   for m in cols)
    rows = []
    for p in c.pairs:
        why = _state(p)
        cells = (f'<td class=bad colspan="{len(cols)}">{escape(why)}</td>' if why else
                 "".join(f"<td>{_cell(M.summary(m, p), m.integral)}</td>" for m in cols))
        rows.append(f"<tr><td class=l>{escape(p.program)}</td><td class=l>{escape(p.lang)}"
                    f"</td>{cells}</tr>")
    return (f"<table><tr><th class=l>program</th><th class=l>language</th>{head}</tr>"
            + "\n".join(rows) + "</table>")


def _charts(c: Comparison, cols: list[M.Metric]) -> str:
    langs = sorted({p.lang for p in c.pairs})
    out = []
    for m in cols:
        bars = []
        for p in c.pairs:
            side = p.native if m.side in ("native", "ratio") else p.unikernel
            if p.unikernel.state != OK:     # no image, or it failed: say so everywhere
                side = p.unikernel
            why = "" if side is None or side.state == OK else side.state
            bars.append(svg.Bar(p.program, p.lang, M.summary(m, p),
                                missing=why or "not measured"))
        ref = 1.0 if m.side == "ratio" else None
        plot = svg.chart(m.label, m.unit, bars, langs, ref, m.integral)
        out.append(f"<figure id=\"{m.key}\">{plot}"
                   f"<figcaption>{escape(m.about)}</figcaption></figure>")
    return "\n".join(out)


def _failures(c: Comparison) -> str:
    items = []
    for p in c.pairs:
        for what, side in (("unikernel", p.unikernel), ("native", p.native)):
            if side is None or side.state in (OK, "missing"):
                continue
            out = (f"<pre>{escape(side.check_output)}</pre>" if side.check_output else "")
            items.append(f"<li><b>{escape(p.lang)}/{escape(p.program)}</b> ({what}): "
                         f"{escape(side.state)} — {escape(side.reason)}{out}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else "<p>None.</p>"


def _programs() -> str:
    rows = "".join(
        f"<tr><td class=l>{escape(p.name)}</td><td class=l>{escape(p.summary)}</td>"
        f"<td>{escape(p.cmdline or '–')}</td><td class=l>{escape(p.param_means)}</td>"
        f"<td class=l><pre>{escape(p.expected())}</pre></td></tr>"
        for p in spec.PROGRAMS.values())
    return ("<table><tr><th class=l>program</th><th class=l>computes</th><th>parameter</th>"
            f"<th class=l>meaning</th><th class=l>expected output</th></tr>{rows}</table>")


def _kv(d: dict[str, Any]) -> str:
    return "<table>" + "".join(f"<tr><th class=l>{escape(str(k))}</th><td class=l>"
                               f"{escape(str(v))}</td></tr>" for k, v in d.items()) + "</table>"


def _tools(doc: dict[str, Any]) -> str:
    rows = []
    for lang, entry in doc["toolchains"].items():
        if lang == "core":
            for k, v in entry.items():
                rows.append(f"<tr><td class=l>core</td><td class=l>{escape(k)}</td>"
                            f"<td class=l>{escape(v)}</td></tr>")
            continue
        for t in entry.get("tools", []):
            rows.append(f"<tr><td class=l>{escape(lang)} ({escape(entry.get('plugin', ''))} "
                        f"{escape(entry.get('plugin_version', ''))})</td><td class=l>"
                        f"{escape(t['name'])}</td><td class=l>{escape(t['version'] or '')}</td>"
                        "</tr>")
    return ("<table><tr><th class=l>who</th><th class=l>tool</th><th class=l>version</th></tr>"
            + "".join(rows) + "</table>")


def render(c: Comparison, doc: dict[str, Any]) -> str:
    cols = M.shown(M.METRICS, c.pairs)
    o = c.options
    where = "QEMU (-M microvm, -accel " + (c.accel or "?") + ")" if o.host == "qemu" else \
        "the embedded runner"
    warn = ('<p class=warn>Interrupted: these are partial results.</p>'
            if c.interrupted else "")
    notes = "".join(f"<li>{escape(n)}</li>" for n in c.notes)
    # No "<" at all inside the script element: guest output cannot end or confuse it.
    data = json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>unik compare — {escape(doc['started'])}</title>
<style>{CSS}</style></head><body>
<h1>unik compare</h1>
<p class=note>The same programs in every language, built as unikernels on one runtime and
booted on {escape(where)}; {o.repeat} run{'s' if o.repeat != 1 else ''} per pair in
interleaved rounds; each implementation's output checked against the specification.
{escape(doc['started'])} – {escape(doc['finished'])}.</p>
{warn}
{f'<ul class=note>{notes}</ul>' if notes else ''}
<h2>Results</h2>
<p class=note>Median, and under it min–max over the runs.</p>
{_table(c, cols)}
<h2>Charts</h2>
<p class=note>Bars are medians, whiskers min–max. Hover a bar for its numbers.</p>
{_charts(c, cols)}
<h2>Failures</h2>
{_failures(c)}
<h2>Programs</h2>
{_programs()}
<h2>Machine</h2>
{_kv(doc['machine'])}
<h2>Toolchains</h2>
{_tools(doc)}
<h2>Reproduce</h2>
<pre>unik compare --repeat {o.repeat} --host {escape(o.host)}{' --native' if o.native else ''}"""\
        f"""{''.join(' --lang ' + escape(x) for x in o.langs or [])}"""\
        f"""{''.join(' --program ' + escape(x) for x in o.programs or [])}</pre>
<script type="application/json" id="compare-json">{data}</script>
</body></html>
"""


def write(path: Path, text: str) -> None:
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
