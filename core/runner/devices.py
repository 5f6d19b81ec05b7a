"""The runner's side of the guest's PV devices: xenstore, grant table, backends.

`Devices` is the GuestIO (backends/guestio.py) of one Domain: it serves the
xenstore ring (always there, like Xen's), the grant-table hypercalls
(version 1; the table's frames are guest pages the guest names with
XENMEM_add_to_physmap), binds backends to the event channels their
frontends allocated, and attaches the disks (and NICs) `unik run` was given.
"""

from __future__ import annotations

import os
import re
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ..backends.grants import MAX_FRAMES, GrantError, GrantTable
from ..backends.xenstore import StoreRing, XenStore
from ..errors import UnikError
from . import xenabi as X
from .builder import STORE_EVTCHN
from .events import Channel

# The backends load when a disk or NIC is attached (module __getattr__ below):
# a guest without devices does not pay their imports (socket, ctypes, ...) at
# `unik run`'s start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..backends.blkback import BlkBack
    from ..backends.guestio import DeviceError
    from ..backends.netback import NetBack
    from ..backends.slirp import PortForward, UserNet
    from ..backends.tap import TapNet
_LAZY = {"BlkBack": "blkback", "DeviceError": "guestio", "NetBack": "netback",
         "PortForward": "slirp", "UserNet": "slirp", "TapNet": "tap"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"..backends.{_LAZY[name]}", __package__), name)
    globals()[name] = value
    return value


def _load(*names: str) -> None:
    """Make the named backends module globals (a test's monkeypatch wins)."""
    for name in names:
        if name not in globals():
            __getattr__(name)

DOMID = 1                           # the guest's domain id, as a toolstack numbers a first domU
GNTTABOP_setup_table, GNTTABOP_query_size = 2, 6
GNTTABOP_set_version, GNTTABOP_get_version = 8, 10
XENMEM_add_to_physmap = 7
XENMAPSPACE_grant_table = 1
GNTST_okay, GNTST_general_error, GNTST_bad_domain = 0, -1, -2
ADD_TO_PHYSMAP = struct.Struct("<HHIQQ")        # domid, size, space, idx, gpfn
QUERY_SIZE = struct.Struct("<HxxIIhxx")         # dom, nr_frames, max_nr_frames, status
MAX_DISKS = 16
MAX_NICS = 8
_SIZE_RE = re.compile(r"^(\d+)([KMGT]i?B?|B)?$", re.I)


# Plain classes, not dataclasses: `dataclasses` imports `inspect` (with ast,
# dis, tokenize), a good part of `unik run`'s start-up.
class DiskSpec:
    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path, self.readonly = path, readonly

    def __repr__(self) -> str:
        return f"DiskSpec({self.path!r}, readonly={self.readonly})"


class NicSpec:
    def __init__(self, kind: str, tap: str = "", forwards: list[PortForward] | None = None,
                 ip: str = "", gateway: str = "", dns: str = "") -> None:
        self.kind = kind                    # "user" (libslirp) or "tap"
        self.tap = tap
        self.forwards: list[PortForward] = forwards if forwards is not None else []
        self.ip = ip                        # static "A.B.C.D/N" (tap); user: from slirp
        self.gateway, self.dns = gateway, dns

    def __repr__(self) -> str:
        return (f"NicSpec({self.kind!r}, tap={self.tap!r}, forwards={self.forwards!r}, "
                f"ip={self.ip!r}, gateway={self.gateway!r}, dns={self.dns!r})")


class DeviceSpecs:
    def __init__(self, disks: list[DiskSpec] | None = None,
                 nics: list[NicSpec] | None = None) -> None:
        self.disks: list[DiskSpec] = disks if disks is not None else []
        self.nics: list[NicSpec] = nics if nics is not None else []


