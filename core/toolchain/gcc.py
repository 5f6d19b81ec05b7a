"""Finding the system C compiler and the pieces of it a freestanding link needs."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from ..errors import UnikError

INSTALL_HINT = "apt-get install -y gcc binutils"


@functools.cache
def gcc() -> str:
    """Path of gcc, or a UnikError naming the package to install."""
    path = shutil.which("gcc")
    if path is None:
        raise UnikError(f"gcc not found: install it with `{INSTALL_HINT}`")
    return path


def tool(name: str) -> str:
    """A binutils program (objdump, strip, ar, ld)."""
    path = shutil.which(name)
    if path is None:
        raise UnikError(f"{name} not found: install it with `{INSTALL_HINT}`")
    return path


@functools.cache
def version() -> str:
    return subprocess.run([gcc(), "--version"], capture_output=True, text=True,
                          check=True).stdout.splitlines()[0]


@functools.cache
def _print(what: str) -> str:
    return subprocess.run([gcc(), what], capture_output=True, text=True,
                          check=True).stdout.strip()


def libgcc() -> Path:
    """libgcc.a: helpers gcc may call (128-bit division, …)."""
    return Path(_print("-print-libgcc-file-name"))


def include_dir() -> Path:
    """gcc's own headers (stddef.h, stdarg.h, cpuid.h, …)."""
    return libgcc().parent / "include"
