"""The guest's network stack: lwIP 2.1 from Debian's source package, plus
core/native/net (the port, the NIC glue and the BSD sockets over lwIP).

Like musl, the source is Debian's (`apt-get source lwip` through
debsrc.py's private apt set-up, unpacked once with Debian's patches
applied: they add Debian's port and socket-API limits and fix PPP, none of
which the core compiles). The objects are compiled with the core's flags
(freestanding; -Werror for our files) and cached by their inputs;
image/link.py links them only into images that create sockets.

Cache layout (under unik.cache.cache_root()):
    debian-src/lwip/      the source package (debsrc.py)
    netstack/<key>/       the objects
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..cache import cache_root, cached_dir, files_key
from ..errors import UnikError
from . import debsrc, flags, gcc
from .jobs import jobs
from .musl import Musl

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


def net_sources() -> list[Path]:
    return sorted(p for p in NET.glob("*.c"))


def _inputs() -> list[Path]:
    return [*net_sources(), *sorted(NET.rglob("*.h")), *sorted(flags.INCLUDE.rglob("*.h"))]


def ensure_netstack(musl: Musl, progress: Progress | None = None) -> list[Path]:
    """The objects of lwIP and core/native/net, built once per configuration."""
    say = progress or (lambda _m: None)
    src = debsrc.fetch("lwip", say)
    root, version = src.tree, src.version
    if root is None or not (root / "src" / "core").is_dir():
        raise UnikError(f"the lwip source package in {src.dsc.parent} has no src/core: "
                        "remove that directory and unik fetches it again")
    cflags = flags.core_cflags(musl.include)
    key = files_key(_inputs(), version, gcc.version(), " ".join(cflags), RECIPE,
                    str(musl.prefix), *LWIP_FILES)

    def build(out: Path) -> None:
        say(f"compiling the network stack (lwIP {version.split('+')[0]}, once)")
        inc = ["-I", str(PORT), "-I", str(root / "src" / "include")]
        # lwIP's own files: the core's flags, minus the warnings lwIP was not
        # written for (they are not ours to fix).
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

    with debsrc.lock(cache_root() / "netstack" / ".lock", say, "network stack build"):
        d = cached_dir("netstack", key, build)
    return sorted(d.glob("*.o"))
