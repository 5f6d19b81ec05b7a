"""musl for the guest: Debian's musl source with its system calls redirected.

The source comes from `apt-get source musl` through a private apt configuration
(the system's apt state is never touched) and is kept in the cache, so only the
first build needs the network. Before the first `make`, the files of
core/native/musl/ replace the musl files that execute `syscall`; every system
call then becomes a call to the core's

    long __unik_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);

See docs/internals.md ("musl") and core/native/musl/README.md.

Cache layout (under unik.cache.cache_root()):
    musl-src/apt/           private apt configuration (sources.list; lists only while fetching)
    musl-src/debian/        the downloaded source package (.dsc, .orig.tar.gz, .debian.tar.xz)
    musl/<key>/             the install prefix: include/, lib/libc.a, lib/crt1.o, ...
    musl/build.log          output of the last build, for failed builds
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..cache import cache_root, cached_dir, files_key
from ..errors import UnikError
from ..image.checks import find_syscalls
from . import debsrc, gcc
from .debsrc import deb_src_lines  # noqa: F401 - re-exported (tests, older callers)
from .debsrc import dsc_field as _dsc_field
from .debsrc import lock as _lock
from .debsrc import run_step as _run
from .jobs import jobs

OVERLAY = Path(__file__).resolve().parent.parent / "native" / "musl"

# musl picks -O levels itself; PIE would only add GOT indirections to a
# static non-PIE image, and the stack protector would make musl depend on
# a canary it does not need (app code is built without it too, see flags.py).
CFLAGS = "-fno-pie -fno-stack-protector"
# Static only; no musl-gcc wrapper, whose spec file would embed the build path.
CONFIGURE_OPTIONS = ("--disable-shared", "--disable-wrapper")
# Bump when the build steps change what ends up in the prefix.
RECIPE = "2"
# musl's x86-64 assembly memcpy/memmove (`rep movsq`) cost ~60 ns per small copy
# in a guest here, against 5-9 ns for musl's own portable C versions, which the
# build uses once these are gone (OCaml's Hashtbl benchmark is copy-bound).
DROPPED = ("src/string/x86_64/memcpy.s", "src/string/x86_64/memmove.s")

DPKG_DEV_HINT = "apt-get install -y dpkg-dev"
MAKE_HINT = "apt-get install -y make"


@dataclass(frozen=True)
class Musl:
    prefix: Path   # install prefix in the cache
    include: Path  # prefix/include
    libc: Path     # prefix/lib/libc.a


@dataclass(frozen=True)
class Source:
    """The downloaded Debian source package of musl (kept in musl-src/, where it
    has always been, rather than debsrc's debian-src/)."""

    dsc: Path
    version: str   # Debian version, e.g. "1.2.3-1"

    @property
    def upstream(self) -> str:
        """The upstream version ("1.2.3"): no epoch, no Debian revision."""
        return self.version.split(":")[-1].rsplit("-", 1)[0]


Progress = Callable[[str], None]


def ensure_musl(progress: Progress | None = None) -> Musl:
    """musl's headers and libc.a for guests, built once per configuration."""
    say = progress or (lambda _msg: None)
    src = ensure_source(say)
    key = musl_key(src.version)
    kind_dir = cache_root() / "musl"
    with _lock(kind_dir / ".lock", say, "musl build"):
        prefix = cached_dir("musl", key, lambda out: _build(src, out, say))
    return Musl(prefix=prefix, include=prefix / "include", libc=prefix / "lib" / "libc.a")


def overlay_files() -> list[Path]:
    """Our replacement files; their paths under OVERLAY mirror musl's tree."""
    return sorted(p for p in OVERLAY.rglob("*") if p.is_file() and p.suffix != ".md")


def musl_key(version: str) -> str:
    """Cache key: musl source version, our overlay files, compiler, build recipe."""
    files = overlay_files()
    rel = [p.relative_to(OVERLAY).as_posix() for p in files]
    return files_key(files, version, gcc.version(), CFLAGS, *CONFIGURE_OPTIONS, RECIPE, *rel,
                     *DROPPED)


# --- the source package -------------------------------------------------------------


def ensure_source(say: Progress) -> Source:
    """The musl source package, downloaded once into the cache."""
    base = cache_root() / "musl-src"
    with _lock(base / ".lock", say, "musl source download"):
        pkg = cached_dir("musl-src", "debian", lambda out: _fetch(out, base / "apt", say))
    dscs = sorted(pkg.glob("musl_*.dsc"))
    if len(dscs) != 1:
        raise UnikError(f"{pkg} should hold one musl .dsc, it holds {len(dscs)}: "
                        f"remove that directory and unik fetches the source again")
    version = _dsc_field(dscs[0], "Version")
    if version is None:
        raise UnikError(f"{dscs[0]} has no Version field: remove {pkg} to fetch it again")
    return Source(dsc=dscs[0], version=version)


def _fetch(out: Path, apt_dir: Path, say: Progress) -> None:
    debsrc.download("musl", out, apt_dir, say)


def _build(src: Source, out: Path, say: Progress) -> None:
    say(f"building musl {src.upstream} (about 30 s, once)")
    dpkg_source = _need("dpkg-source", DPKG_DEV_HINT)
    make = _need("make", MAKE_HINT)
    log = cache_root() / "musl" / "build.log"
    log.write_text(f"unik musl build: {src.dsc.name} -> {out}\n")
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out.parent) as work:
        tree = Path(work) / "musl"
        # dpkg-source applies Debian's patches (none for 1.2.3-1) and verifies
        # the tarballs against the .dsc's checksums.
        _run([dpkg_source, "--no-copy", "-x", str(src.dsc), str(tree)],
             what="dpkg-source -x", log=log)
        _check_patches(tree)
        _debian_extras(tree)
        _overlay(tree, src)
        env = _build_env()
        _run(["./configure", f"--prefix={out}", *CONFIGURE_OPTIONS, f"CC={gcc.gcc()}",
              f"CFLAGS={CFLAGS}"], what="musl configure", cwd=tree, env=env, log=log)
        _run([make, f"-j{jobs()}"], what="musl make", cwd=tree, env=env, log=log)
        _run([make, "install"], what="musl make install", cwd=tree, env=env, log=log)
    libc = out / "lib" / "libc.a"
    if not libc.is_file():
        raise UnikError(f"musl build installed no {libc.name}: see {log}")
    say("checking musl's libc.a for syscall instructions")
    sites = syscall_sites(libc)
    if sites:
        raise UnikError(f"musl's libc.a still holds {len(sites)} syscall instruction(s), "
                        f"first in {sites[0]}: core/native/musl/ lacks a replacement for it")


