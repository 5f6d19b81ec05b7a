"""Typed Python on unik, side by side in one run: each comparison program of
`unik compare` (core/compare/spec.py: hello, fib 32, binary-trees 16, hashmap —
10^6 dict operations and 10^5 string keys —, nbody 10^6 steps, string building
of 10^6 pieces) is one .py file run three ways — compiled by unik's Python plugin and booted on the
embedded runner, interpreted by CPython, and compiled by Cython as a native
extension module (imported by CPython). The programs time their own work
(`compute_ns`, so boot and interpreter start-up are excluded) and print the
same output every way (checked here). Columns run in interleaved rounds, best
of each. hello reports the image size and VM creation → first console byte.
Goals: >= 30x CPython on fib and nbody, at least Cython's speed everywhere,
hello image <= 200 KiB and first byte <= 5 ms.

    python bench/python.py [--repeat 3] [--programs fib,nbody,...]
    → prints a table, writes bench/results/python.json
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_ms, run_ok, table, unik_cmd, write_json  # noqa: E402

import unik_python  # noqa: E402

Sample = tuple[float, str]          # (compute seconds, output without the timing line)


def split_output(text: str) -> Sample | None:
    text = text.replace("\r\n", "\n")
    m = re.search(r"compute_ns (\d+)\n?", text)
    if not m:
        return None
    return int(m.group(1)) / 1e9, text[:m.start()] + text[m.end():]


def cpython_run(src: Path) -> Sample | None:
    proc = subprocess.run([sys.executable, str(src)], capture_output=True, text=True,
                          timeout=1800, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        print(f"bench: CPython {src}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return split_output(proc.stdout)


def cython_build(src: Path, work: Path, name: str) -> Path:
    """The program as a Cython extension module; importing it runs it."""
    mod = f"bench_{name}"
    shutil.copy(src, work / f"{mod}.py")
    run_ok([sys.executable, "-m", "cython", "-3", f"{mod}.py", "-o", f"{mod}.c"], cwd=work)
    include = sysconfig.get_paths()["include"]
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    run_ok(["gcc", "-shared", "-fPIC", "-O2", f"-I{include}", f"{mod}.c", "-o",
            f"{mod}{suffix}"], cwd=work)
    return work


def cython_run(work: Path, name: str) -> Sample | None:
    proc = subprocess.run([sys.executable, "-c", f"import bench_{name}"], capture_output=True,
                          text=True, timeout=1800, cwd=work, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        print(f"bench: Cython {name}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return split_output(proc.stdout)


def unik_run(image: Path, cpu: str) -> Sample | None:
    from unik.testing import boot_image

    r = boot_image(image, host="runner", cpu=cpu, timeout=1800, memory_mib=512)
    if r.status != 0:
        print(f"bench: unik {image.name}: status {r.status}: {r.output.strip()[-300:]}",
              file=sys.stderr)
        return None
    return split_output(r.output)


def hello_boots(image: Path, cpu: str, repeat: int) -> dict:
    """VM creation → first console byte and → shutdown, in this process."""
    from unik import runner

    runner.boot(image, cpu=cpu, out=io.BytesIO())      # warm: imports, caches
    first, total = [], []
    for _ in range(max(repeat, 5)):
        r = runner.boot(image, cpu=cpu, out=io.BytesIO())
        if r.status != 0:
            raise SystemExit(f"bench: hello failed on the runner: {r.status}")
        first.append((r.domain.first_byte_ns() - r.t_create) / 1e9)
        total.append((r.t_stop - r.t_create) / 1e9)
    return {"first_byte_ms": median_ms(first), "create_to_shutdown_ms": median_ms(total)}


def best_of(rounds: int, runs: dict[str, Callable[[], Sample | None]]) -> dict[str, Sample | None]:
    """Each round runs every column once (this machine is shared: drifting load biases
    none of them); the fastest of each column wins. Outputs must agree."""
    best: dict[str, Sample | None] = dict.fromkeys(runs)
    failed: set[str] = set()
    for _ in range(rounds):
        for key, run in runs.items():
            if key in failed:
                continue
            got = run()
            if got is None:
                failed.add(key)
                best[key] = None
                continue
            cur = best[key]
            best[key] = got if cur is None or got[0] < cur[0] else cur
    return best


def fmt_s(x: float) -> str:
    return f"{x * 1000:.1f} ms" if x < 10 else f"{x:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--programs", default="hello,fib,binarytrees,hashmap,nbody,strings")
    ap.add_argument("--cpu", default="kvm", help="runner CPU: kvm or soft")
    args = ap.parse_args()
    progs = unik_python.Python().benchmarks()
    have_cython = importlib.util.find_spec("Cython") is not None
    if not have_cython:
        print("bench: Cython is not installed (pip install cython): its column is skipped",
              file=sys.stderr)
    rows = [("program / how", "time", "unik is")]
    res: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.programs.split(","):
            src_dir = progs[name]
            d = Path(tmp) / name
            shutil.copytree(src_dir, d / "proj", ignore=shutil.ignore_patterns("_build"))
            t0 = time.perf_counter()
            run_ok([*unik_cmd(), "build"], cwd=d / "proj")
            build_s = time.perf_counter() - t0
            image = d / "proj" / "_build" / f"{name}.unik"
            src = d / "proj" / "main.py"
            r: dict[str, object] = {"image_bytes": image.stat().st_size, "build_s": build_s}
            if name == "hello":
                boots = hello_boots(image, args.cpu, args.repeat)
                r.update(boots)
                rows.append(("hello: image (stripped)", f"{image.stat().st_size / 1024:.1f} KiB",
                             "goal <= 200 KiB"))
                rows.append(("hello: VM creation -> first byte",
                             f"{boots['first_byte_ms']:.2f} ms", "goal <= 5 ms"))
                rows.append(("hello: VM creation -> shutdown",
                             f"{boots['create_to_shutdown_ms']:.2f} ms", ""))
                res[name] = r
                continue
            runs: dict[str, Callable[[], Sample | None]] = {
                "unik": lambda image=image: unik_run(image, args.cpu),
                "cpython": lambda src=src: cpython_run(src),
            }
            if have_cython:
                cy = cython_build(src, d, name)
                runs["cython"] = lambda cy=cy, name=name: cython_run(cy, name)
            best = best_of(args.repeat, runs)
            outs = {k: v[1] for k, v in best.items() if v is not None}
            same = len(set(outs.values())) <= 1
            best.setdefault("cython", None)
            for key in ("unik", "cpython", "cython"):
                got = best[key]
                r[key] = None if got is None else {"compute_s": got[0]}
            u, c, cy_ = best["unik"], best["cpython"], best["cython"]
            r["same_output"] = same
            if u is None:
                rows.append((f"{name}: unik (runner {args.cpu})", "failed", ""))
            else:
                vs_c = f"{c[0] / u[0]:.1f}x CPython" if c else ""
                vs_cy = f"{cy_[0] / u[0]:.1f}x Cython" if cy_ else ""
                r["speedup_vs_cpython"] = c[0] / u[0] if c else None
                r["speedup_vs_cython"] = cy_[0] / u[0] if cy_ else None
                rows.append((f"{name}: unik (runner {args.cpu})", fmt_s(u[0]),
                             ", ".join(x for x in (vs_c, vs_cy) if x) +
                             ("" if same else "  OUTPUTS DIFFER")))
            rows.append((f"{name}: CPython {sys.version.split()[0]}",
                         fmt_s(c[0]) if c else "failed", ""))
            rows.append((f"{name}: Cython (same file, extension module)",
                         fmt_s(cy_[0]) if cy_ else
                         ("failed" if have_cython else "skipped: pip install cython"), ""))
            rows.append((f"{name}: unik image", f"{image.stat().st_size / 1024:.1f} KiB", ""))
            res[name] = r
    print(table(rows))
    path = write_json("python", res)
    print(f"\nwritten {path}")


if __name__ == "__main__":
    main()
