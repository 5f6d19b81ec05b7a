"""Block I/O, side by side in one run: the same C program (pread/pwrite, 4 KiB
and 64 KiB requests, sequential and random) on /dev/xvda in the guest —
blkfront → blkback → a raw file — and as a Linux process on a regular file of
the same size (plain buffered Linux I/O). Interleaved rounds, best of each.
Goal: ≥ 0.8x native for 64 KiB sequential.

    python bench/block.py [--mib 64] [--repeat 3]        → bench/results/block.json
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_ok, table, unik_cmd, write_json  # noqa: E402

PROGRAM = Path(__file__).resolve().parent / "programs" / "blockio"


def parse(output: str) -> dict[str, float]:
    found = {m[0]: float(m[1]) for m in re.findall(r"mbps (\S+) ([\d.]+)", output)}
    if len(found) != 8:
        raise SystemExit(f"bench: unexpected output:\n{output}")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        d = Path(tmp)
        proj = d / "blockio"
        shutil.copytree(PROGRAM, proj)
        run_ok([*unik_cmd(), "build"], cwd=proj)
        image = proj / "_build" / "blockio.unik"
        exe = d / "blockio-native"
        run_ok(["gcc", "-O2", "-o", str(exe), str(PROGRAM / "main.c")])
        size = f"{args.mib + 1}M"
        guest_disk, native_file = d / "guest.img", d / "native.img"
        best: dict[str, dict[str, float]] = {"native": {}, "runner": {}}
        for _ in range(args.repeat):
            for f in (guest_disk, native_file):
                f.unlink(missing_ok=True)
            run_ok(["truncate", "-s", size, str(native_file)])
            native = parse(run_ok([str(exe), str(native_file), str(args.mib)]).stdout)
            proc = subprocess.run([*unik_cmd(), "run", str(image), "--disk", str(guest_disk),
                                   "--disk-size", size, "--", "/dev/xvda", str(args.mib)],
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                  timeout=600)
            if proc.returncode != 0:
                raise SystemExit(f"bench: the guest failed:\n{proc.stdout}{proc.stderr}")
            guest = parse(proc.stdout)
            for col, vals in (("native", native), ("runner", guest)):
                for k, v in vals.items():
                    best[col][k] = max(best[col].get(k, 0.0), v)
    rows = [("test", "native MB/s", "unik runner MB/s (ratio)")]
    for k in best["native"]:
        n, g = best["native"][k], best["runner"][k]
        rows.append((k, f"{n:.0f}", f"{g:.0f} ({g / n:.2f}x)"))
    print(table(rows))
    res = {"mib": args.mib, "repeat": args.repeat, **best,
           "ratio": {k: best["runner"][k] / best["native"][k] for k in best["native"]}}
    print(f"wrote {write_json('block', res)}")


if __name__ == "__main__":
    main()
