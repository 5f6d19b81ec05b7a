"""Building a project into an image: plugin build, link with core + musl, check, strip."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..api import BuildContext, Language
from ..cache import cached_dir
from ..errors import UnikError
from ..model import Project
from ..toolchain import flags, gcc
from ..toolchain.corelib import ensure_core
from ..toolchain.musl import ensure_musl
from . import checks, elf

BUILD_DIR = "_build"


@dataclass
class Built:
    image: Path          # stripped
    debug: Path          # with symbols, for crash reports
    info: elf.Image


def image_path(project: Project) -> Path:
    return project.dir / BUILD_DIR / f"{project.name}.unik"


def run_tool(cmd: Sequence[str], *, what: str, cwd: Path | None = None,
             verbose: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a build tool; a failure is a UnikError showing the tool's own message."""
    if verbose:
        print("+", " ".join(map(str, cmd)), file=sys.stderr)
    try:
        proc = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, cwd=cwd)
    except FileNotFoundError:
        raise UnikError(f"{what}: {cmd[0]} not found") from None
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip()
        raise UnikError(f"{what} failed:\n{msg}" if msg else f"{what} failed")
    return proc


def build(project: Project, lang: Language, *, progress: Callable[[str], None],
          verbose: bool = False) -> Built:
    lang.check_toolchain()
    gcc.gcc()
    musl = ensure_musl(progress)
    core = ensure_core(musl, progress)
    out_dir = project.dir / BUILD_DIR
    out_dir.mkdir(exist_ok=True)
    ctx = BuildContext(
        project=project, project_dir=project.dir, build_dir=out_dir, cc=gcc.gcc(),
        cflags=flags.app_cflags(musl.include), libc_include=musl.include,
        unik_include=flags.INCLUDE, progress=progress,
        run=lambda cmd, what="build step", cwd=None: run_tool(cmd, what=what, cwd=cwd,
                                                              verbose=verbose),
        cached_dir=cached_dir, verbose=verbose)
    result = lang.build(ctx)
    image = image_path(project)
    debug = image.with_name(image.name + ".debug")
    tmp = image.with_name(image.name + ".tmp")
    run_tool(flags.link_command(tmp, [*core.objects, *result.objects],
                                [*result.libs, musl.libc]),
             what="linking", verbose=verbose)
    try:
        checks.check_no_syscall(tmp)
        shutil.move(tmp, debug)
        run_tool([gcc.tool("strip"), "--strip-all", "-o", str(image), str(debug)],
                 what="stripping", verbose=verbose)
    finally:
        tmp.unlink(missing_ok=True)
    return Built(image=image, debug=debug, info=elf.read(image))


def summary(b: Built) -> str:
    """One line: path, size, entry points, section count."""
    info = b.info
    entries = []
    if info.pvh_entry is not None:
        entries.append(f"PVH {info.pvh_entry:#x}")
    if info.pv_entry is not None:
        entries.append(f"PV {info.pv_entry:#x}")
    alloc = [s for s in info.sections if s.flags & 2]
    secs = " ".join(f"{s.name} {human_size(s.size)}" for s in alloc[:6])
    return (f"{b.image} ({human_size(info.size)} stripped; "
            f"entries: {', '.join(entries) or 'none'}; {len(alloc)} sections: {secs})")


def human_size(n: float) -> str:
    if n < 1024:
        return f"{int(n)} B"
    n /= 1024
    if n < 1024:
        return f"{n:.1f} KiB"
    return f"{n / 1024:.1f} MiB"