def parse_nics(nets: list[str], ports: list[str]) -> list[NicSpec]:
    """--net user|tap:NAME[,ip=A.B.C.D/N][,gw=A.B.C.D] (repeatable) and -p specs;
    -p alone means one user-mode NIC; forwards go to the first user NIC."""
    nics: list[NicSpec] = []
    for text in nets:
        kind, _, rest = text.partition(":")
        opts = rest.split(",")
        if kind == "user" and not rest:
            nics.append(NicSpec("user"))
            continue
        if kind != "tap" or not opts[0]:
            raise UnikError(f"--net {text}: give user or tap:NAME[,ip=A.B.C.D/N][,gw=A.B.C.D]"
                            "[,dns=A.B.C.D]")
        nic = NicSpec("tap", tap=opts[0])
        for o in opts[1:]:
            key, _, value = o.partition("=")
            if key == "ip" and _cidr(value):
                nic.ip = value
            elif key == "gw" and _cidr(value + "/32"):
                nic.gateway = value
            elif key == "dns" and _cidr(value + "/32"):
                nic.dns = value
            else:
                raise UnikError(f"--net {text}: bad option {o!r} (ip=A.B.C.D/N, gw=A.B.C.D, "
                                f"dns=A.B.C.D)")
        nics.append(nic)
    if ports:
        _load("PortForward")
    forwards = [PortForward.parse(p) for p in ports]
    if forwards:
        user = next((n for n in nics if n.kind == "user"), None)
        if user is None:
            if nics:
                raise UnikError("-p needs a user-mode NIC: add --net user")
            user = NicSpec("user")
            nics.append(user)
        user.forwards = forwards
    if len(nics) > MAX_NICS:
        raise UnikError(f"at most {MAX_NICS} NICs")
    return nics


def _cidr(text: str) -> bool:
    addr, _, bits = text.partition("/")
    try:
        import socket

        socket.inet_aton(addr)
    except OSError:
        return False
    return addr.count(".") == 3 and bits.isdigit() and 0 < int(bits) <= 32


