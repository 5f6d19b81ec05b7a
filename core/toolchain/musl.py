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

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..cache import cache_root, cached_dir, files_key
from ..errors import UnikError
from ..image.checks import find_syscalls
from . import gcc

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

APT_TIMEOUT = 600
DPKG_DEV_HINT = "apt-get install -y dpkg-dev"
MAKE_HINT = "apt-get install -y make"


@dataclass(frozen=True)
class Musl:
    prefix: Path   # install prefix in the cache
    include: Path  # prefix/include
    libc: Path     # prefix/lib/libc.a


@dataclass(frozen=True)
class Source:
    """A downloaded Debian source package of musl."""

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
    say("fetching musl source (apt-get source musl)")
    if shutil.which("apt-get") is None:
        raise UnikError("apt-get not found: unik builds musl from Debian's source package "
                        "and needs a Debian or Ubuntu host")
    opts = _private_apt(apt_dir)
    _run(["apt-get", "-q", *opts, "update"], what="apt-get update (private, for deb-src)",
         timeout=APT_TIMEOUT)
    _run(["apt-get", "-q", *opts, "source", "--download-only", "musl"],
         what="apt-get source --download-only musl", cwd=out, timeout=APT_TIMEOUT)
    if not any(out.glob("musl_*.dsc")):
        raise UnikError("apt-get source musl downloaded no .dsc file: check the deb-src "
                        f"lines in {apt_dir / 'sources.list'}")
    # The package is all we keep; the index lists (~20 MB) are only needed again
    # if the source is fetched again, and then they are stale anyway.
    for sub in ("state", "cache"):
        shutil.rmtree(apt_dir / sub, ignore_errors=True)


def _private_apt(apt_dir: Path) -> list[str]:
    """apt options that keep lists, caches and sources under apt_dir."""
    lines = deb_src_lines(Path("/etc/apt"))
    if not lines:
        raise UnikError("no Debian package sources found in /etc/apt (sources.list, "
                        "sources.list.d/*.sources): unik needs them to fetch musl's source")
    for sub in ("state/lists/partial", "cache/archives/partial"):
        (apt_dir / sub).mkdir(parents=True, exist_ok=True)
    sources = apt_dir / "sources.list"
    sources.write_text("# written by unik: deb-src lines made from /etc/apt\n"
                       + "".join(f"{line}\n" for line in lines))
    opts = {
        "Dir::State": apt_dir / "state",
        "Dir::Cache": apt_dir / "cache",
        "Dir::Etc::SourceList": sources,
        "Dir::Etc::SourceParts": "/dev/null",
    }
    if os.geteuid() == 0:
        # apt's _apt sandbox user cannot write into root's home; apt would
        # fall back to root anyway, with a warning on every run.
        opts["APT::Sandbox::User"] = "root"
    return [arg for k, v in opts.items() for arg in ("-o", f"{k}={v}")]


def deb_src_lines(etc_apt: Path) -> list[str]:
    """One-line `deb-src` entries for every `deb` source the system has configured."""
    lines: list[str] = []
    parts = etc_apt / "sources.list.d"
    for path in sorted(parts.glob("*.sources")) if parts.is_dir() else []:
        for stanza in _deb822_stanzas(path.read_text()):
            lines += _stanza_lines(stanza)
    one_line = [etc_apt / "sources.list"]
    one_line += sorted(parts.glob("*.list")) if parts.is_dir() else []
    for path in one_line:
        if path.is_file():
            lines += _one_line_entries(path.read_text())
    return list(dict.fromkeys(lines))


def _deb822_stanzas(text: str) -> list[dict[str, str]]:
    stanzas: list[dict[str, str]] = []
    cur: dict[str, str] = {}
    field = ""
    for raw in text.splitlines():
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if cur:
                stanzas.append(cur)
            cur, field = {}, ""
        elif raw[0] in " \t" and field:
            cur[field] += "\n" + raw.strip()
        elif ":" in raw:
            name, value = raw.split(":", 1)
            field = name.strip().lower()
            cur[field] = value.strip()
    if cur:
        stanzas.append(cur)
    return stanzas


def _stanza_lines(stanza: dict[str, str]) -> list[str]:
    types = stanza.get("types", "").split()
    if not ({"deb", "deb-src"} & set(types)) or stanza.get("enabled", "yes").lower() == "no":
        return []
    signed_by = stanza.get("signed-by", "")
    # An inline armoured key cannot go into a one-line entry; apt then falls
    # back to its trusted keyrings, which hold Debian's keys on Debian.
    opt = (f"[signed-by={','.join(signed_by.split())}] "
           if signed_by and "BEGIN PGP" not in signed_by else "")
    comps = " ".join(stanza.get("components", "").split())
    return [f"deb-src {opt}{uri} {suite} {comps}".rstrip()
            for uri in stanza.get("uris", "").split()
            for suite in stanza.get("suites", "").split()]


def _one_line_entries(text: str) -> list[str]:
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith(("deb ", "deb\t", "deb-src ", "deb-src\t")):
            out.append("deb-src " + line.split(None, 1)[1])
    return out


def _dsc_field(dsc: Path, name: str) -> str | None:
    m = re.search(rf"^{re.escape(name)}:\s*(\S+)", dsc.read_text(errors="replace"), re.M)
    return m.group(1) if m else None


# --- the build -----------------------------------------------------------------------


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
        _run([make, f"-j{_jobs()}"], what="musl make", cwd=tree, env=env, log=log)
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


def _jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)))


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


def _run(cmd: list[str], *, what: str, cwd: Path | None = None, env: dict[str, str] | None = None,
         log: Path | None = None, timeout: float | None = None) -> None:
    """Run a build step; on failure a UnikError naming it and its last error line."""
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise UnikError(f"`{what}` did not finish in {timeout:.0f} s: check the network "
                        f"and apt's proxy settings") from None
    except OSError as e:
        raise UnikError(f"`{what}` could not start: {e.strerror}") from None
    if log is not None:
        with log.open("a") as f:
            f.write(f"\n$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    if proc.returncode != 0:
        where = f" (full output: {log})" if log is not None else ""
        raise UnikError(f"`{what}` failed: {_last_line(proc.stderr or proc.stdout)}{where}")


def _last_line(text: str) -> str:
    """The most telling line of a tool's output: its last error, else its last line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.search(r"(^E:|error:|Error:|\berror\b)", ln) and not ln.startswith("make"):
            return ln
    return lines[-1] if lines else "no output"


@contextlib.contextmanager
def _lock(path: Path, say: Progress, what: str) -> Iterator[None]:
    """Serialise unik processes on one cache entry, saying so when one has to wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another unik process ({what})")
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
