"""Network, side by side in one run: the same C servers (examples/c-udp-echo,
examples/c-http-hello) in the guest — reached through `unik run -p`, i.e.
netfront → netback → libslirp → host loopback — and as Linux processes on
loopback, driven by one native load generator (bench/programs/netload).
Goals: UDP echo ≥ 200k packets/s; HTTP ≥ 0.5x the native process.

    python bench/net.py [--seconds 5] [--window 64] [--conns 16]   → bench/results/net.json
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_ok, table, unik_cmd, write_json  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LOAD = Path(__file__).resolve().parent / "programs" / "netload" / "netload.c"


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(proc: subprocess.Popen, text: str) -> None:
    assert proc.stdout is not None
    end = time.monotonic() + 120
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            raise SystemExit(f"bench: server exited: {proc.stderr.read() if proc.stderr else ''}")
    raise SystemExit("bench: server never became ready")


def measure(load: Path, args: list[str], key: str) -> float:
    out = run_ok([str(load), *args], timeout=600).stdout
    m = re.search(rf"{key} (\d+)", out)
    if not m:
        raise SystemExit(f"bench: netload printed {out!r}")
    return float(m.group(1))


def server(cmd: list[str], ready: str, **kw) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, **kw)
    wait_ready(proc, ready)
    return proc


def stop(proc: subprocess.Popen, udp_port: int | None = None) -> None:
    if udp_port is not None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"quit", ("127.0.0.1", udp_port))
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--window", type=int, default=64, help="UDP datagrams in flight")
    ap.add_argument("--size", type=int, default=64, help="UDP payload bytes")
    ap.add_argument("--conns", type=int, default=16, help="HTTP keep-alive connections")
    args = ap.parse_args()
    res: dict[str, object] = {"seconds": args.seconds, "window": args.window,
                              "size": args.size, "conns": args.conns}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        load = d / "netload"
        run_ok(["gcc", "-O2", "-o", str(load), str(LOAD)])
        images, natives = {}, {}
        for name in ("c-udp-echo", "c-http-hello"):
            proj = d / name
            shutil.copytree(EXAMPLES / name, proj)
            run_ok([*unik_cmd(), "build"], cwd=proj)
            images[name] = next((proj / "_build").glob("*.unik"))
            natives[name] = d / f"{name}-native"
            run_ok(["gcc", "-O2", "-o", str(natives[name]), str(proj / "main.c")])

        # UDP echo
        port = free_port(socket.SOCK_DGRAM)
        p = server([str(natives["c-udp-echo"]), str(port)], "udp echo on port")
        udp_args = ["udp", "127.0.0.1", str(port), str(args.seconds), str(args.window),
                    str(args.size)]
        res["udp_native_pps"] = measure(load, udp_args, "pps")
        stop(p, port)
        port = free_port(socket.SOCK_DGRAM)
        p = server([*unik_cmd(), "run", str(images["c-udp-echo"]), "-p", f"{port}:7/udp",
                    "--", "7"], "udp echo on port")
        udp_args[2] = str(port)
        res["udp_unik_pps"] = measure(load, udp_args, "pps")
        stop(p, port)

        # HTTP hello
        port = free_port(socket.SOCK_STREAM)
        p = server([str(natives["c-http-hello"]), str(port)], "http on port")
        http_args = ["http", "127.0.0.1", str(port), str(args.seconds), str(args.conns)]
        res["http_native_rps"] = measure(load, http_args, "rps")
        p.kill()
        p.wait()
        port = free_port(socket.SOCK_STREAM)
        p = server([*unik_cmd(), "run", str(images["c-http-hello"]), "-p", f"{port}:80",
                    "--", "80"], "http on port")
        http_args[2] = str(port)
        res["http_unik_rps"] = measure(load, http_args, "rps")
        p.kill()
        p.wait()
    un, nn = float(res["udp_unik_pps"]), float(res["udp_native_pps"])       # type: ignore[arg-type]
    uh, nh = float(res["http_unik_rps"]), float(res["http_native_rps"])     # type: ignore[arg-type]
    rows = [("test", "native process", "unik runner (ratio)"),
            (f"UDP echo, {args.size} B, {args.window} in flight (packets/s)", f"{nn:.0f}",
             f"{un:.0f} ({un / nn:.3f}x)"),
            (f"HTTP hello, {args.conns} keep-alive conns (requests/s)", f"{nh:.0f}",
             f"{uh:.0f} ({uh / nh:.3f}x)")]
    print(table(rows))
    print(f"wrote {write_json('net', res)}")


if __name__ == "__main__":
    main()