def _check_patches(tree: Path) -> None:
    """Refuse Debian patches to files we overwrite: they would be lost silently."""
    ours = {p.relative_to(OVERLAY).as_posix() for p in overlay_files()}
    series = tree / "debian" / "patches" / "series"
    if not series.is_file():
        return
    for name in series.read_text().split("\n"):
        name = name.split("#", 1)[0].strip().split(" ")[0]
        patch = tree / "debian" / "patches" / name
        if not name or not patch.is_file():
            continue
        for m in re.finditer(r"^\+\+\+ [^/\s]+/(\S+)", patch.read_text(errors="replace"), re.M):
            if m.group(1) in ours:
                raise UnikError(f"Debian's musl patch {name} changes {m.group(1)}, which unik "
                                f"replaces: update core/native/musl/{m.group(1)} for it")


def _debian_extras(tree: Path) -> None:
    """What debian/rules adds to musl before configure: the fts library (fts.h, fts.c)."""
    fts = tree / "debian" / "musl-fts"
    if not fts.is_dir():
        return
    (tree / "src" / "fts").mkdir(exist_ok=True)
    for name in ("fts.c", "config.h"):
        shutil.copy2(fts / name, tree / "src" / "fts" / name)
    shutil.copy2(fts / "fts.h", tree / "include" / "fts.h")


def _overlay(tree: Path, src: Source) -> None:
    """Copy our files over musl's. Only replacements: a missing original means
    musl's layout changed and the overlay must be looked at again."""
    for ours in overlay_files():
        rel = ours.relative_to(OVERLAY)
        target = tree / rel
        if not target.is_file():
            raise UnikError(f"musl {src.version} has no {rel.as_posix()}: core/native/musl/ "
                            f"was written for musl 1.2.3's layout")
        shutil.copyfile(ours, target)
    for rel_name in DROPPED:
        target = tree / rel_name
        if not target.is_file():
            raise UnikError(f"musl {src.version} has no {rel_name} to drop: core/toolchain/"
                            "musl.py was written for musl 1.2.3's layout")
        target.unlink()


def _build_env() -> dict[str, str]:
    """The caller's environment minus what would change musl's build behind our key."""
    drop = {"CFLAGS", "CPPFLAGS", "LDFLAGS", "LIBCC", "CROSS_COMPILE", "CC", "AR",
            "RANLIB", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["LC_ALL"] = "C"
    return env


# --- checking for system-call instructions -----------------------------------------


def syscall_sites(obj: Path) -> list[str]:
    """Where an object or archive executes syscall/sysenter, as "member:function"."""
    return [f"{s.member}:{s.function}" for s in find_syscalls(obj)]


# --- helpers -------------------------------------------------------------------------


def _need(program: str, hint: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise UnikError(f"{program} not found (needed to build musl): install it with `{hint}`")
    return path
