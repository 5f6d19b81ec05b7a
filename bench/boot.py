"""Boot cost, side by side in one run: the C hello's stripped image size; `unik run
--host qemu` to exit; the same QEMU boot of an empty PVH kernel that exits at once
(the floor QEMU itself costs); and, where the runner is present, runner numbers.

    python bench/boot.py [--repeat N]      → prints a table, writes bench/results/boot.json
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_ms, run_ok, table, timed, unik_cmd, write_json  # noqa: E402

# A complete PVH kernel: one note, one instruction sequence that exits QEMU with 0.
EMPTY_KERNEL = r"""
    .section .note.Xen, "a", @note
    .balign 4
    .long 4, 8, 18
    .asciz "Xen"
    .quad _start
    .text
    .code32
    .globl _start
_start:
    xorl %eax, %eax
    movw $0xf4, %dx
    outl %eax, %dx
    hlt
"""


def build_empty_kernel(d: Path) -> Path:
    src = d / "empty.S"
    src.write_text(EMPTY_KERNEL)
    out = d / "empty.elf"
    run_ok(["gcc", "-nostdlib", "-static", "-no-pie", "-Wl,-Ttext=0x100000",
            "-Wl,--build-id=none", "-o", str(out), str(src)])
    return out


def qemu_boot(image: Path) -> None:
    from unik.hosts import qemu

    cmd = qemu.command(image, memory_mib=64, cmdline="", accel="tcg")
    proc = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    if qemu.status_from_qemu(proc.returncode) != 0:
        raise SystemExit(f"bench: qemu boot of {image} failed: {proc.returncode}")


def runner_boots(image: Path, cpu: str, repeat: int) -> dict:
    """In-process boots on the runner: VM creation → shutdown, and exits per boot."""
    import io

    from unik import runner

    runner.boot(image, cpu=cpu, out=io.BytesIO())          # warm: imports, CPUID, caches
    guest, exits, first = [], set(), []
    for _ in range(repeat):
        r = runner.boot(image, cpu=cpu, out=io.BytesIO())
        if r.status != 0:
            raise SystemExit(f"bench: runner ({cpu}) boot of {image} failed: {r.status}")
        guest.append((r.t_stop - r.t_create) / 1e9)
        first.append((r.domain.first_byte_ns() - r.t_create) / 1e9)
        exits.add(r.exits)
    return {"create_to_shutdown_ms": median_ms(guest), "best_ms": min(guest) * 1000,
            "first_byte_ms": median_ms(first), "best_first_byte_ms": min(first) * 1000,
            "exits": sorted(exits)}


def hypercall_rate(cpu: str, n: int = 2000) -> float:
    """Hypercalls (= exits) per second of a guest that does nothing else."""
    import io
    import re

    from unik import runner

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "tests" / "runner" / "guests"))
    import build as guest_build

    with tempfile.TemporaryDirectory() as tmp:
        image = guest_build.build(Path(tmp) / "guest.unik")
        out = io.BytesIO()
        if runner.run(image, cmdline=f"hcloop {n}", cpu=cpu, out=out) != 0:
            raise SystemExit(f"bench: hcloop on {cpu} failed")
    ns = int(re.search(rb"hypercall_ns (\d+)", out.getvalue()).group(1))
    return n / (ns / 1e9)


def runner_rows(image: Path, repeat: int, res: dict) -> list[tuple[str, str, str]]:
    from unik.testing import kvm_usable

    rows = []
    cpus = (["kvm"] if kvm_usable() else []) + ["soft"]
    for cpu in cpus:
        b = runner_boots(image, cpu, max(repeat, 10))
        res[f"runner_{cpu}"] = b
        note = f"best {b['best_ms']:.2f} ms; {'/'.join(map(str, b['exits']))} exits"
        if cpu == "kvm":
            note += f"; goal <= 5 ms: {'met' if b['create_to_shutdown_ms'] <= 5 else 'MISSED'}"
        rows.append((f"runner ({cpu}): C hello, VM creation -> shutdown",
                     f"{b['create_to_shutdown_ms']:.2f} ms", note))
        rate = hypercall_rate(cpu)
        res[f"runner_{cpu}"]["hypercalls_per_s"] = round(rate)
        rows.append((f"runner ({cpu}): hypercall-heavy guest", f"{rate:,.0f} exits/s",
                     f"{1e6 / rate:.1f} us per hypercall round trip"))
    ocaml = ocaml_hello()
    if ocaml is not None and "kvm" in cpus:
        b = runner_boots(ocaml, "kvm", max(repeat, 10))
        res["runner_kvm_ocaml_hello"] = b
        rows.append(("runner (kvm): OCaml hello, VM creation -> first byte",
                     f"{b['first_byte_ms']:.2f} ms",
                     f"best {b['best_first_byte_ms']:.2f} ms; "
                     f"goal <= 5 ms: {'met' if b['first_byte_ms'] <= 5 else 'MISSED'}"))
    for cpu in cpus:
        cli, py, cli_best, py_best = cli_vs_python(image, cpu, max(repeat, 15))
        res[f"unik_run_{cpu}_hello_ms"] = cli
        res[f"python_pass_interleaved_{cpu}_ms"] = py
        res[f"unik_run_{cpu}_hello_best_ms"] = cli_best
        res[f"python_pass_interleaved_{cpu}_best_ms"] = py_best
        note = (f"{cli / py:.2f}x python -c pass ({py:.1f} ms, same rounds; "
                f"best {cli_best:.1f} vs {py_best:.1f} ms, {cli_best / py_best:.2f}x)")
        if cpu == "kvm":
            note += f"; goal <= 2x: {'met' if cli <= 2 * py else 'MISSED'}"
        rows.append((f"unik run --cpu {cpu} IMAGE: C hello (whole command)", f"{cli:.1f} ms",
                     note))
    return rows


def ocaml_hello() -> Path | None:
    """The OCaml plugin's hello benchmark, built (None without ocamlfind)."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    src = root / "plugins" / "ocaml" / "unik_ocaml" / "bench" / "hello"
    if shutil.which("ocamlfind") is None or not src.is_dir():
        return None
    proj = Path(tempfile.mkdtemp()) / "hello"
    shutil.copytree(src, proj)
    run_ok([*unik_cmd(), "build"], cwd=proj)
    return proj / "_build" / "hello.unik"


