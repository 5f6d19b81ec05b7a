"""Console throughput, side by side in one run: a program writing 10 MB to stdout
in 4 KiB and in line-sized (61-byte) write(2) calls, as a unik guest on the runner
(KVM) and as a native process, both into a pipe that this script drains.

Two measures, best of --repeat interleaved rounds each:
- "writes": the program's own clock around its write loop (what the program waits);
- "end to end": from the program's first write (its wall clock, which the runner
  keeps on the host's) to the last byte arriving here, at the pipe's reader.
Goal on the runner: ≥ 0.9× the native process, ≥ 500 MB/s.

    python bench/console.py [--mb 10] [--repeat 5]     → bench/results/console.json
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_ok, table, unik_cmd, write_json  # noqa: E402

PROGRAM = Path(__file__).resolve().parent / "programs" / "console"
CHUNKS = {"4 KiB writes": 4096, "line-sized writes (61 B)": 61}


def once(cmd: list[str], total: int, chunk: int) -> tuple[float, float]:
    """(seconds the write loop took by the program's clock, seconds from its
    first write (its wall clock) to the last byte read here)."""
    proc = subprocess.Popen([*cmd, str(total), str(chunk)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    got, last = 0, 0
    while chunk_ := os.read(proc.stdout.fileno(), 1 << 20):
        got += len(chunk_)
        if got >= total:
            last = time.time_ns()
    err = proc.stderr.read()
    proc.wait()
    if proc.returncode != 0 or got != total:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}, "
                         f"{got} bytes):\n{err.decode()[-500:]}")
    m = re.search(rb"console_ns (\d+) start_wall_ns (\d+)", err)
    if not m:
        raise SystemExit(f"bench: no console_ns from {cmd[0]}")
    return int(m.group(1)) / 1e9, (last - int(m.group(2))) / 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    total = int(args.mb * 1e6)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        proj = d / "console"
        shutil.copytree(PROGRAM, proj)
        run_ok([*unik_cmd(), "build"], cwd=proj)
        image = proj / "_build" / "console.unik"
        exe = d / "console-native"
        run_ok(["gcc", "-O2", "-o", str(exe), str(PROGRAM / "main.c")])
        cmds = {"native": [str(exe)],
                "runner-kvm": [*unik_cmd(), "run", "--cpu", "kvm", str(image), "--"]}
        best: dict[tuple[str, str, str], float] = {}
        for _ in range(args.repeat):
            for label, chunk in CHUNKS.items():
                for who, cmd in cmds.items():
                    loop, delivered = once(cmd, total, chunk)
                    for key, v in (("writes", loop), ("end to end", delivered)):
                        k = (label, who, key)
                        best[k] = min(best.get(k, v), v)
    rows = [("", "MB/s", "vs native into a pipe")]
    res: dict[str, object] = {"bytes": total, "repeat": args.repeat}
    for label in CHUNKS:
        for key in ("writes", "end to end"):
            nat = total / best[(label, "native", key)] / 1e6
            gst = total / best[(label, "runner-kvm", key)] / 1e6
            rows.append((f"{label}, {key}: native process", f"{nat:.0f}", "1.00x"))
            rows.append((f"{label}, {key}: unik runner-kvm", f"{gst:.0f}", f"{gst / nat:.2f}x"))
            res[f"{label} / {key}"] = {"native_mb_s": round(nat, 1), "guest_mb_s": round(gst, 1),
                                       "ratio": round(gst / nat, 3)}
    print(f"{args.mb:g} MB to stdout, best of {args.repeat}")
    print(table(rows))
    print(f"wrote {write_json('console', res)}")


if __name__ == "__main__":
    main()
