"""GHC's link step, captured: GHC is given a "linker" (`-pgml`) that only
writes its arguments down; they name the program's objects and the archives
(packages, RTS flavour, gmp, ffi) the image linker then links with the core
and musl instead of glibc."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from unik.api import UnikError

from .ghc import FFI_INSTALL, GMP_INSTALL, static_lib

# Libraries named by GHC's link step that musl's libc.a already holds.
LIBC_PARTS = frozenset({"c", "m", "rt", "dl", "pthread", "util"})

CAPTURE_SCRIPT = """#!/bin/sh
# unik: GHC's "linker". It writes GHC's link arguments down (response files
# expanded) for the image linker, and links nothing.
for a in "$@"; do
  case "$a" in @*) cat "${{a#@}}"; echo;; *) printf '"%s"\\n' "$a";; esac
done > '{args}'
"""


def _unquote(line: str) -> str:
    line = line.strip()
    if len(line) >= 2 and line[0] == '"' and line[-1] == '"':
        line = line[1:-1]
    return re.sub(r"\\(.)", r"\1", line)


@dataclass
class LinkInputs:
    objects: list[Path]
    libs: list[Path]


def parse_link_args(text: str, outputdir: Path) -> LinkInputs:
    """The project's objects and the archives from GHC's link arguments."""
    args = [_unquote(line) for line in text.splitlines() if line.strip()]
    dirs = [Path(a[2:]) for a in args if a.startswith("-L")]
    objects: list[Path] = []
    libs: list[Path] = []
    for a in args:
        if a.endswith(".o") and not a.startswith("-"):
            p = Path(a)
            # GHC's own temporary objects (a link-info note) stay behind.
            if outputdir in p.resolve().parents:
                objects.append(p)
        elif a.startswith("-l"):
            name = a[2:]
            if name in LIBC_PARTS:
                continue
            lib = static_lib(name, dirs)
            if lib is None:
                hint = {"gmp": GMP_INSTALL, "ffi": FFI_INSTALL}.get(
                    name, f"install the -dev package that holds lib{name}.a")
                raise UnikError(f"no static library lib{name}.a (GHC links with -l{name}): "
                                f"{hint}")
            if lib not in libs:
                libs.append(lib)
    return LinkInputs(objects, libs)