def cli_vs_python(image: Path, cpu: str, repeat: int) -> tuple[float, float, float, float]:
    """Median and best ms of the whole `unik run IMAGE` command (the installed
    `unik` command, bytecode cached as after pip install) and of `python -c
    pass`, in interleaved rounds so that the machine's drifting load biases
    neither: (unik median, python median, unik best, python best)."""
    import os
    import shutil
    import statistics
    import time

    script = Path(sys.executable).with_name("unik")
    cmd = [str(script)] if script.exists() else unik_cmd()
    if not script.exists() and shutil.which("unik"):
        cmd = [shutil.which("unik") or "unik"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run = [*cmd, "run", "--cpu", cpu, str(image)]
    subprocess.run(run, env=env, capture_output=True, check=True)     # writes the .pyc files
    cli, py = [], []
    for _ in range(repeat):
        for cmdline, into in ((run, cli), ([sys.executable, "-c", "pass"], py)):
            t0 = time.perf_counter()
            subprocess.run(cmdline, env=env, capture_output=True, check=True)
            into.append((time.perf_counter() - t0) * 1000)
    return statistics.median(cli), statistics.median(py), min(cli), min(py)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        run_ok([*unik_cmd(), "new", "hello", "--lang", "c"], cwd=d)
        proj = d / "hello"
        run_ok([*unik_cmd(), "build"], cwd=proj)
        image = proj / "_build" / "hello.unik"
        size = image.stat().st_size
        empty = build_empty_kernel(d)
        floor = timed(lambda: qemu_boot(empty), args.repeat)
        hello_qemu = timed(lambda: qemu_boot(image), args.repeat)
        cli_qemu = timed(lambda: run_ok([*unik_cmd(), "run", "--host", "qemu", str(image)]),
                         args.repeat)
        py_floor = timed(lambda: run_ok([sys.executable, "-c", "pass"]), args.repeat)
        runner_res: dict = {"python_pass_ms": median_ms(py_floor)}
        more = runner_rows(image, args.repeat, runner_res)
    res = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "hello_image_bytes": size,
        "qemu_empty_kernel_ms": median_ms(floor),
        "qemu_hello_ms": median_ms(hello_qemu),
        "unik_run_qemu_hello_ms": median_ms(cli_qemu),
        "python_pass_ms": median_ms(py_floor),
        "repeat": args.repeat,
        **runner_res,
    }
    rows = [
        ("C hello image (stripped)", f"{size / 1024:.1f} KiB", ""),
        ("QEMU TCG: empty PVH kernel", f"{res['qemu_empty_kernel_ms']:.1f} ms", "(floor)"),
        ("QEMU TCG: C hello", f"{res['qemu_hello_ms']:.1f} ms",
         f"{res['qemu_hello_ms'] / res['qemu_empty_kernel_ms']:.2f}x floor"),
        ("unik run --host qemu: C hello", f"{res['unik_run_qemu_hello_ms']:.1f} ms",
         f"{res['unik_run_qemu_hello_ms'] / res['qemu_empty_kernel_ms']:.2f}x floor"),
        ("python -c pass", f"{res['python_pass_ms']:.1f} ms", "(floor of a Python CLI)"),
        *more,
    ]
    print(table(rows))
    print(f"load average {' '.join(map(str, res['load_average']))} (when the run ended)")
    print(f"wrote {write_json('boot', res)}")


if __name__ == "__main__":
    main()
