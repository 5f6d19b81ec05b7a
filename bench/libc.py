"""libc hot paths, side by side in one run: the same C program (bench/programs/libc)
as a unik guest on the runner (KVM), as a glibc process and as a static musl process
(musl-gcc, from Debian's musl-tools, when installed): binary trees (malloc/free),
a hash table with 10^6 inserts, qsort of 10^6 ints, string building. Each program
times itself; best of --repeat interleaved rounds. Goal: the guest >= 0.95x glibc.

    python bench/libc.py [--repeat 3] [--memory 1024] [--only strings,hash]
                                                  → bench/results/libc.json

The guest's rows also give the guest pages the host populated (`unik run
--stats`: first touches, which cost a guest far more than a process; with huge
pages a touched 2 MiB counts 512), the same in every round.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_ok, table, unik_cmd, write_json  # noqa: E402

PROGRAM = Path(__file__).resolve().parent / "programs" / "libc"
TESTS = {"trees": ("binary trees, depth 16", 16), "hash": ("hash table, 10^6 inserts", 1000000),
         "qsort": ("qsort, 10^6 ints", 1000000), "strings": ("string building, 10^6", 1000000)}


def once(cmd: list[str], test: str, n: int, pages: dict[str, int]) -> float:
    proc = subprocess.run([*cmd, test, str(n)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=900)
    m = re.search(rf"{test}_ns (\d+) check (-?\d+)", proc.stdout)
    if proc.returncode != 0 or not m:
        raise SystemExit(f"bench: {' '.join(cmd)} {test} failed ({proc.returncode}):\n"
                         f"{proc.stdout[-300:]}{proc.stderr[-500:]}")
    touched = re.search(r"guest pages touched (\d+)", proc.stderr)
    if touched:
        pages[test] = int(touched.group(1))
    return int(m.group(1)) / 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory", type=int, default=1024, help="guest RAM, MiB")
    ap.add_argument("--only", default="", help=f"comma-separated tests ({', '.join(TESTS)})")
    args = ap.parse_args()
    unknown = set(args.only.split(",")) - set(TESTS) - {""}
    if unknown:
        raise SystemExit(f"bench: unknown test {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(TESTS)})")
    tests = {t: TESTS[t] for t in args.only.split(",") if t} if args.only else TESTS
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        proj = d / "libc"
        shutil.copytree(PROGRAM, proj)
        run_ok([*unik_cmd(), "build"], cwd=proj)
        image = proj / "_build" / "libc.unik"
        glibc = d / "libc-glibc"
        run_ok(["gcc", "-O2", "-o", str(glibc), str(PROGRAM / "main.c")])
        cmds = {"unik runner-kvm": [*unik_cmd(), "run", "--stats", "--cpu", "kvm", "--memory",
                                    str(args.memory), str(image), "--"],
                "glibc process": [str(glibc)]}
        if shutil.which("musl-gcc"):
            musl = d / "libc-musl"
            run_ok(["musl-gcc", "-O2", "-static", "-o", str(musl), str(PROGRAM / "main.c")])
            cmds["static musl process"] = [str(musl)]
        else:
            print("bench: musl-gcc not found (apt-get install -y musl-tools): "
                  "no static musl column", file=sys.stderr)
        best: dict[tuple[str, str], float] = {}
        pages: dict[str, int] = {}
        for _ in range(args.repeat):
            for test, (_, n) in tests.items():
                for who, cmd in cmds.items():
                    t = once(cmd, test, n, pages)
                    best[(test, who)] = min(best.get((test, who), t), t)
    rows = [("", "time", "glibc time / this")]
    res: dict[str, object] = {"repeat": args.repeat, "guest_memory_mib": args.memory,
                              "load_average": round(os.getloadavg()[0], 2)}
    for test, (label, _) in tests.items():
        base = best[(test, "glibc process")]
        entry: dict[str, object] = {}
        for who in cmds:
            t = best[(test, who)]
            guest = who.startswith("unik")
            touched = f"  ({pages[test]:,} guest pages touched)" if guest and test in pages else ""
            rows.append((f"{label}: {who}", f"{t * 1000:.0f} ms", f"{base / t:.2f}x{touched}"))
            entry[who] = {"ms": round(t * 1000, 1), "speed_vs_glibc": round(base / t, 3)}
            if guest and test in pages:
                entry[who]["pages_touched"] = pages[test]          # type: ignore[index]
        res[test] = entry
    print(f"best of {args.repeat} interleaved rounds (speed relative to glibc: higher is faster); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(table(rows))
    print(f"wrote {write_json('libc', res)}")


if __name__ == "__main__":
    main()
