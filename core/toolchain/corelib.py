"""Compiling the guest core (core/native) once per configuration, cached."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..cache import cached_dir, files_key
from ..errors import UnikError
from . import flags, gcc
from .jobs import jobs
from .lwip import ensure_netstack
from .musl import Musl

# Folders of core/native that make up the core (compat/: the glibc-compatibility
# layer; libc/: faster replacements of musl routines); tests/ and musl/ are not
# part of it.
CORE_DIRS = ("arch/x86_64", "kernel", "xen", "virtio", "compat", "libc")

# The Xen front-ends define unik.h's device calls under these names instead:
# virtio/devices.c routes each call to them or to the virtio drivers,
# whichever the booted platform uses (xen-pv or pvh-bare).
FRONTEND_NAMES = {
    "xen/blkfront.c": ("unik_block_acquire", "unik_block_read", "unik_block_write",
                       "unik_block_flush"),
    "xen/netfront.c": ("unik_net_acquire", "unik_net_read", "unik_net_write",
                       "unik_netdev_config"),
}


def _renames(src: Path) -> list[str]:
    names = FRONTEND_NAMES.get(src.relative_to(flags.NATIVE).as_posix(), ())
    return [f"-D{n}=xen_{n.removeprefix('unik_')}" for n in names]


@dataclass(frozen=True)
class Core:
    objects: list[Path]
    # The network stack (lwIP + core/native/net): linked only into images
    # that create sockets (image/link.py decides from the link map).
    net: list[Path]


def core_sources() -> list[Path]:
    out: list[Path] = []
    for d in CORE_DIRS:
        base = flags.NATIVE / d
        if base.is_dir():
            out += sorted(p for p in base.rglob("*") if p.suffix in (".c", ".S"))
    return out


def _inputs() -> list[Path]:
    headers = sorted(flags.INCLUDE.rglob("*.h"))
    local = [p for d in CORE_DIRS for p in sorted((flags.NATIVE / d).rglob("*.h"))
             if (flags.NATIVE / d).is_dir()]
    return [*core_sources(), *headers, *local, flags.LINKER_SCRIPT]


def _object_name(src: Path) -> str:
    return src.relative_to(flags.NATIVE).as_posix().replace("/", "__") + ".o"


def _compile(src: Path, out: Path, musl: Musl) -> None:
    if src.suffix == ".S":
        cmd = [gcc.gcc(), *flags.asm_flags(musl.include), "-c", str(src), "-o", str(out)]
    else:
        cmd = [gcc.gcc(), *flags.core_cflags(musl.include), *_renames(src), "-c", str(src),
               "-o", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        # A core that does not compile is unik's bug, not the user's: show the compiler.
        raise UnikError(f"guest core: {src.relative_to(flags.NATIVE)} does not compile:\n"
                        f"{proc.stderr.strip()}")


def ensure_core(musl: Musl, progress: Callable[[str], None] | None = None) -> Core:
    """The core's objects, compiled with flags.core_cflags and cached by their inputs."""
    sources = core_sources()
    if not sources:
        raise UnikError("guest core has no sources (core/native is missing from the install)")
    key = files_key(_inputs(), gcc.version(), " ".join(flags.core_cflags(Path("M"))),
                    str(musl.prefix), repr(FRONTEND_NAMES))

    def build(tmp: Path) -> None:
        if progress:
            progress(f"compiling the guest core ({len(sources)} files, once)")
        with ThreadPoolExecutor(max_workers=jobs()) as pool:
            list(pool.map(lambda s: _compile(s, tmp / _object_name(s), musl), sources))

    d = cached_dir("core", key, build)
    return Core(objects=[d / _object_name(s) for s in sources],
                net=ensure_netstack(musl, progress))
