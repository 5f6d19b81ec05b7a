"""Network, side by side in one run: the same C servers (examples/c-udp-echo,
examples/c-http-hello) in the guest — reached through `unik run -p`, i.e.
netfront → netback → libslirp → host loopback — and as Linux processes on
loopback, driven by one native load generator (bench/programs/netload).
Goals: UDP echo ≥ 200k packets/s; HTTP ≥ 0.5x the native process.

HTTP twice: over keep-alive connections (--conns of them, a new request as
soon as the answer is in), and one request per connection ("Connection:
close", --conns connections at a time: connect, ask, read to the server's
close), as a load generator without keep-alive does.

Interleaved rounds (native, unik, …), best of each; the load average is
printed and stored with the numbers. --slirp-udp adds UDP through libslirp's
own per-datagram path (what `-p …/udp` used before the batched path).

--sweep 1,16,256 adds UDP echo rows at those windows (datagrams in flight);
--http-sweep 4,64,256 keep-alive HTTP rows at those numbers of
connections (a run of its own: in the same rounds, the 64- and 256-
connection runs cost the UDP rows after them ~15 %). The runner's rate
depends on how many requests are in flight more than the native server's
does: a guest that runs out of work sleeps, and on this nested PVM KVM a
sleep is an exit (~40 us) that the requests
answered in one wake-up share (docs/devices.md, "HTTP keep-alive").

    python bench/net.py [--seconds 2] [--rounds 5] [--window 64] [--conns 16] [--slirp-udp]
                        [--sweep 1,16,256] [--http-sweep 64,256]
                        [--baseline OTHER/.venv/bin/python]
                                                                  → bench/results/net.json
"""

from __future__ import annotations

import argparse
import os
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


FAILED: dict[str, int] = {}     # netload httpc: connections refused or reset, by mode


def measure(load: Path, args: list[str], key: str) -> float:
    out = run_ok([str(load), *args], timeout=600).stdout
    m = re.search(rf"{key} (\d+)", out)
    if not m:
        raise SystemExit(f"bench: netload printed {out!r}")
    f = re.search(r"failed (\d+)", out)
    if f:
        FAILED[args[0]] = FAILED.get(args[0], 0) + int(f.group(1))
    return float(m.group(1))


def server(cmd: list[str], ready: str, **kw) -> subprocess.Popen:
    """Start a server and wait until it says it is ready."""
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


def udp_round(load: Path, cmd: list[str], ready: str, args, env: dict[str, str] | None,
              guest_port: int | None) -> float:
    """One UDP echo measurement: start the server, drive it, stop it."""
    port = free_port(socket.SOCK_DGRAM)
    if guest_port is None:
        full = [*cmd, str(port)]
    else:
        full = [*cmd[:-1], "-p", f"{port}:{guest_port}/udp", "--", str(guest_port)]
    p = server(full, ready, env=env)
    try:
        return measure(load, ["udp", "127.0.0.1", str(port), str(args.seconds), str(args.window),
                              str(args.size)], "pps")
    finally:
        stop(p, port)


