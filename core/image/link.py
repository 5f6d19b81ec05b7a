"""Building a project into an image: plugin build, link with core + musl, check, strip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..api import BuildContext, BuildResult, Language
from ..cache import cache_key, cache_root, cached_dir, files_key
from ..errors import UnikError
from ..model import Project
from ..plugins import PluginFailed, blame, owner
from ..toolchain import flags, gcc
from ..toolchain.corelib import ensure_core
from ..toolchain.jobs import jobs
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


_PRINT_LOCK = threading.Lock()


def run_tool(cmd: Sequence[str], *, what: str, cwd: Path | None = None,
             env: Mapping[str, str] | None = None,
             verbose: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a build tool; a failure is a UnikError showing the tool's own message.

    Thread-safe: plugins may run several at once. env adds to (or overrides)
    unik's own environment.
    """
    if verbose:
        with _PRINT_LOCK:
            print("+", " ".join(map(str, cmd)), file=sys.stderr, flush=True)
    full_env = {**os.environ, **env} if env else None
    try:
        proc = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, cwd=cwd,
                              env=full_env)
    except FileNotFoundError:
        raise UnikError(f"{what}: {cmd[0]} not found") from None
    except OSError as e:
        raise UnikError(f"{what}: {cmd[0]}: {e.strerror}") from None
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip()
        raise UnikError(f"{what} failed:\n{msg}" if msg else f"{what} failed")
    return proc


def _serialised(say: Callable[[str], None]) -> Callable[[str], None]:
    def progress(msg: str) -> None:
        with _PRINT_LOCK:
            say(msg)
    return progress


def build(project: Project, lang: Language, *, progress: Callable[[str], None],
          verbose: bool = False) -> Built:
    with blame(lang, "checking its toolchain"):
        lang.check_toolchain()
    gcc.gcc()
    musl = ensure_musl(progress)
    core = ensure_core(musl, progress)
    malloc = ensure_mimalloc(musl, progress)       # searched before libc.a: the guest's malloc
    out_dir = project.dir / BUILD_DIR
    out_dir.mkdir(exist_ok=True)
    used: list[Path] = []      # the cached_dir entries this build used

    def cached(kind: str, key: str, make: Callable[[Path], None]) -> Path:
        path = cached_dir(kind, key, make)
        used.append(path)
        return path

    def run(cmd: Sequence[str], what: str = "build step", cwd: Path | None = None,
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return run_tool(cmd, what=what, cwd=cwd, env=env, verbose=verbose)

    ctx = BuildContext(
        project=project, project_dir=project.dir, build_dir=out_dir, cc=gcc.gcc(),
        cflags=flags.app_cflags(musl.include), libc_include=musl.include,
        unik_include=flags.INCLUDE, progress=_serialised(progress), run=run,
        cached_dir=cached, verbose=verbose, ar=gcc.tool("ar"), jobs=jobs(),
        compiler_id=f"{gcc.gcc()} {gcc.version()}",
        uapi_cflags=flags.kernel_headers(cache_root()))
    image = image_path(project)
    debug = image.with_name(image.name + ".debug")
    stamp_file = out_dir / f".{project.name}.stamp"
    with blame(lang, "saying what its build depends on (fingerprint)"):
        declared = list(lang.fingerprint(ctx))
    stamp = _stamp(project, lang, [*core.objects, *core.net, malloc, musl.libc], declared)
    if image.is_file() and debug.is_file() and _up_to_date(stamp_file, stamp):
        return Built(image=image, debug=debug, info=elf.read(image), fresh=False)
    stamp_file.unlink(missing_ok=True)
    with blame(lang, "building"):
        result = lang.build(ctx)
        _check_result(result)
    tmp = image.with_name(image.name + ".tmp")
    map_file = image.with_name(image.name + ".map")
    run_tool(flags.link_command(tmp, [*core.objects, *result.objects],
                                [*result.libs, malloc, musl.libc], map_file=map_file),
             what="linking", verbose=verbose)
    if _uses_sockets(tmp):
        # The program creates sockets: link again with the network stack
        # (lwIP, ~85 KiB), which every other image goes without.
        run_tool(flags.link_command(tmp, [*core.objects, *core.net, *result.objects],
                                    [*result.libs, malloc, musl.libc], map_file=map_file),
                 what="linking (with the network stack)", verbose=verbose)
    try:
        checks.check_no_syscall(tmp)
        shutil.move(tmp, debug)
        run_tool([gcc.tool("strip"), "--strip-all", "-o", str(image), str(debug)],
                 what="stripping", verbose=verbose)
    finally:
        tmp.unlink(missing_ok=True)
    stamp_file.write_text(json.dumps({"stamp": stamp, "cached": sorted(map(str, used))}))
    return Built(image=image, debug=debug, info=elf.read(image))


def _uses_sockets(image: Path) -> bool:
    """Did musl's socket() survive the link's --gc-sections (called directly,
    or through, e.g., its resolver)? Its archive member alone says nothing:
    the core's glibc layer pulls it in for every image."""
    from .symbols import symbols_for

    syms = symbols_for(image)
    if not syms.names:
        return True                     # cannot tell: be safe, link the stack
    return any(name == "socket" for name, _size in syms.names)


def _check_result(result: object) -> None:
    """A plugin's BuildResult must name files that exist (else the link fails obscurely)."""
    if not isinstance(result, BuildResult):
        raise TypeError(f"build() returned {type(result).__name__}, not a unik.api.BuildResult")
    for p in [*result.objects, *result.libs]:
        if not Path(p).is_file():
            raise FileNotFoundError(f"build() returned {p}, which does not exist")


def _up_to_date(stamp_file: Path, stamp: str) -> bool:
    """The stamp matches, and every cache entry the last build used is still there."""
    try:
        record = json.loads(stamp_file.read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("stamp") != stamp:
        return False
    return all(Path(p).is_dir() for p in record.get("cached", []))


def plugin_files(lang: Language) -> list[Path]:
    """The files of the plugin that defines lang: its package's folder, or only
    its module file for a plugin that is one top-level module (whose folder is
    site-packages)."""
    module = sys.modules.get(type(lang).__module__)
    file = getattr(module, "__file__", None)
    if not file:
        return []
    path = Path(file).resolve()
    if path.name != "__init__.py" and "." not in type(lang).__module__:
        return [path]
    return _tree(path.parent)


def _tree(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not any(
        part.startswith(".") or part in skip or part == "__pycache__"
        for part in p.relative_to(root).parts)]


def _stamp(project: Project, lang: Language, prebuilt: list[Path],
           declared: list[str | bytes | os.PathLike[str]]) -> str:
    """What an image was built from: the project's files, the language plugin's
    files and what its fingerprint() declares, the image builder's own code, and
    the cached core and musl (their paths carry their keys). The same stamp
    means the image is up to date."""
    inputs = [*_tree(project.dir, (BUILD_DIR,)), *plugin_files(lang),
              Path(__file__).resolve(), Path(flags.__file__).resolve(), flags.LINKER_SCRIPT]
    rel = [str(p) for p in sorted(inputs)]
    try:
        declared_key = cache_key(*declared)
    except OSError as e:
        raise PluginFailed(owner(lang), f"plugin {owner(lang)}: fingerprint() names "
                           f"{e.filename}, which cannot be read ({e.strerror})") from e
    return files_key(inputs, lang.name, *rel, *map(str, prebuilt), declared_key)


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
