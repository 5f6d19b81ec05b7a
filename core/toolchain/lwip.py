"""The guest's network stack: lwIP 2.1 from Debian's source package, plus
core/native/net (the port, the NIC glue and the BSD sockets over lwIP).

Like musl, the source comes from `apt-get source lwip` (a private apt
configuration, see musl.py) into the cache once. Debian's patches touch
only lwIP's contrib ports and CMake files, none of the stack's sources we
compile, so the upstream tree is used as it is. The objects are compiled
with the core's flags (freestanding, -Werror for our files) and cached by
their inputs; corelib adds them to the core's objects, and the link's
--gc-sections drops all of it from images that never open a socket.

Cache layout (under unik.cache.cache_root()):
    lwip-src/debian/      the downloaded source package
    netstack/<key>/       the objects
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..cache import cache_root, cached_dir, files_key
from ..errors import UnikError
from . import flags, gcc
from .jobs import jobs
from .musl import APT_TIMEOUT, Musl, _dsc_field, _lock, _private_apt, _run

NET = flags.NATIVE / "net"
PORT = NET / "port"
RECIPE = "1"
# The parts of lwIP the core uses: IPv4, ARP, ICMP, UDP, TCP, DHCP; no sockets
# API (ours is in core/native/net), no IPv6 yet.
LWIP_FILES = [
    *(f"src/core/{n}.c" for n in ("def", "inet_chksum", "init", "ip", "mem", "memp", "netif",
                                  "pbuf", "stats", "sys", "tcp", "tcp_in", "tcp_out",
                                  "timeouts", "udp")),
    *(f"src/core/ipv4/{n}.c" for n in ("dhcp", "etharp", "icmp", "ip4", "ip4_addr",
                                       "ip4_frag")),
    "src/netif/ethernet.c",
]

Progress = Callable[[str], None]


def ensure_source(say: Progress) -> tuple[Path, str]:
    """(the .orig tarball, the Debian version) of lwIP, downloaded once."""
    base = cache_root() / "lwip-src"
    with _lock(base / ".lock", say, "lwIP source download"):
        pkg = cached_dir("lwip-src", "debian", lambda out: _fetch(out, base / "apt", say))
    dscs = sorted(pkg.glob("lwip_*.dsc"))
    tars = sorted(pkg.glob("lwip_*.orig.tar.*"))
    if len(dscs) != 1 or len(tars) != 1:
        raise UnikError(f"{pkg} should hold one lwip .dsc and .orig tarball: remove that "
                        f"directory and unik fetches the source again")
    version = _dsc_field(dscs[0], "Version") or "unknown"
    return tars[0], version


def _fetch(out: Path, apt_dir: Path, say: Progress) -> None:
    say("fetching lwIP source (apt-get source lwip)")
    opts = _private_apt(apt_dir)
    _run(["apt-get", "-q", *opts, "update"], what="apt-get update (private, for deb-src)",
         timeout=APT_TIMEOUT)
    _run(["apt-get", "-q", *opts, "source", "--download-only", "lwip"],
         what="apt-get source --download-only lwip", cwd=out, timeout=APT_TIMEOUT)
    for sub in ("state", "cache"):
        import shutil
        shutil.rmtree(apt_dir / sub, ignore_errors=True)


def net_sources() -> list[Path]:
    return sorted(p for p in NET.glob("*.c"))


def _inputs() -> list[Path]:
    return [*net_sources(), *sorted(NET.rglob("*.h")), *sorted(flags.INCLUDE.rglob("*.h"))]


def ensure_netstack(musl: Musl, progress: Progress | None = None) -> list[Path]:
    """The objects of lwIP and core/native/net, built once per configuration."""
    say = progress or (lambda _m: None)
    tarball, version = ensure_source(say)
    cflags = flags.core_cflags(musl.include)
    key = files_key(_inputs(), version, gcc.version(), " ".join(cflags), RECIPE,
                    str(musl.prefix), *LWIP_FILES)

    def build(out: Path) -> None:
        say(f"compiling the network stack (lwIP {version.split('+')[0]}, once)")
        with tempfile.TemporaryDirectory() as tmp:
            with tarfile.open(tarball) as tf:
                tf.extractall(tmp, filter="data")
            roots = [p for p in Path(tmp).iterdir() if (p / "src" / "core").is_dir()]
            if not roots:
                raise UnikError(f"{tarball}: no lwIP source tree inside")
            root = roots[0]
            inc = ["-I", str(PORT), "-I", str(root / "src" / "include")]
            # lwIP's own files: the core's flags, minus the warnings lwIP
            # was not written for (they are not ours to fix).
            lw = [f for f in cflags if f not in ("-Werror", "-Wextra")]
            work = [(root / f, out / ("lwip__" + f.replace("/", "__") + ".o"), lw)
                    for f in LWIP_FILES]
            work += [(s, out / ("net__" + s.name + ".o"), cflags) for s in net_sources()]

            def cc(job: tuple[Path, Path, list[str]]) -> None:
                src, obj, fl = job
                cmd = [gcc.gcc(), *fl, *inc, "-c", str(src), "-o", str(obj)]
                proc = subprocess.run(cmd, capture_output=True, text=True)
                if proc.returncode != 0:
                    raise UnikError(f"network stack: {src.name} does not compile:\n"
                                    f"{proc.stderr.strip()}")

            with ThreadPoolExecutor(max_workers=jobs()) as pool:
                list(pool.map(cc, work))

    with _lock(cache_root() / "netstack" / ".lock", say, "network stack build"):
        d = cached_dir("netstack", key, build)
    return sorted(d.glob("*.o"))