def http_round(load: Path, cmd: list[str], ready: str, args, guest_port: int | None,
               mode: str = "http") -> float:
    """One HTTP measurement; mode: netload's "http" (keep-alive) or "httpc"
    (a new connection per request)."""
    port = free_port(socket.SOCK_STREAM)
    if guest_port is None:
        full = [*cmd, str(port)]
    else:
        full = [*cmd[:-1], "-p", f"{port}:{guest_port}", "--", str(guest_port)]
    p = server(full, ready)
    try:
        return measure(load, [mode, "127.0.0.1", str(port), str(args.seconds), str(args.conns)],
                       "rps")
    finally:
        p.kill()
        p.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (best of each)")
    ap.add_argument("--window", type=int, default=64, help="UDP datagrams in flight")
    ap.add_argument("--size", type=int, default=64, help="UDP payload bytes")
    ap.add_argument("--conns", type=int, default=16,
                    help="HTTP connections at a time (keep-alive, and one request each)")
    ap.add_argument("--sweep", default="",
                    help="also UDP echo at these windows, e.g. 1,16,256 (comma-separated)")
    ap.add_argument("--http-sweep", default="",
                    help="also keep-alive HTTP at these numbers of connections, "
                         "e.g. 4,64,256 (comma-separated)")
    ap.add_argument("--slirp-udp", action="store_true",
                    help="also UDP through libslirp's own per-datagram path "
                         "(UNIK_SLIRP_UDP_SLOW=1), for comparison")
    ap.add_argument("--baseline", metavar="PYTHON", default="",
                    help="also the unik rows with another install's runner (PYTHON -m unik "
                         "run, the same images): a before/after A/B in the same rounds")
    args = ap.parse_args()
    try:
        sweep = [int(w) for w in args.sweep.split(",") if w.strip()]
    except ValueError:
        raise SystemExit(f"bench: --sweep {args.sweep!r}: give windows like 1,16,256") from None
    if any(w < 1 for w in sweep):
        raise SystemExit("bench: --sweep: windows are 1 or more")
    try:
        http_sweep = [int(c) for c in args.http_sweep.split(",") if c.strip()]
    except ValueError:
        raise SystemExit(f"bench: --http-sweep {args.http_sweep!r}: give numbers like 4,64")\
            from None
    if any(c < 1 for c in http_sweep):
        raise SystemExit("bench: --http-sweep: 1 connection or more")
    res: dict[str, object] = {"seconds": args.seconds, "rounds": args.rounds,
                              "window": args.window, "size": args.size, "conns": args.conns,
                              "loadavg_before": os.getloadavg()}
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
        udp_native = [str(natives["c-udp-echo"]), "PORT"]
        udp_unik = [*unik_cmd(), "run", str(images["c-udp-echo"]), "PORT"]
        http_native = [str(natives["c-http-hello"]), "PORT"]
        http_unik = [*unik_cmd(), "run", str(images["c-http-hello"]), "PORT"]
        slow = {**os.environ, "UNIK_SLIRP_UDP_SLOW": "1"}
        samples: dict[str, list[float]] = {}
        runs = {
            "udp_native_pps": lambda: udp_round(load, udp_native[:-1], "udp echo on port", args,
                                                None, None),
            "udp_unik_pps": lambda: udp_round(load, udp_unik, "udp echo on port", args, None, 7),
            "http_native_rps": lambda: http_round(load, http_native[:-1], "http on port", args,
                                                  None),
            "http_unik_rps": lambda: http_round(load, http_unik, "http on port", args, 80),
            "httpc_native_rps": lambda: http_round(load, http_native[:-1], "http on port", args,
                                                   None, "httpc"),
            "httpc_unik_rps": lambda: http_round(load, http_unik, "http on port", args, 80,
                                                 "httpc"),
        }
        if args.baseline:
            base = [args.baseline, "-m", "unik", "run"]
            udp_base = [*base, str(images["c-udp-echo"]), "PORT"]
            http_base = [*base, str(images["c-http-hello"]), "PORT"]
            runs["udp_baseline_pps"] = lambda: udp_round(load, udp_base, "udp echo on port",
                                                         args, None, 7)
            runs["http_baseline_rps"] = lambda: http_round(load, http_base, "http on port",
                                                           args, 80)
            runs["httpc_baseline_rps"] = lambda: http_round(load, http_base, "http on port",
                                                            args, 80, "httpc")
        if args.slirp_udp:
            runs["udp_unik_slirp_pps"] = lambda: udp_round(load, udp_unik, "udp echo on port",
                                                           args, slow, 7)
        for w in sweep:
            wargs = argparse.Namespace(**{**vars(args), "window": w})
            runs[f"udp_native_pps_w{w}"] = (lambda a=wargs: udp_round(
                load, udp_native[:-1], "udp echo on port", a, None, None))
            runs[f"udp_unik_pps_w{w}"] = (lambda a=wargs: udp_round(
                load, udp_unik, "udp echo on port", a, None, 7))
        for c in http_sweep:
            cargs = argparse.Namespace(**{**vars(args), "conns": c})
            runs[f"http_native_rps_c{c}"] = (lambda a=cargs: http_round(
                load, http_native[:-1], "http on port", a, None))
            runs[f"http_unik_rps_c{c}"] = (lambda a=cargs: http_round(
                load, http_unik, "http on port", a, 80))
        # Interleaved rounds, best of each: the machine is shared and its
        # load drifts; every column sees the same drift.
        for r in range(args.rounds):
            for key, fn in runs.items():
                samples.setdefault(key, []).append(fn())
            print(f"round {r + 1}/{args.rounds}: "
                  + ", ".join(f"{k} {v[-1]:.0f}" for k, v in samples.items()), flush=True)
    for key, vals in samples.items():
        res[key] = max(vals)
        res[key + "_rounds"] = vals
    res["loadavg_after"] = os.getloadavg()
    un, nn = float(res["udp_unik_pps"]), float(res["udp_native_pps"])       # type: ignore[arg-type]
    uh, nh = float(res["http_unik_rps"]), float(res["http_native_rps"])     # type: ignore[arg-type]
    rows = [("test (best of rounds)", "native process", "unik runner (ratio)"),
            (f"UDP echo, {args.size} B, {args.window} in flight (packets/s)", f"{nn:.0f}",
             f"{un:.0f} ({un / nn:.3f}x)")]
    if args.slirp_udp:
        us = float(res["udp_unik_slirp_pps"])                                # type: ignore[arg-type]
        rows.append(("  the same through libslirp's per-datagram path", f"{nn:.0f}",
                     f"{us:.0f} ({us / nn:.3f}x)"))
    rows.append((f"HTTP hello, {args.conns} keep-alive conns (requests/s)", f"{nh:.0f}",
                 f"{uh:.0f} ({uh / nh:.3f}x)"))
    uc, nc = float(res["httpc_unik_rps"]), float(res["httpc_native_rps"])  # type: ignore[arg-type]
    rows.append((f"HTTP hello, a connection per request, {args.conns} at a time", f"{nc:.0f}",
                 f"{uc:.0f} ({uc / nc:.3f}x)"))
    if args.baseline:
        bu, bh = float(res["udp_baseline_pps"]), float(res["http_baseline_rps"])  # type: ignore[arg-type]
        bc = float(res["httpc_baseline_rps"])                                # type: ignore[arg-type]
        rows.append(("  UDP echo, --baseline runner", f"{nn:.0f}", f"{bu:.0f} ({bu / nn:.3f}x)"))
        rows.append(("  HTTP hello, --baseline runner", f"{nh:.0f}", f"{bh:.0f} ({bh / nh:.3f}x)"))
        rows.append(("  HTTP a connection per request, --baseline runner", f"{nc:.0f}",
                     f"{bc:.0f} ({bc / nc:.3f}x)"))
    for w in sweep:
        n, u = float(res[f"udp_native_pps_w{w}"]), float(res[f"udp_unik_pps_w{w}"])  # type: ignore[arg-type]
        rows.append((f"UDP echo, {args.size} B, {w} in flight (packets/s)", f"{n:.0f}",
                     f"{u:.0f} ({u / n:.3f}x)"))
    for c in http_sweep:
        n, u = float(res[f"http_native_rps_c{c}"]), float(res[f"http_unik_rps_c{c}"])  # type: ignore[arg-type]
        rows.append((f"HTTP hello, {c} keep-alive conns (requests/s)", f"{n:.0f}",
                     f"{u:.0f} ({u / n:.3f}x)"))
    print(table(rows))
    if FAILED.get("httpc"):
        print(f"connections refused or reset (made again), all rounds: {FAILED['httpc']}")
    res["httpc_failed"] = FAILED.get("httpc", 0)
    la, lb = res["loadavg_before"], res["loadavg_after"]
    print(f"load average before {la[0]:.2f}, after {lb[0]:.2f}")                # type: ignore[index]
    print(f"wrote {write_json('net', res)}")


if __name__ == "__main__":
    main()
