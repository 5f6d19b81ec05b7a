"""Density: how many C hello guests the runner holds booted at once, and what they cost.

Each guest gets the smallest memory it boots with (found first, by trying
sizes); N guests are booted one after the other in one process and all kept
(VM, vCPU and RAM stay allocated after their shutdown), then the process's
resident memory and open descriptors are read. The curve at 1, 10, 100, 1000.

    python bench/density.py [--counts 1,10,100,1000] [--cpu kvm]
                                  → prints a table, writes bench/results/density.json
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_ok, table, unik_cmd, write_json  # noqa: E402


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def kernel_kib() -> int:
    """Slab + page tables of the whole machine (KVM's per-VM kernel memory shows here)."""
    info = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        k, v = line.split(":", 1)
        info[k] = int(v.split()[0])
    return info.get("Slab", 0) + info.get("PageTables", 0) + info.get("KernelStack", 0)


def boot_one(img, ram_size: int, kind: str, sysobj):
    from unik.runner import Boot

    b = Boot(img, ram_size, b"", kind, sysobj, io.BytesIO(), False)
    b.run()
    return b


def smallest_memory(img, kind: str, sysobj) -> int:
    from unik.runner import builder

    size = builder.minimum_ram(img)
    while size <= 256 << 20:
        b = boot_one(img, size, kind, sysobj)
        ok = b.result.status == 0 and b.out.getvalue() == b"Hello, unik!\n"
        b.close()
        if ok:
            return size
        size += builder.LARGE
    raise SystemExit("bench: hello did not boot with up to 256 MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counts", default="1,10,100,1000")
    ap.add_argument("--cpu", default="kvm", choices=["kvm", "soft"])
    args = ap.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    from unik.runner import image as image_mod
    from unik.runner.kvmcpu import open_kvm

    with tempfile.TemporaryDirectory() as tmp:
        run_ok([*unik_cmd(), "new", "hello", "--lang", "c"], cwd=tmp)
        proj = Path(tmp) / "hello"
        run_ok([*unik_cmd(), "build"], cwd=proj)
        img = image_mod.load(proj / "_build" / "hello.unik")
    sysobj = open_kvm() if args.cpu == "kvm" else None
    size = smallest_memory(img, args.cpu, sysobj)

    held, rows, curve = [], [], []
    rss0, kern0, t0 = rss_kib(), kernel_kib(), time.perf_counter()
    for n in counts:
        while len(held) < n:
            b = boot_one(img, size, args.cpu, sysobj)
            if b.result.status != 0:
                raise SystemExit(f"bench: guest {len(held) + 1} failed: {b.result.status} "
                                 f"{b.result.message}")
            held.append(b)
        rss, kern = rss_kib() - rss0, kernel_kib() - kern0
        fds = len(os.listdir("/proc/self/fd"))
        elapsed = time.perf_counter() - t0
        point = {"guests": n, "rss_kib": rss, "kernel_kib": kern, "fds": fds,
                 "seconds": round(elapsed, 3)}
        curve.append(point)
        rows.append((f"{n} guests held", f"{(rss + kern) / 1024:.1f} MiB",
                     f"{(rss + kern) / n:.0f} KiB/guest (RSS {rss / n:.0f} + kernel "
                     f"{kern / n:.0f}); {fds} fds; all booted in {elapsed:.2f} s"))
    res = {"cpu": args.cpu, "memory_per_guest_mib": size >> 20, "curve": curve,
           "guest_pages_touched": held[0].result.pages}
    print(f"C hello on the runner ({args.cpu}), smallest memory that works: "
          f"{size >> 20} MiB per guest (guest RAM touched: {held[0].result.pages} pages)")
    print(table(rows))
    print(f"wrote {write_json('density', res)}")
    for b in held:
        b.close()


if __name__ == "__main__":
    main()