def _netmask(bits: int) -> str:
    import socket

    return socket.inet_ntoa(((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF).to_bytes(4, "big"))


def parse_size(text: str) -> int:
    """'64M', '1G', '512K', '4096' → bytes (powers of 1024)."""
    m = _SIZE_RE.match(text.strip())
    if not m:
        raise UnikError(f"--disk-size {text!r}: give a size such as 64M, 1G or 1048576")
    n = int(m.group(1))
    unit = (m.group(2) or "B")[0].upper()
    return n << {"B": 0, "K": 10, "M": 20, "G": 30, "T": 40}[unit]


def prepare_disk(path: Path, size: int | None) -> DiskSpec:
    """Check (or create, sparse, when size is given) a disk image file."""
    if path.exists():
        if not path.is_file() and not path.is_block_device():
            raise UnikError(f"--disk {path}: not a file")
        if not os.access(path, os.R_OK):
            raise UnikError(f"--disk {path}: not readable")
        if size is not None and path.stat().st_size < size:
            with open(path, "r+b") as f:          # grow, as `truncate -s` would
                f.truncate(size)
        readonly = not os.access(path, os.W_OK)
        if path.stat().st_size < 512:
            raise UnikError(f"--disk {path}: smaller than one 512-byte sector")
        return DiskSpec(path, readonly)
    if size is None:
        raise UnikError(f"--disk {path}: no such file (give --disk-size to create it)")
    if size < 512 or size % 512:
        raise UnikError(f"--disk-size {size}: must be a positive multiple of 512 bytes")
    try:
        with open(path, "xb") as f:
            f.truncate(size)
    except OSError as e:
        raise UnikError(f"--disk {path}: cannot create: {e.strerror}") from None
    return DiskSpec(path)


class Devices:
    """GuestIO for one Domain (see backends/guestio.py)."""

    def __init__(self, domain, specs: DeviceSpecs | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        self.domain = domain
        self.mem = domain.mem
        self.domid = DOMID
        self.grants = GrantTable(self.mem)
        self.store = XenStore(DOMID)
        self._log = log or (lambda m: sys.stderr.write(m + "\n"))
        self.lock = threading.Lock()
        self.ring = StoreRing(self.store, self.mem, domain.lay.store,
                              lambda: domain.set_pending(STORE_EVTCHN))
        self.store.on_event = self.ring.push_events
        domain.notify_handlers[STORE_EVTCHN] = self.ring.serve
        s = self.store
        s.write(f"/local/domain/{DOMID}/name", "unik")
        s.write(f"/local/domain/{DOMID}/domid", str(DOMID))
        s.mkdir(f"/local/domain/{DOMID}/device")
        s.mkdir("/local/domain/0/backend")
        self.backends: list = []
        specs = specs or DeviceSpecs()
        if len(specs.disks) > MAX_DISKS:
            raise UnikError(f"at most {MAX_DISKS} disks")
        _load(*(("BlkBack",) if specs.disks else ()),
              *(("NetBack", "UserNet", "TapNet") if specs.nics else ()))
        for i, d in enumerate(specs.disks):
            try:
                self.backends.append(BlkBack(self, i, d.path, d.readonly))
            except OSError as e:
                raise UnikError(f"--disk {d.path}: {e.strerror}") from None
        users = 0
        for i, n in enumerate(specs.nics):
            if n.kind == "user":
                net = UserNet(n.forwards, self.log, index=users)
                a = net.addr
                config = {"ip": a["ip"], "netmask": a["netmask"], "gateway": a["gateway"],
                          "dns": a["dns"]}
                users += 1
            else:
                net = TapNet(n.tap)
                config = {}
                if n.ip:
                    addr, bits = n.ip.split("/")
                    config = {"ip": addr, "netmask": _netmask(int(bits))}
                    if n.gateway:
                        config["gateway"] = n.gateway
                if n.dns:
                    config["dns"] = n.dns
            self.backends.append(NetBack(self, i, net, config))

    # -- GuestIO ----------------------------------------------------------------
    def bind(self, port: int, on_notify: Callable[[], None], wake_fd: int = -1) -> None:
        d = self.domain
        ch = d.channels.get(port) if 0 <= port < X.NR_EVTCHN else None
        if ch is None or ch.state != X.EVTCHNSTAT_unbound:
            _load("DeviceError")
            raise DeviceError(f"event channel {port} is not an unbound port of the guest")
        d.channels[port] = Channel(X.EVTCHNSTAT_interdomain, remote="backend")
        d.notify_handlers[port] = on_notify
        d.set_notify_fd(port, wake_fd if wake_fd >= 0 else None)

    def unbind(self, port: int) -> None:
        d = self.domain
        d.notify_handlers.pop(port, None)
        d.set_notify_fd(port, None)
        ch = d.channels.get(port)
        if ch is not None and ch.remote == "backend":
            d.channels[port] = Channel(X.EVTCHNSTAT_unbound)

    def notify(self, port: int) -> None:
        self.domain.set_pending(port)

    def event_target(self) -> tuple[int, int] | None:
        fd = getattr(self.domain.wake, "fd", -1)
        return (self.domain.lay.shared_info, fd) if fd >= 0 else None

    def log(self, message: str) -> None:
        self._log(message)

    # -- hypercalls -------------------------------------------------------------
    def grant_table_op(self, cmd, arg, count, *_):
        cmd &= 0xFFFFFFFF
        count &= 0xFFFFFFFF
        mem = self.mem
        if cmd == GNTTABOP_query_size:
            if count != 1:
                return -X.EINVAL
            dom = mem.unpack(QUERY_SIZE, arg)[0]
            status = GNTST_okay if dom in (X.DOMID_SELF, DOMID) else GNTST_bad_domain
            mem.pack(QUERY_SIZE, arg, dom, self.grants.nr_frames(), MAX_FRAMES, status)
            return 0
        if cmd == GNTTABOP_get_version:
            mem.set_u32(arg + 4, 1)
            return 0
        if cmd == GNTTABOP_set_version:
            return 0 if mem.u32(arg) == 1 else -X.ENOSYS
        if cmd == GNTTABOP_setup_table:
            # The runner has no frames of its own to hand out: the guest
            # places the table with XENMEM_add_to_physmap (as an HVM guest does).
            mem.check(arg, 24)
            mem.write(arg + 8, struct.pack("<h", GNTST_general_error))
            return 0
        return -X.ENOSYS

    def add_to_physmap(self, arg: int) -> int:
        domid, _size, space, idx, gpfn = self.mem.unpack(ADD_TO_PHYSMAP, arg)
        if domid not in (X.DOMID_SELF, DOMID):
            return -X.ESRCH
        if space != XENMAPSPACE_grant_table:
            return -X.EOPNOTSUPP
        try:
            self.grants.set_frame(idx, gpfn)
        except GrantError:
            return -X.EINVAL
        return 0

    def close(self) -> None:
        for b in self.backends:
            b.close()
