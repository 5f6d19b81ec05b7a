"""User-mode networking for netback: libslirp (Debian's libslirp0).

libslirp is the user-mode TCP/IP of QEMU: it answers the guest's ARP, DHCP
and DNS as a virtual router (10.0.2.2; the guest gets 10.0.2.15), turns the
guest's TCP/UDP flows into host sockets, and forwards host ports to the
guest (`unik run -p HOST:GUEST`), all without root.

The binding is in two halves. Set-up (slirp_new with the configuration,
the port forwards, slirp_cleanup) is here, through ctypes: it runs once,
and needs neither libslirp's -dev package nor a compiler where unik is
installed. Everything per packet is C (netring.pyx's `HostNet`): libslirp's
callbacks (send_packet, timers, the poll-fd protocol) are C functions there,
and the netback thread calls slirp_input / slirp_pollfds_fill /
slirp_pollfds_poll through the library's own entry points, which this
file looks up and hands over. (Until 2026-12 the callbacks were ctypes
ones too: Python ran several times per packet, ~20k UDP packets/s at most.)
"""

from __future__ import annotations

import ctypes as C
import ctypes.util
import os
import socket
import stat
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UnikError
from .netring import HostNet

NETMASK = "255.255.255.0"
# libslirp's router answers from 52:55 and its IPv4 address (if_encap).
ROUTER_MAC_PREFIX = bytes([0x52, 0x55])


def addresses(index: int) -> dict[str, str]:
    """The addressing of user network `index`: 10.0.2.0/24 for the first NIC
    (QEMU's, so guides for QEMU's user network apply), 10.0.3.0/24 next, …"""
    net = f"10.0.{2 + index}"
    return {"network": f"{net}.0", "netmask": NETMASK, "gateway": f"{net}.2",
            "ip": f"{net}.15", "dns": f"{net}.3"}


class _In6(C.Structure):
    _fields_ = [("a", C.c_uint32 * 4)]


class _Config(C.Structure):
    _fields_ = [
        ("version", C.c_uint32), ("restricted", C.c_int), ("in_enabled", C.c_bool),
        ("vnetwork", C.c_uint32), ("vnetmask", C.c_uint32), ("vhost", C.c_uint32),
        ("in6_enabled", C.c_bool), ("vprefix_addr6", _In6), ("vprefix_len", C.c_uint8),
        ("vhost6", _In6), ("vhostname", C.c_char_p), ("tftp_server_name", C.c_char_p),
        ("tftp_path", C.c_char_p), ("bootfile", C.c_char_p), ("vdhcp_start", C.c_uint32),
        ("vnameserver", C.c_uint32), ("vnameserver6", _In6),
        ("vdnssearch", C.POINTER(C.c_char_p)), ("vdomainname", C.c_char_p),
        ("if_mtu", C.c_size_t), ("if_mru", C.c_size_t), ("disable_host_loopback", C.c_bool),
        ("enable_emu", C.c_bool), ("outbound_addr", C.c_void_p),
        ("outbound_addr6", C.c_void_p), ("disable_dns", C.c_bool), ("disable_dhcp", C.c_bool),
    ]


_lib: C.CDLL | None = None


def _load() -> C.CDLL:
    global _lib
    if _lib is None:
        name = ctypes.util.find_library("slirp") or "libslirp.so.0"
        try:
            lib = C.CDLL(name)
        except OSError:
            raise UnikError("user-mode networking needs libslirp "
                            "(apt-get install -y libslirp0)") from None
        lib.slirp_new.restype = C.c_void_p
        lib.slirp_new.argtypes = [C.POINTER(_Config), C.c_void_p, C.c_void_p]
        lib.slirp_add_hostfwd.argtypes = [C.c_void_p, C.c_int, C.c_uint32, C.c_int,
                                          C.c_uint32, C.c_int]
        lib.slirp_cleanup.argtypes = [C.c_void_p]
        _lib = lib
    return _lib


def _addr(dotted: str) -> int:
    """An IPv4 address as struct in_addr's s_addr (network byte order)."""
    return int.from_bytes(socket.inet_aton(dotted), "little")


