"""Debian source packages, fetched without touching the system's apt set-up.

`apt-get source` needs `deb-src` lines, which most systems lack. unik writes a
private apt configuration under its cache (its own sources.list with a
`deb-src` line for every `deb` source the system has, its own lists and
caches) and runs `apt-get update` and `apt-get source --download-only` with
it. The system's apt state is never touched and root is not needed beyond
what apt itself needs to read its keyrings.

musl (toolchain/musl.py) comes this way, and plugins get the same through
`unik.api.fetch_debian_source(ctx, package)`.

Cache layout (under unik.cache.cache_root()):
    debian-src/apt/                  private apt configuration (lists only while fetching)
    debian-src/<package>/download/   the .dsc and its tarballs, fetched once
    debian-src/<package>/<version>/  the unpacked source (Debian's patches applied)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..cache import cache_root, cached_dir
from ..errors import UnikError

Progress = Callable[[str], None]
APT_TIMEOUT = 600
DPKG_DEV_HINT = "apt-get install -y dpkg-dev"
_PACKAGE_RE = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")


@dataclass(frozen=True)
class DebianSource:
    """A Debian source package in unik's cache."""

    package: str    # the source package's name, as its .dsc says ("lua5.4")
    version: str    # Debian version, e.g. "5.4.4-3+deb12u1"
    dsc: Path       # the downloaded .dsc (its tarballs beside it)
    tree: Path | None = None   # the unpacked source, patches applied; shared: copy
                               # it before building in it

    @property
    def upstream(self) -> str:
        """The upstream version ("5.4.4"): no epoch, no Debian revision."""
        return upstream_version(self.version)


def upstream_version(version: str) -> str:
    return version.split(":")[-1].rsplit("-", 1)[0]


def fetch(package: str, say: Progress, *, unpack: bool = True) -> DebianSource:
    """The source package of `package` (a source or binary package name),
    downloaded once into the cache and, with unpack, unpacked once."""
    if not _PACKAGE_RE.match(package):
        raise UnikError(f"'{package}' is not a Debian package name")
    base = cache_root() / "debian-src"
    with lock(base / ".lock", say, f"download of {package}'s source"):
        pkg = cached_dir(f"debian-src/{package}", "download",
                         lambda out: download(package, out, base / "apt", say))
    dscs = sorted(pkg.glob("*.dsc"))
    if len(dscs) != 1:
        raise UnikError(f"{pkg} should hold one .dsc, it holds {len(dscs)}: remove that "
                        "directory and unik fetches the source again")
    version = dsc_field(dscs[0], "Version")
    source = dsc_field(dscs[0], "Source") or package
    if version is None:
        raise UnikError(f"{dscs[0]} has no Version field: remove {pkg} to fetch it again")
    src = DebianSource(package=source, version=version, dsc=dscs[0])
    if not unpack:
        return src
    with lock(base / package / ".lock", say, f"unpacking {package}'s source"):
        entry = cached_dir(f"debian-src/{package}", version,
                           lambda out: _unpack(src, out, say))
    return DebianSource(package=source, version=version, dsc=dscs[0],
                        tree=entry / f"{source}-{src.upstream}")


def _unpack(src: DebianSource, out: Path, say: Progress) -> None:
    say(f"unpacking {src.package} {src.version} (dpkg-source -x, once)")
    dpkg_source = shutil.which("dpkg-source")
    if dpkg_source is None:
        raise UnikError(f"dpkg-source not found (needed to unpack {src.package}'s source): "
                        f"install it with `{DPKG_DEV_HINT}`")
    run_step([dpkg_source, "--no-copy", "-x", str(src.dsc),
              str(out / f"{src.package}-{src.upstream}")],
             what=f"dpkg-source -x {src.dsc.name}")


def download(package: str, out: Path, apt_dir: Path, say: Progress) -> None:
    """apt-get source --download-only PACKAGE into out, through a private apt set-up."""
    say(f"fetching the Debian source of {package} (apt-get source, once)")
    if shutil.which("apt-get") is None:
        raise UnikError(f"apt-get not found: fetching {package}'s Debian source package "
                        "needs a Debian or Ubuntu host")
    opts = private_apt_options(apt_dir)
    try:
        run_step(["apt-get", "-q", *opts, "update"],
                 what="apt-get update (private, for deb-src)", timeout=APT_TIMEOUT)
        run_step(["apt-get", "-q", *opts, "source", "--download-only", package],
                 what=f"apt-get source --download-only {package}", cwd=out,
                 timeout=APT_TIMEOUT)
    finally:
        # The package is all we keep; the index lists (~20 MB) are only needed
        # again to fetch another package, and then they are stale anyway.
        for sub in ("state", "cache"):
            shutil.rmtree(apt_dir / sub, ignore_errors=True)
    if not any(out.glob("*.dsc")):
        raise UnikError(f"apt-get source {package} downloaded no .dsc file: check the "
                        f"deb-src lines in {apt_dir / 'sources.list'}")


def private_apt_options(apt_dir: Path) -> list[str]:
    """apt options that keep lists, caches and sources under apt_dir."""
    lines = deb_src_lines(Path("/etc/apt"))
    if not lines:
        raise UnikError("no Debian package sources found in /etc/apt (sources.list, "
                        "sources.list.d/*.sources): unik needs them to fetch source packages")
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


def dsc_field(dsc: Path, name: str) -> str | None:
    m = re.search(rf"^{re.escape(name)}:\s*(\S+)", dsc.read_text(errors="replace"), re.M)
    return m.group(1) if m else None


# --- helpers -------------------------------------------------------------------------


def run_step(cmd: list[str], *, what: str, cwd: Path | None = None,
             env: dict[str, str] | None = None, log: Path | None = None,
             timeout: float | None = None) -> None:
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
def lock(path: Path, say: Progress, what: str) -> Iterator[None]:
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
