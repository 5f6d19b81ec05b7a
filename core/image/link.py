"""Building a project into an image: plugin build, link with core + musl, check, strip."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..api import BuildContext, Language
from ..cache import cached_dir, files_key
from ..errors import UnikError
from ..model import Project
from ..toolchain import flags, gcc
from ..toolchain.corelib import ensure_core
from ..toolchain.mimalloc import ensure_mimalloc
from ..toolchain.musl import ensure_musl
from . import checks, elf

BUILD_DIR = "_build"


@dataclass
class Built:
    image: Path          # stripped
    debug: Path          # with symbols, for crash reports
    info: elf.Image
    fresh: bool = True   # False: the image was up to date and not rebuilt


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
    malloc = ensure_mimalloc(musl, progress)       # searched before libc.a: the guest's malloc
    out_dir = project.dir / BUILD_DIR
    out_dir.mkdir(exist_ok=True)
    ctx = BuildContext(
        project=project, project_dir=project.dir, build_dir=out_dir, cc=gcc.gcc(),
        cflags=flags.app_cflags(musl.include), libc_include=musl.include,
        unik_include=flags.INCLUDE, progress=progress,
        run=lambda cmd, what="build step", cwd=None: run_tool(cmd, what=what, cwd=cwd,
                                                              verbose=verbose),
        cached_dir=cached_dir, verbose=verbose)
    image = image_path(project)
    debug = image.with_name(image.name + ".debug")
    stamp_file = out_dir / f".{project.name}.stamp"
    stamp = _stamp(project, lang, [*core.objects, malloc, musl.libc])
    if image.is_file() and debug.is_file() and stamp_file.is_file() \
            and stamp_file.read_text() == stamp:
        return Built(image=image, debug=debug, info=elf.read(image), fresh=False)
    stamp_file.unlink(missing_ok=True)
    result = lang.build(ctx)
    tmp = image.with_name(image.name + ".tmp")
    run_tool(flags.link_command(tmp, [*core.objects, *result.objects],
                                [*result.libs, malloc, musl.libc],
                                map_file=image.with_name(image.name + ".map")),
             what="linking", verbose=verbose)
    try:
        checks.check_no_syscall(tmp)
        shutil.move(tmp, debug)
        run_tool([gcc.tool("strip"), "--strip-all", "-o", str(image), str(debug)],
                 what="stripping", verbose=verbose)
    finally:
        tmp.unlink(missing_ok=True)
    stamp_file.write_text(stamp)
    return Built(image=image, debug=debug, info=elf.read(image))


def _stamp(project: Project, lang: Language, prebuilt: list[Path]) -> str:
    """What an image was built from: the project's files, the language plugin's
    and the image builder's own code, and the cached core and musl (their paths
    carry their keys). The same stamp means the image is up to date."""
    def files(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
        return [p for p in root.rglob("*") if p.is_file() and not any(
            part.startswith(".") or part in skip for part in p.relative_to(root).parts)]

    plugin_dir = Path(sys.modules[type(lang).__module__].__file__ or ".").resolve().parent
    inputs = [*files(project.dir, (BUILD_DIR, "__pycache__")),
              *files(plugin_dir, ("__pycache__",)),
              Path(__file__).resolve(), Path(flags.__file__).resolve(), flags.LINKER_SCRIPT]
    rel = [str(p) for p in sorted(inputs)]
    return files_key(inputs, lang.name, *rel, *map(str, prebuilt))


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
