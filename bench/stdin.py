"""stdin throughput, side by side in one run: a program counting the lines of
10 MB fed through a pipe (as `producer | wc -l`), reading with stdio (getc:
musl's 1 KiB buffer refills, each asking the host for 4 KiB) and with read(2) of
64 KiB, as a unik guest on the runner (KVM), under QEMU (stdin read whole up
front) and as a native process.

Two measures, best of --repeat interleaved rounds each:
- "reading": the program's own clock from its first read to end of file;
- "whole command": the wall time of the command, boot included, here.

    python bench/stdin.py [--mb 10] [--repeat 3]     → bench/results/stdin.json
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_ok, table, unik_cmd, write_json  # noqa: E402

PROGRAM = Path(__file__).resolve().parent / "programs" / "stdin"
MODES = {"stdio (getc)": "stdio", "read(2) 64 KiB": "read"}


def _payload(total: int) -> bytes:
    line = b"the quick brown fox jumps over the lazy dog 0123456789\n"
    return (line * (total // len(line) + 1))[:total]


def once(cmd: list[str], data: bytes) -> tuple[float, float]:
    """(seconds reading by the program's clock, seconds for the whole command)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stderr is not None

    def feed() -> None:
        try:
            proc.stdin.write(data)
            proc.stdin.close()
        except BrokenPipeError:
            pass

    t = threading.Thread(target=feed)
    t.start()
    err = proc.stderr.read()
    proc.wait()
    t.join()
    whole = time.perf_counter() - t0
    m = re.search(rb"lines (\d+) bytes (\d+) stdin_ns (\d+)", err)
    if proc.returncode != 0 or not m or int(m.group(2)) != len(data):
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n"
                         f"{err.decode(errors='replace')[-500:]}")
    return int(m.group(3)) / 1e9, whole


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-qemu", action="store_true", help="leave QEMU out")
    args = ap.parse_args()
    data = _payload(int(args.mb * 1e6))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        proj = d / "stdin"
        shutil.copytree(PROGRAM, proj)
        run_ok([*unik_cmd(), "build"], cwd=proj)
        image = proj / "_build" / "stdin.unik"
        exe = d / "stdin-native"
        run_ok(["gcc", "-O2", "-o", str(exe), str(PROGRAM / "main.c")])
        who = {"native process": lambda m: [str(exe), m],
               "unik runner-kvm": lambda m: [*unik_cmd(), "run", "--cpu", "kvm", str(image),
                                             "--", m]}
        if not args.no_qemu and shutil.which("qemu-system-x86_64"):
            who["unik qemu"] = lambda m: [*unik_cmd(), "run", "--host", "qemu", str(image),
                                          "--", m]
        best: dict[tuple[str, str, str], float] = {}
        for _ in range(args.repeat):
            for label, mode in MODES.items():
                for name, cmd in who.items():
                    for key, v in zip(("reading", "whole command"), once(cmd(mode), data),
                                      strict=True):
                        k = (label, name, key)
                        best[k] = min(best.get(k, v), v)
    total = len(data)
    rows = [("", "MB/s", "vs native")]
    res: dict[str, object] = {"bytes": total, "repeat": args.repeat}
    for label in MODES:
        for key in ("reading", "whole command"):
            nat = total / best[(label, "native process", key)] / 1e6
            for name in who:
                v = total / best[(label, name, key)] / 1e6
                rows.append((f"{label}, {key}: {name}", f"{v:.0f}", f"{v / nat:.2f}x"))
                res[f"{label} / {key} / {name}"] = {"mb_s": round(v, 1),
                                                     "ratio": round(v / nat, 3)}
    print(f"{args.mb:g} MB through a pipe into stdin, best of {args.repeat}")
    print(table(rows))
    print(f"wrote {write_json('stdin', res)}")


if __name__ == "__main__":
    main()
