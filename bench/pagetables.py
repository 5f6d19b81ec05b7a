"""Page-table updates on the runner, side by side in one run: what one
mmu_update batch costs the guest (hypercall exit, Xen's checks, and on KVM the
ring-0 stub that makes the stores), for batches of 1, 8, 32 and 63 entries, next
to a bare hypercall round trip (xen_version). The runner's bare test guest
(tests/runner/guests) does the work: `ptbatch N K` maps N pages K times.

Rounds are interleaved and the best of N is kept: the machine is shared.

    python bench/pagetables.py [--rounds N] [--cpu kvm|soft]
        → a table, bench/results/pagetables.json
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "runner" / "guests"))
from _common import table, write_json  # noqa: E402

SIZES = (1, 8, 32, 63)
BATCHES = 200


def guest_ns(image: Path, cmdline: str, cpu: str, key: str) -> int:
    from unik import runner
    out = io.BytesIO()
    status = runner.run(image, cmdline=cmdline, cpu=cpu, out=out, err=io.BytesIO())
    text = out.getvalue().decode()
    m = re.search(rf"{key} (\d+)", text)
    if status != 0 or not m:
        raise SystemExit(f"bench/pagetables.py: `{cmdline}` failed ({status}): {text!r}")
    return int(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cpu", default="kvm", choices=("kvm", "soft"))
    args = ap.parse_args()
    import build as guest_build
    with tempfile.TemporaryDirectory() as d:
        image = guest_build.build(Path(d) / "guest.unik")
        best: dict[str, float] = {}
        for _ in range(args.rounds):
            us = guest_ns(image, f"hcloop {BATCHES}", args.cpu, "hypercall_ns") / BATCHES / 1e3
            best["hypercall"] = min(best.get("hypercall", us), us)
            for n in SIZES:
                us = guest_ns(image, f"ptbatch {n} {BATCHES}", args.cpu, "ptbatch_ns")
                us = us / BATCHES / 1e3
                best[f"batch{n}"] = min(best.get(f"batch{n}", us), us)
    rows = [("what", "µs (best)", "vs a bare hypercall"),
            ("xen_version round trip", f"{best['hypercall']:.1f}", "1.00x")]
    for n in SIZES:
        b = best[f"batch{n}"]
        rows.append((f"mmu_update batch of {n}", f"{b:.1f}", f"{b / best['hypercall']:.2f}x"))
    print(table(rows))
    path = write_json("pagetables", {"cpu": args.cpu, "rounds": args.rounds,
                                     "best_us": {k: round(v, 2) for k, v in best.items()}})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
