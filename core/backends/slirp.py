"""User-mode networking for netback: libslirp (Debian's libslirp0) through ctypes.

libslirp is the user-mode TCP/IP of QEMU: it answers the guest's ARP, DHCP
and DNS as a virtual router (10.0.2.2; the guest gets 10.0.2.15), turns the
guest's TCP/UDP flows into host sockets, and forwards host ports to the
guest (`unik run -p HOST:GUEST`), all without root. Why ctypes and not a
Cython module: libslirp0 is already on every machine that has QEMU, the
binding needs no compiler nor -dev package at install time, and its cost
(a few µs per callback) is small beside the Python netback that calls it.

`UserNet` is driven by the netback thread: prepare() gives the fds to poll
and a timeout, dispatch() hands libslirp what poll() found; frames for the
guest come out through the `deliver` callback, frames from the guest go in
through send().
"""

from __future__ import annotations

import ctypes as C
import ctypes.util
import os
import select
import socket
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UnikError

SLIRP_POLL_IN, SLIRP_POLL_OUT, SLIRP_POLL_PRI, SLIRP_POLL_ERR, SLIRP_POLL_HUP = 1, 2, 4, 8, 16
NETMASK = "255.255.255.0"


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


_SEND = C.CFUNCTYPE(C.c_ssize_t, C.c_void_p, C.c_size_t, C.c_void_p)
_ERROR = C.CFUNCTYPE(None, C.c_char_p, C.c_void_p)
_CLOCK = C.CFUNCTYPE(C.c_int64, C.c_void_p)
_TIMER_CB = C.CFUNCTYPE(None, C.c_void_p)
_TIMER_NEW = C.CFUNCTYPE(C.c_void_p, _TIMER_CB, C.c_void_p, C.c_void_p)
_TIMER_FREE = C.CFUNCTYPE(None, C.c_void_p, C.c_void_p)
_TIMER_MOD = C.CFUNCTYPE(None, C.c_void_p, C.c_int64, C.c_void_p)
_FD = C.CFUNCTYPE(None, C.c_int, C.c_void_p)
_NOTIFY = C.CFUNCTYPE(None, C.c_void_p)
_ADD_POLL = C.CFUNCTYPE(C.c_int, C.c_int, C.c_int, C.c_void_p)
_GET_REVENTS = C.CFUNCTYPE(C.c_int, C.c_int, C.c_void_p)


