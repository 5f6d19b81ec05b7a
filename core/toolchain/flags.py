"""The one place that says how guest code is compiled and linked.

See docs/internals.md ("Compile flags"). Core code is freestanding and may
run in ring 0 (no red zone, no stack protector: it runs before TLS exists);
application and runtime code is ordinary C against musl's headers.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import gcc

NATIVE = Path(__file__).resolve().parent.parent / "native"
INCLUDE = NATIVE / "include"
LINKER_SCRIPT = NATIVE / "arch" / "x86_64" / "unik.ld"

_COMMON = [
    "-m64", "-fno-pic", "-fno-pie", "-ffunction-sections", "-fdata-sections",
    "-fno-asynchronous-unwind-tables", "-fno-plt", "-O2", "-g",
]


def _system_includes(musl_include: Path) -> list[str]:
    return ["-nostdinc", "-isystem", str(musl_include), "-isystem", str(gcc.include_dir()),
            "-I", str(INCLUDE)]


# Linux's UAPI headers (Debian's linux-libc-dev): constants and structs of the
# kernel interface, written for any libc.
_UAPI = (("linux", Path("/usr/include/linux")),
         ("asm-generic", Path("/usr/include/asm-generic")),
         ("asm", Path("/usr/include/x86_64-linux-gnu/asm")))


def kernel_headers(cache: Path) -> list[str]:
    """-idirafter a directory of Linux's UAPI headers alone (linux/, asm/,
    asm-generic/), for applications: a program that includes <linux/fs.h>
    (BLKGETSIZE64, …) compiles as it does on Linux, musl's headers keep
    precedence, and no glibc header can come in as a /usr/include would let
    it. [] when linux-libc-dev is not installed (such an include then fails
    as it does without it on Linux)."""
    if not all(src.is_dir() for _, src in _UAPI):
        return []
    d = cache / "kernel-uapi"
    for name, src in _UAPI:
        link = d / name
        if link.is_symlink() and link.resolve() == src.resolve():
            continue
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{name}.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(src)
        tmp.replace(link)               # atomic: a concurrent build sees one or the other
    return ["-idirafter", str(d)]


def core_cflags(musl_include: Path) -> list[str]:
    """Flags for the guest core itself."""
    return ["-std=c11", "-ffreestanding", "-fno-stack-protector", "-mno-red-zone",
            "-fno-builtin", "-Wall", "-Wextra", "-Werror", *_COMMON,
            *_system_includes(musl_include)]


def app_cflags(musl_include: Path) -> list[str]:
    """Flags for application and language-runtime C code compiled against musl."""
    return ["-std=gnu11", "-fno-stack-protector", "-Wall", *_COMMON,
            *_system_includes(musl_include)]


def asm_flags(musl_include: Path) -> list[str]:
    """Flags for .S files of the core (preprocessed GNU as)."""
    return ["-D__ASSEMBLY__", *_COMMON, *_system_includes(musl_include)]


def link_command(output: Path, objects: list[Path], libs: list[Path],
                 map_file: Path | None = None) -> list[str]:
    """The gcc-driven static link of an image (with a link map for `unik inspect`)."""
    extra = [f"-Wl,-Map={map_file}"] if map_file else []
    return [gcc.gcc(), "-nostdlib", "-static", "-no-pie", "-Wl,--build-id=none", *extra,
            f"-Wl,-T,{LINKER_SCRIPT}", "-Wl,--gc-sections", "-Wl,-z,noexecstack",
            "-Wl,-z,max-page-size=4096", "-o", str(output),
            *map(str, objects), "-Wl,--start-group", *map(str, libs), str(gcc.libgcc()),
            "-Wl,--end-group"]
