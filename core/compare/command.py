"""`unik compare`: measure, then print the table and write compare.json and
compare.html (also after a failure of some pairs, and after Ctrl-C)."""

from __future__ import annotations

import shutil
import sys

from ..errors import UnikError
from ..plugins import PluginHost
from . import html, jsonout, machine, spec, table
from .results import MISSING, OK
from .session import Comparison, Options, compare

EXIT_OK = 0
EXIT_SOME_FAILED = 3        # the report is written; some pair did not build, run or check
EXIT_INTERRUPTED = 130


def list_programs() -> str:
    lines = []
    for p in spec.PROGRAMS.values():
        param = "no parameter" if p.param is None else f"{p.param_means} = {p.param}"
        needs = f" [needs {p.needs}]" if p.needs else ""
        lines.append(f"{p.name:<12} {p.summary} ({param}){needs}")
    return "\n".join(lines)


def failed(c: Comparison) -> list[str]:
    bad = []
    for p in c.pairs:
        for side in (p.unikernel, p.native):
            if side is not None and side.state not in (OK, MISSING, "interrupted"):
                bad.append(f"{p.lang}/{p.program}")
    return bad


def run(host: PluginHost, opts: Options) -> int:
    c = compare(host, opts)
    langs = sorted({p.lang for p in c.pairs})
    doc = jsonout.document(c, machine.info(), machine.toolchains(host, langs))
    out = opts.work_dir
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    print(table.render(c, width))
    try:
        jsonout.write(out / "compare.json", doc)
        html.write(out / "compare.html", html.render(c, doc))
    except OSError as e:
        raise UnikError(f"cannot write the report into {out}: {e.strerror or e}") from None
    print(f"wrote {out / 'compare.json'} and {out / 'compare.html'}")
    if c.interrupted:
        print("unik: interrupted: the report holds what was measured", file=sys.stderr)
        return EXIT_INTERRUPTED
    bad = failed(c)
    if bad:
        print(f"unik: {len(bad)} pair(s) failed: {', '.join(bad)}", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_OK
