"""A comparison program as an ordinary Linux executable (`unik compare --native`):
the same sources built by the same GHC with its defaults (glibc, its own C main,
the non-threaded RTS), for the native column."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from unik.api import UnikError

from .ghc import ghc


def native_build(project_dir: Path, out_dir: Path) -> list[str]:
    g = ghc()
    work = out_dir / "src"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(project_dir, work, ignore=shutil.ignore_patterns("_build", "unik.toml"))
    if not (work / "Main.hs").is_file():
        raise UnikError(f"no Main.hs in {project_dir}")
    exe = out_dir / "prog"
    proc = subprocess.run([g.ghc, "-O2", "-v0", "-outputdir", str(out_dir / "ghc"),
                           "-o", str(exe), "Main.hs"], cwd=work, capture_output=True, text=True)
    if proc.returncode != 0:
        raise UnikError(f"building {project_dir.name} natively with GHC failed:\n"
                        f"{(proc.stderr or proc.stdout).strip()}")
    return [str(exe)]
