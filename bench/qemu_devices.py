"""Devices under QEMU next to the runner, side by side in one run: the same
images with the same disk and forwards — `unik run` (Xen front-ends →
the runner's blkback/netback, libslirp) against `unik run --host qemu`
(virtio-blk / virtio-net on microvm's virtio-mmio, QEMU's block layer and
slirp, TCG). Block: bench/programs/blockio on /dev/xvda (MB/s); network:
bench/programs/netload against examples/c-udp-echo and c-http-hello.

Hosts alternate within each round; the best of --repeat rounds is kept (the
machine is shared: single runs are noisy).

    python bench/qemu_devices.py [--mib 16] [--seconds 3] [--repeat 2]
                                                    → bench/results/qemu_devices.json
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_ok, table, unik_cmd, write_json  # noqa: E402
from block import PROGRAM, parse  # noqa: E402
from net import EXAMPLES, LOAD, free_port, measure, server, stop  # noqa: E402

HOSTS = ("runner", "qemu")


def block(image: Path, d: Path, mib: int, host: str) -> dict[str, float]:
    disk = d / f"{host}.img"
    disk.unlink(missing_ok=True)
    proc = subprocess.run([*unik_cmd(), "run", "--host", host, str(image), "--disk", str(disk),
                           "--disk-size", f"{mib + 1}M", "--", "/dev/xvda", str(mib)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"bench: the guest failed under {host}:\n{proc.stdout}{proc.stderr}")
    return parse(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    res: dict[str, dict[str, float]] = {h: {} for h in HOSTS}

    def keep(host: str, key: str, value: float) -> None:
        res[host][key] = max(res[host].get(key, 0.0), value)

    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        d = Path(tmp)
        proj = d / "blockio"
        shutil.copytree(PROGRAM, proj)
        run_ok([*unik_cmd(), "build"], cwd=proj)
        load = d / "netload"
        run_ok(["gcc", "-O2", "-o", str(load), str(LOAD)])
        images = {}
        for name in ("c-udp-echo", "c-http-hello"):
            p = d / name
            shutil.copytree(EXAMPLES / name, p)
            run_ok([*unik_cmd(), "build"], cwd=p)
            images[name] = next((p / "_build").glob("*.unik"))
        for host in [h for _ in range(args.repeat) for h in HOSTS]:
            for k, v in block(proj / "_build" / "blockio.unik", d, args.mib, host).items():
                keep(host, f"block {k} MB/s", v)
            port = free_port(socket.SOCK_DGRAM)
            p = server([*unik_cmd(), "run", "--host", host, str(images["c-udp-echo"]),
                        "-p", f"{port}:7/udp", "--", "7"], "udp echo on port")
            keep(host, "UDP echo packets/s (64 B, 16 in flight)", measure(
                load, ["udp", "127.0.0.1", str(port), str(args.seconds), "16", "64"], "pps"))
            stop(p, port)
            port = free_port(socket.SOCK_STREAM)
            p = server([*unik_cmd(), "run", "--host", host, str(images["c-http-hello"]),
                        "-p", f"{port}:80", "--", "80"], "http on port")
            keep(host, "HTTP requests/s (4 keep-alive conns)", measure(
                load, ["http", "127.0.0.1", str(port), str(args.seconds), "4"], "rps"))
            p.kill()
            p.wait()
    rows = [("test", "unik runner", "unik --host qemu (ratio)")]
    for k, r in res["runner"].items():
        q = res["qemu"][k]
        rows.append((k, f"{r:.0f}", f"{q:.0f} ({q / r:.2f}x)" if r else f"{q:.0f}"))
    print(table(rows))
    out = {"mib": args.mib, "seconds": args.seconds, "repeat": args.repeat, **res}
    print(f"wrote {write_json('qemu_devices', out)}")


if __name__ == "__main__":
    main()
