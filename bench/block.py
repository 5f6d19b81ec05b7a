"""Block I/O, side by side in one run: the same C program (pread/pwrite, 4 KiB
and 64 KiB requests, sequential and random) on /dev/xvda in the guest —
blkfront → blkback → a raw file — and as a Linux process on a regular file of
the same size (plain buffered Linux I/O). Interleaved rounds, best of each.
Goal: ≥ 0.8x native for 64 KiB sequential.

    python bench/block.py [--mib 64] [--repeat 3] [--baseline-image OLD.unik]
                                                         → bench/results/block.json

--baseline-image runs another build of the program (say, from an older
commit's guest core) in the same rounds, on the same runner: a before/after
A/B of the guest side.
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


def run_guest(image: Path, disk: Path, size: str, mib: int) -> dict[str, float]:
    proc = subprocess.run([*unik_cmd(), "run", str(image), "--disk", str(disk),
                           "--disk-size", size, "--", "/dev/xvda", str(mib)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    if proc.returncode != 0:
        raise SystemExit(f"bench: the guest failed:\n{proc.stdout}{proc.stderr}")
    return parse(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-image", type=Path,
                    help="also this build of bench/programs/blockio, in the same rounds")
    args = ap.parse_args()
    if args.baseline_image and not args.baseline_image.is_file():
        raise SystemExit(f"bench: no such image: {args.baseline_image}")
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
        images = {"runner": image}
        if args.baseline_image:
            images["baseline"] = args.baseline_image
        best: dict[str, dict[str, float]] = {"native": {}, **{col: {} for col in images}}
        for _ in range(args.repeat):
            run_ok(["truncate", "-s", size, str(native_file)])
            results = {"native": parse(run_ok([str(exe), str(native_file),
                                               str(args.mib)]).stdout)}
            native_file.unlink()
            for col, img in images.items():
                results[col] = run_guest(img, guest_disk, size, args.mib)
                guest_disk.unlink()
            for col, vals in results.items():
                for k, v in vals.items():
                    best[col][k] = max(best[col].get(k, 0.0), v)
    head = ("test", "native MB/s", "unik runner MB/s (ratio)"
            + (", baseline image" if args.baseline_image else ""))
    rows = [head]
    for k in best["native"]:
        n, g = best["native"][k], best["runner"][k]
        cell = f"{g:.0f} ({g / n:.2f}x)"
        if args.baseline_image:
            b = best["baseline"][k]
            cell += f", {b:.0f} ({b / n:.2f}x)"
        rows.append((k, f"{n:.0f}", cell))
    print(table(rows))
    res = {"mib": args.mib, "repeat": args.repeat, **best,
           "ratio": {k: best["runner"][k] / best["native"][k] for k in best["native"]}}
    print(f"wrote {write_json('block', res)}")


if __name__ == "__main__":
    main()
