"""compare.json: the options, the machine, every toolchain's version, the
programs' specification, every pair with its raw runs, and the summaries."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ..api import find_tool
from . import metrics as M
from . import spec
from .session import Comparison

FORMAT = 1


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def document(c: Comparison, machine: dict[str, Any],
             toolchains: dict[str, Any]) -> dict[str, Any]:
    o = c.options
    core = {"gcc": find_tool("gcc", "apt-get install -y gcc").version}
    if o.host == "qemu":
        core["qemu"] = find_tool("qemu-system-x86_64", "apt-get install -y qemu-system-x86").version
    pairs = []
    for p in c.pairs:
        d = p.to_json()
        d["summary"] = {m.key: vars(s) | {"unit": m.unit}
                        for m in M.METRICS if (s := M.summary(m, p)) is not None}
        pairs.append(d)
    return {
        "format": FORMAT,
        "started": _iso(c.started), "finished": _iso(c.finished or time.time()),
        "interrupted": c.interrupted,
        "options": {"langs": o.langs, "programs": o.programs, "repeat": o.repeat,
                    "host": o.host, "cpu": o.cpu, "native": o.native, "timeout_s": o.timeout,
                    "qemu_accel": c.accel or None},
        "machine": machine,
        "toolchains": {"core": core, **toolchains},
        "programs": {p.name: {"summary": p.summary, "param": p.param,
                              "param_means": p.param_means, "timed": p.timed,
                              "needs": p.needs or None, "expected": p.expected()}
                     for p in spec.PROGRAMS.values()},
        "metrics": {m.key: {"label": m.label, "unit": m.unit, "side": m.side,
                            "about": m.about} for m in M.METRICS},
        "notes": c.notes,
        "pairs": pairs,
    }


def write(path: Path, doc: dict[str, Any]) -> None:
    """Written whole or not at all (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