@dataclass(frozen=True)
class PortForward:
    host_port: int
    guest_port: int
    udp: bool = False
    host_addr: str = "127.0.0.1"

    @staticmethod
    def parse(text: str) -> PortForward:
        """HOSTPORT:GUESTPORT[/udp|/tcp], optionally ADDR:HOSTPORT:GUESTPORT."""
        spec, _, proto = text.partition("/")
        if proto not in ("", "tcp", "udp"):
            raise UnikError(f"-p {text}: protocol must be tcp or udp")
        parts = spec.split(":")
        addr = "127.0.0.1"
        if len(parts) == 3:
            addr = parts.pop(0)
            try:
                socket.inet_aton(addr)
            except OSError:
                raise UnikError(f"-p {text}: {addr!r} is not an IPv4 address") from None
        if len(parts) != 2 or not all(p.isdigit() and 0 < int(p) < 65536 for p in parts):
            raise UnikError(f"-p {text}: give HOSTPORT:GUESTPORT[/udp] (ports 1..65535)")
        return PortForward(int(parts[0]), int(parts[1]), proto == "udp", addr)


def _find_socket(addr: str, port: int, kind: int) -> int | None:
    """The fd of libslirp's socket bound to addr:port (found among ours)."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            s = socket.socket(fileno=fd)
        except OSError:
            continue
        try:
            if (s.family == socket.AF_INET and s.type == kind
                    and (kind != socket.SOCK_STREAM
                         or s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
                    and s.getsockname() == (addr, port)):
                return fd
        except OSError:
            pass
        finally:
            s.detach()
    return None


def _deepen_backlog(addr: str, port: int, backlog: int = 1024) -> None:
    """libslirp listens with a backlog of 1: a burst of connections to a
    forwarded port then loses SYNs and waits out the host's 1 s
    retransmission. listen() again on its socket (found among ours by its
    address) raises the backlog; nothing else about the socket changes."""
    fd = _find_socket(addr, port, socket.SOCK_STREAM)
    if fd is not None:
        s = socket.socket(fileno=fd)
        try:
            s.listen(backlog)
        except OSError:
            pass
        finally:
            s.detach()


class UserNet:
    """One libslirp instance: a virtual router and NAT for one NIC."""

    def __init__(self, forwards: list[PortForward], log: Callable[[str], None],
                 index: int = 0) -> None:
        self.lib = lib = _load()
        self.addr = a = addresses(index)
        self.log = log
        self.host = HostNet()
        cfg = _Config(version=4, restricted=0, in_enabled=True, vnetwork=_addr(a["network"]),
                      vnetmask=_addr(NETMASK), vhost=_addr(a["gateway"]), in6_enabled=False,
                      vhostname=b"unik", vdhcp_start=_addr(a["ip"]),
                      vnameserver=_addr(a["dns"]), if_mtu=1500, if_mru=1500)
        self._cfg = cfg
        callbacks, opaque = self.host.slirp_callbacks()
        self.slirp = lib.slirp_new(C.byref(cfg), C.c_void_p(callbacks), C.c_void_p(opaque))
        if not self.slirp:
            raise UnikError("libslirp could not start the user-mode network")
        entry = {name: C.cast(getattr(lib, name), C.c_void_p).value
                 for name in ("slirp_input", "slirp_pollfds_fill", "slirp_pollfds_poll")}
        self.host.use_slirp(self.slirp, entry["slirp_input"], entry["slirp_pollfds_fill"],
                            entry["slirp_pollfds_poll"])
        for f in forwards:
            rc = lib.slirp_add_hostfwd(self.slirp, int(f.udp), _addr(f.host_addr),
                                       f.host_port, _addr(a["ip"]), f.guest_port)
            if rc < 0:
                self.close()
                proto = "udp" if f.udp else "tcp"
                raise UnikError(f"-p {f.host_port}:{f.guest_port}/{proto}: cannot listen on "
                                f"{f.host_addr}:{f.host_port} (in use?)")
            if not f.udp:
                _deepen_backlog(f.host_addr, f.host_port)
            elif not os.environ.get("UNIK_SLIRP_UDP_SLOW"):
                self._fast_udp(f)

    def _fast_udp(self, f: PortForward) -> None:
        """Hand the forward's socket to the NIC thread's batched UDP path
        (netring's udpfwd.pxi); without its socket found, libslirp keeps it."""
        a = self.addr
        fd = _find_socket(f.host_addr, f.host_port, socket.SOCK_DGRAM)
        if fd is None:
            return
        gateway = socket.inet_aton(a["gateway"])
        self.host.udp_addresses(socket.inet_aton(a["ip"]), gateway,
                                socket.inet_aton(a["network"]), socket.inet_aton(NETMASK),
                                ROUTER_MAC_PREFIX + gateway)
        self.host.udp_forward(fd, f.guest_port)

    def close(self) -> None:
        """Free libslirp (its thread has stopped: netback.close)."""
        if self.slirp:
            self.host.detach()
            self.lib.slirp_cleanup(self.slirp)
            self.slirp = None
