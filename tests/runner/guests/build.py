"""Build the runner's bare test guests (xen-pv platform + guest.c, no musl).

Used by the tests and runnable by hand: `python tests/runner/guests/build.py OUT`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
NATIVE = ROOT / "core" / "native"


def sources() -> list[Path]:
    arch = NATIVE / "arch" / "x86_64"
    return [arch / "pv_entry.S", arch / "pv_trap_entry.S", *sorted((NATIVE / "xen").glob("*.c")),
            HERE / "guest.c", HERE / "notes.S"]


def build(out: Path) -> Path:
    """Compile and link the bare guest to `out` (+ `out`.debug); returns out."""
    gcc_inc = subprocess.run(["gcc", "-print-libgcc-file-name"], capture_output=True, text=True,
                             check=True).stdout.strip()
    gcc_inc = str(Path(gcc_inc).parent / "include")
    flags = ["-m64", "-std=c11", "-ffreestanding", "-fno-stack-protector", "-mno-red-zone",
             "-fno-pic", "-fno-pie", "-fno-builtin", "-ffunction-sections", "-fdata-sections",
             "-fno-asynchronous-unwind-tables", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
             "-nostdinc", "-isystem", gcc_inc, "-I", str(NATIVE / "include")]
    out.parent.mkdir(parents=True, exist_ok=True)
    objs = []
    for src in sources():
        obj = out.parent / (src.stem + ".o")
        extra = ["-D__ASSEMBLY__"] if src.suffix == ".S" else []
        subprocess.run(["gcc", *flags, *extra, "-c", str(src), "-o", str(obj)], check=True)
        objs.append(str(obj))
    debug = out.with_name(out.name + ".debug")
    subprocess.run(["gcc", "-nostdlib", "-static", "-no-pie", "-Wl,--build-id=none",
                    f"-Wl,-T,{HERE / 'guest.ld'}", "-Wl,--gc-sections", "-Wl,-z,noexecstack",
                    "-Wl,-z,max-page-size=4096", "-o", str(debug), *objs], check=True)
    subprocess.run(["strip", "-o", str(out), str(debug)], check=True)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]).resolve()))
