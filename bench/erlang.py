"""Erlang on unik vs Debian's BEAM, side by side in one run: for each of the
plugin's `unik compare` programs (hello, fib 32, binary-trees 16, n-body
1,000,000 steps, strings 1,000,000 pieces, hashmap 100,000 keys, a 503-process ring passing a token
1,000,000 times — the specification's default parameters — and three of this
script's own on binaries, bench/erlang_binaries/: binsend, a 1 MB binary sent
to a process and back 10,000 times, binsplit, a 10 MB binary matched into
100-byte records and split, and binappend, a binary grown by 1,000,000
appends) the stripped image
size, VM creation → first console byte and boot-to-exit on the runner, and
compute time inside the guest vs the same .beam run by `erl -noshell` (OTP 25's
BEAM with its JIT) as a Linux process. The programs time themselves
(`compute_ns`), so neither boot nor erl's own start-up is in the compute
column; columns run in interleaved rounds, best of each. Goals (issue #16):
hello image <= 1.5 MB, first byte <= 10 ms, compute >= 0.5x BEAM's JIT.

    python bench/erlang.py [--repeat 5] [--programs fib,ring,...] [--qemu]
                           [--param fib=27 ...]
    → prints a table, writes bench/results/erlang.json
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import compute_ns, run_ok, table, unik_cmd, write_json  # noqa: E402

import unik_erlang  # noqa: E402
from unik.compare.spec import PROGRAMS  # noqa: E402

Sample = dict[str, float]

# programs beyond unik compare's: name -> (project, default parameter)
EXTRA = {name: (Path(__file__).resolve().parent / "erlang_binaries" / name, param)
         for name, param in (("binsend", "10000"), ("binsplit", "10"), ("binappend", "1000000"))}


def erl_once(ebin: Path, module: str, param: str) -> Sample | None:
    env = dict(os.environ, ERL_CRASH_DUMP_SECONDS="0")
    extra = ["-extra", param] if param else []
    t0 = time.perf_counter()
    proc = subprocess.run(["erl", "-noshell", "-pa", str(ebin), "-s", module, "start",
                           "-s", "init", "stop", *extra], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=900, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(f"bench: erl {module} failed: {proc.stdout[-300:]}", file=sys.stderr)
        return None
    ns = compute_ns(proc.stdout)
    return {"wall_s": wall, **({"compute_ns": ns} if ns else {})}


def runner_once(image: Path, param: str) -> Sample | None:
    from unik import runner

    out = io.BytesIO()
    r = runner.boot(image, cpu="kvm", cmdline=param, out=out)
    if r.status != 0:
        print(f"bench: runner {image.name}: status {r.status}", file=sys.stderr)
        return None
    first = r.domain.first_byte_ns() if r.domain else None
    s: Sample = {"boot_to_exit_s": (r.t_stop - r.t_create) / 1e9}
    if first:
        s["first_byte_s"] = (first - r.t_create) / 1e9
    ns = compute_ns(out.getvalue().decode(errors="replace"))
    if ns:
        s["compute_ns"] = ns
    return s


def qemu_once(image: Path, param: str) -> Sample | None:
    from unik.testing import boot_image

    t0 = time.perf_counter()
    r = boot_image(image, host="qemu", cmdline=param, timeout=900)
    if r.status != 0:
        return None
    s: Sample = {"boot_to_exit_s": time.perf_counter() - t0}
    ns = compute_ns(r.output)
    if ns:
        s["compute_ns"] = ns
    return s


def best(samples: list[Sample | None]) -> Sample | None:
    if not samples or any(s is None for s in samples):
        return None
    out: Sample = {}
    for s in samples:
        assert s is not None
        for k, v in s.items():
            out[k] = min(out.get(k, v), v)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--programs",
                    default="hello,fib,binarytrees,hashmap,nbody,strings,ring,binsend,binsplit,binappend")
    ap.add_argument("--param", action="append", default=[],
                    help="NAME=VALUE: another parameter than the specification's")
    ap.add_argument("--qemu", action="store_true", help="also boot under QEMU (TCG here)")
    args = ap.parse_args()
    if shutil.which("erl") is None or shutil.which("erlc") is None:
        raise SystemExit("bench: erl/erlc missing (apt-get install -y erlang-base)")
    progs = unik_erlang.Erlang().benchmarks()
    params = {name: PROGRAMS[name].cmdline for name in progs}
    for name, (project, param) in EXTRA.items():
        progs[name] = project
        params[name] = param
    for kv in args.param:
        k, _, v = kv.partition("=")
        params[k] = v
    rows = [("program / where", "size or time", "vs erl (BEAM JIT)")]
    res: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.programs.split(","):
            src = progs[name]
            d = Path(tmp) / name
            shutil.copytree(src, d, ignore=shutil.ignore_patterns("_build"))
            run_ok([*unik_cmd(), "build"], cwd=d)
            image = d / "_build" / f"{name}.unik"
            ebin = d / "ebin"
            ebin.mkdir()
            run_ok(["erlc", "-o", str(ebin), *map(str, sorted(d.glob("*.erl")))])
            param = params.get(name, "")
            columns = {"erl": lambda ebin=ebin, name=name, param=param:
                       erl_once(ebin, name, param),
                       "runner-kvm": lambda image=image, param=param: runner_once(image, param)}
            if args.qemu:
                columns["qemu"] = lambda image=image, param=param: qemu_once(image, param)
            samples: dict[str, list[Sample | None]] = {k: [] for k in columns}
            for _ in range(args.repeat):        # interleaved: drifting load biases no column
                for k, run in columns.items():
                    samples[k].append(run())
            r: dict[str, object] = {"image_bytes": image.stat().st_size, "param": param}
            label = f"{name} {param}".strip()
            rows.append((f"{label}: image (stripped)", f"{image.stat().st_size / 1024:.0f} KiB",
                         ""))
            erl = best(samples["erl"])
            r["erl"] = erl
            erl_ns = erl.get("compute_ns") if erl else None
            rows.append((f"{name}: erl -noshell (Linux process)",
                         (f"{erl['wall_s'] * 1000:.0f} ms run" if erl else "failed")
                         + (f", {erl_ns / 1e6:.1f} ms compute" if erl_ns else ""), "1.00x"))
            for k in columns:
                if k == "erl":
                    continue
                got = best(samples[k])
                r[k] = got
                if got is None:
                    rows.append((f"{name}: unik {k}", "failed", ""))
                    continue
                parts = [f"{got['boot_to_exit_s'] * 1000:.0f} ms boot-to-exit"]
                if "first_byte_s" in got:
                    parts.append(f"first byte {got['first_byte_s'] * 1000:.1f} ms")
                ns = got.get("compute_ns")
                if ns:
                    parts.append(f"{ns / 1e6:.1f} ms compute")
                ratio = f"{erl_ns / ns:.2f}x BEAM speed" if ns and erl_ns else ""
                rows.append((f"{name}: unik {k}", ", ".join(parts), ratio))
            res[name] = r
    print(table(rows))
    print(f"wrote {write_json('erlang', res)}")


if __name__ == "__main__":
    main()
