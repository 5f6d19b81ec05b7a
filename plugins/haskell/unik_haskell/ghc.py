"""The installed GHC: where it is, its version and library directory, and the
static C libraries its link step names."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from unik.api import UnikError

GHC_INSTALL = "apt-get install -y ghc"
GMP_INSTALL = "apt-get install -y libgmp-dev"
FFI_INSTALL = "apt-get install -y libffi-dev"
SYSTEM_LIB_DIRS = (Path("/usr/lib/x86_64-linux-gnu"), Path("/usr/lib"), Path("/usr/local/lib"))
_INFO_PAIR = re.compile(r'\("([^"]*)","([^"]*)"\)')


@dataclass(frozen=True)
class Ghc:
    ghc: str
    ghc_pkg: str
    version: str        # "9.0.2"
    libdir: Path        # /usr/lib/ghc: include/Rts.h, rts/libHSrts.a, package dirs
    package_db: Path    # the global package database (Debian: /var/lib/ghc/package.conf.d)


@functools.cache
def _capture(*cmd: str) -> str:
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UnikError(f"{cmd[0]}: {e}") from None
    if proc.returncode != 0:
        raise UnikError(f"`{' '.join(cmd)}` failed: {(proc.stderr or proc.stdout).strip()}")
    return proc.stdout.strip()


def ghc() -> Ghc:
    """The installed GHC, from one `ghc --info` (it is asked on every build)."""
    path = shutil.which("ghc")
    if path is None:
        raise UnikError(f"ghc not found: install it with `{GHC_INSTALL}`")
    pkg = shutil.which("ghc-pkg") or str(Path(path).with_name("ghc-pkg"))
    info = dict(_INFO_PAIR.findall(_capture(path, "--info")))
    try:
        version, libdir = info["Project version"], Path(info["LibDir"])
        package_db = Path(info["Global Package DB"])
    except KeyError as e:
        raise UnikError(f"`ghc --info` does not say {e}: is {path} GHC?") from None
    if not (libdir / "rts" / "libHSrts.a").is_file():
        raise UnikError(f"{libdir}/rts/libHSrts.a (GHC's static runtime) is missing: "
                        f"install it with `{GHC_INSTALL}`")
    return Ghc(ghc=path, ghc_pkg=pkg, version=version, libdir=libdir, package_db=package_db)


def static_lib(name: str, dirs: list[Path]) -> Path | None:
    for d in [*dirs, *SYSTEM_LIB_DIRS]:
        p = d / f"lib{name}.a"
        if p.is_file():
            return p
    return None
