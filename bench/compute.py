"""Compute speed, side by side in one run: the C fib benchmark inside the guest
(runner on KVM, runner's software CPU, QEMU TCG) vs the same source compiled by
gcc as a native Linux process, in interleaved rounds, best of each. The guest
times itself (`compute_ns` line), so boot cost is excluded. Goal on the runner
with KVM: ≥ 0.95× native.

    python bench/compute.py [--n 36] [--repeat 7] [--hosts runner-kvm,qemu]
                                                        → bench/results/compute.json
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

FIB = Path(__file__).resolve().parents[1] / "core" / "lang_c" / "bench" / "fib"
HOSTS = {
    "runner-kvm": ["--host", "runner", "--cpu", "kvm"],
    "runner-soft": ["--host", "runner", "--cpu", "soft"],
    "qemu": ["--host", "qemu"],
}


def compute_ns(output: str) -> int:
    m = re.search(r"compute_ns (\d+)", output)
    if not m:
        raise SystemExit(f"bench: no compute_ns in output:\n{output}")
    return int(m.group(1))


def build_native(d: Path) -> Path:
    exe = d / "fib-native"
    run_ok(["gcc", "-O2", "-g", "-fno-pic", "-no-pie", "-static", "-o", str(exe),
            str(FIB / "main.c")])
    return exe


def native_once(exe: Path, n: int) -> int:
    return compute_ns(run_ok([str(exe), str(n)]).stdout)


def guest_once(image: Path, host: str, n: int) -> int | None:
    proc = subprocess.run([*unik_cmd(), "run", *HOSTS[host], str(image), "--", str(n)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    if proc.returncode != 0:
        print(f"bench: {host} failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return compute_ns(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=36)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--hosts", default="runner-kvm,qemu")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        proj = d / "fib"
        shutil.copytree(FIB, proj)
        run_ok([*unik_cmd(), "build"], cwd=proj)
        image = proj / "_build" / "fib.unik"
        exe = build_native(d)
        hosts = args.hosts.split(",")
        # Interleaved rounds, best of each: this machine is shared, and load
        # that drifts over the run then biases no column.
        best: dict[str, int | None] = {"native": None, **{h: None for h in hosts}}
        failed: set[str] = set()
        for _ in range(args.repeat):
            samples = {"native": native_once(exe, args.n)}
            for h in hosts:
                if h not in failed:
                    ns = guest_once(image, h, args.n)
                    if ns is None:
                        failed.add(h)
                    samples[h] = ns
            for k, v in samples.items():
                if v is not None and k not in failed:
                    cur = best[k]
                    best[k] = v if cur is None else min(cur, v)
        base = best["native"]
        assert base is not None
        res: dict[str, object] = {"n": args.n, "native_ns": base, "repeat": args.repeat}
        rows = [(f"native Linux process, fib({args.n})", f"{base / 1e6:.1f} ms", "1.00x")]
        for host in hosts:
            ns = best[host]
            res[f"{host}_ns"] = ns
            if ns is None:
                rows.append((f"unik {host}", "failed", ""))
            else:
                rows.append((f"unik {host}", f"{ns / 1e6:.1f} ms",
                             f"{base / ns:.2f}x native speed"))
    print(table(rows))
    print(f"wrote {write_json('compute', res)}")


if __name__ == "__main__":
    main()