class _Callbacks(C.Structure):
    _fields_ = [
        ("send_packet", _SEND), ("guest_error", _ERROR), ("clock_get_ns", _CLOCK),
        ("timer_new", _TIMER_NEW), ("timer_free", _TIMER_FREE), ("timer_mod", _TIMER_MOD),
        ("register_poll_fd", _FD), ("unregister_poll_fd", _FD), ("notify", _NOTIFY),
        ("init_completed", C.c_void_p), ("timer_new_opaque", C.c_void_p),
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
        lib.slirp_new.argtypes = [C.POINTER(_Config), C.POINTER(_Callbacks), C.c_void_p]
        lib.slirp_input.argtypes = [C.c_void_p, C.c_char_p, C.c_int]
        lib.slirp_add_hostfwd.argtypes = [C.c_void_p, C.c_int, C.c_uint32, C.c_int,
                                          C.c_uint32, C.c_int]
        lib.slirp_pollfds_fill.argtypes = [C.c_void_p, C.POINTER(C.c_uint32), _ADD_POLL,
                                           C.c_void_p]
        lib.slirp_pollfds_poll.argtypes = [C.c_void_p, C.c_int, _GET_REVENTS, C.c_void_p]
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


def _deepen_backlog(addr: str, port: int, backlog: int = 1024) -> None:
    """libslirp listens with a backlog of 1: a burst of connections to a
    forwarded port then loses SYNs and waits out the host's 1 s
    retransmission. listen() again on its socket (found among ours by its
    address) raises the backlog; nothing else about the socket changes."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            s = socket.socket(fileno=fd)
        except OSError:
            continue
        try:
            if (s.family == socket.AF_INET and s.type == socket.SOCK_STREAM
                    and s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                    and s.getsockname() == (addr, port)):
                s.listen(backlog)
        except OSError:
            pass
        finally:
            s.detach()


class _Timer:
    __slots__ = ("cb", "opaque", "expire_ms")

    def __init__(self, cb, opaque) -> None:
        self.cb, self.opaque, self.expire_ms = cb, opaque, -1


class UserNet:
    """One libslirp instance: a virtual router and NAT for one NIC."""

    def __init__(self, forwards: list[PortForward], log: Callable[[str], None],
                 index: int = 0) -> None:
        self.lib = _load()
        self.addr = a = addresses(index)
        self.log = log
        self.deliver: Callable[[bytes], None] = lambda frame: None
        self.timers: dict[int, _Timer] = {}
        self._pollfds: list[tuple[int, int]] = []
        self._revents: list[int] = []
        cfg = _Config(version=4, restricted=0, in_enabled=True, vnetwork=_addr(a["network"]),
                      vnetmask=_addr(NETMASK), vhost=_addr(a["gateway"]), in6_enabled=False,
                      vhostname=b"unik", vdhcp_start=_addr(a["ip"]),
                      vnameserver=_addr(a["dns"]), if_mtu=1500, if_mru=1500)
        self._cfg = cfg
        self._cb_refs = cb = _Callbacks(
            send_packet=_SEND(self._send_packet), guest_error=_ERROR(self._guest_error),
            clock_get_ns=_CLOCK(lambda _o: time.monotonic_ns()),
            timer_new=_TIMER_NEW(self._timer_new), timer_free=_TIMER_FREE(self._timer_free),
            timer_mod=_TIMER_MOD(self._timer_mod), register_poll_fd=_FD(lambda fd, o: None),
            unregister_poll_fd=_FD(lambda fd, o: None), notify=_NOTIFY(lambda o: None))
        self._add_poll = _ADD_POLL(self._add_poll_cb)
        self._get_revents = _GET_REVENTS(self._get_revents_cb)
        self.slirp = self.lib.slirp_new(C.byref(cfg), C.byref(cb), None)
        if not self.slirp:
            raise UnikError("libslirp could not start the user-mode network")
        for f in forwards:
            rc = self.lib.slirp_add_hostfwd(self.slirp, int(f.udp), _addr(f.host_addr),
                                            f.host_port, _addr(a["ip"]), f.guest_port)
            if rc < 0:
                self.close()
                proto = "udp" if f.udp else "tcp"
                raise UnikError(f"-p {f.host_port}:{f.guest_port}/{proto}: cannot listen on "
                                f"{f.host_addr}:{f.host_port} (in use?)")
            if not f.udp:
                _deepen_backlog(f.host_addr, f.host_port)

    # -- callbacks from libslirp --------------------------------------------------
    def _send_packet(self, buf, length, _opaque) -> int:
        self.deliver(C.string_at(buf, length))
        return length

    def _guest_error(self, msg, _opaque) -> None:
        self.log(f"unik: user network: {msg.decode(errors='replace')}")

    def _timer_new(self, cb, cb_opaque, _opaque) -> int:
        key = max(self.timers, default=0) + 1
        self.timers[key] = _Timer(cb, cb_opaque)
        return key

    def _timer_free(self, timer, _opaque) -> None:
        self.timers.pop(timer, None)

    def _timer_mod(self, timer, expire_ms, _opaque) -> None:
        t = self.timers.get(timer)
        if t is not None:
            t.expire_ms = expire_ms

    def _add_poll_cb(self, fd, events, _opaque) -> int:
        ev = 0
        if events & SLIRP_POLL_IN:
            ev |= select.POLLIN
        if events & SLIRP_POLL_OUT:
            ev |= select.POLLOUT
        if events & SLIRP_POLL_PRI:
            ev |= select.POLLPRI
        self._pollfds.append((fd, ev))
        return len(self._pollfds) - 1

    def _get_revents_cb(self, idx, _opaque) -> int:
        if not 0 <= idx < len(self._revents):
            return 0
        r, out = self._revents[idx], 0
        if r & select.POLLIN:
            out |= SLIRP_POLL_IN
        if r & select.POLLOUT:
            out |= SLIRP_POLL_OUT
        if r & select.POLLPRI:
            out |= SLIRP_POLL_PRI
        if r & select.POLLERR:
            out |= SLIRP_POLL_ERR
        if r & select.POLLHUP:
            out |= SLIRP_POLL_HUP
        return out

    # -- driven by the netback thread ------------------------------------------------
    def send(self, frame: bytes) -> None:
        self.lib.slirp_input(self.slirp, frame, len(frame))

    def prepare(self) -> tuple[list[tuple[int, int]], int]:
        """(fds with poll events, timeout in ms) for the next poll."""
        self._pollfds = []
        timeout = C.c_uint32(1000)
        self.lib.slirp_pollfds_fill(self.slirp, C.byref(timeout), self._add_poll, None)
        t = timeout.value
        now = time.monotonic_ns() // 1_000_000
        for tm in self.timers.values():
            if tm.expire_ms >= 0:
                t = min(t, max(0, tm.expire_ms - now))
        return list(self._pollfds), t

    def dispatch(self, revents: dict[int, int]) -> None:
        self._revents = [revents.get(fd, 0) for fd, _ in self._pollfds]
        self.lib.slirp_pollfds_poll(self.slirp, 0, self._get_revents, None)
        now = time.monotonic_ns() // 1_000_000
        for tm in list(self.timers.values()):
            if 0 <= tm.expire_ms <= now:
                tm.expire_ms = -1
                tm.cb(tm.opaque)

    def close(self) -> None:
        if self.slirp:
            self.lib.slirp_cleanup(self.slirp)
            self.slirp = None
