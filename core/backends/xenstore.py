"""A xenstore for one guest: the tree, watches, and the guest's store ring.

The toolstack half of Xen's xenstored, in-process: the runner writes the
paths real Xen's toolstack writes for each device (frontend under
/local/domain/D/device/KIND/ID, backend under /local/domain/0/backend/KIND/D/ID),
backends watch frontend state, and the guest talks over its store page with
the wire protocol of xen/io/xs_wire.h. One client (the guest) and the
backends run in one process, so a transaction cannot conflict: one is
accepted and applied as its operations arrive (documented in
core/backends/README.md). The guest may write only under its own domain
path; every length and index from the ring is checked.
"""

from __future__ import annotations

import re
import struct
import threading
from collections.abc import Callable

from ..runner.memory import GuestMemory
from .console import RingError

# xs_wire.h
XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH = 1, 2, 3, 4, 5
XS_TRANSACTION_START, XS_TRANSACTION_END = 6, 7
XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS = 10, 11, 12, 13, 14
XS_WATCH_EVENT, XS_ERROR, XS_RESET_WATCHES = 15, 16, 21
HEADER = struct.Struct("<IIII")            # type, req_id, tx_id, len
PAYLOAD_MAX = 4096
RING = 1024
REQ, RSP = 0, 1024
REQ_CONS, REQ_PROD, RSP_CONS, RSP_PROD = 2048, 2052, 2056, 2060
M32 = 0xFFFF_FFFF
MAX_NODES = 8192                           # a guest cannot grow the host's memory at will
_PATH_RE = re.compile(r"^[A-Za-z0-9/_@\-.]{1,3072}$")

HostWatch = Callable[[str], None]


class StoreError(Exception):
    def __init__(self, errno_name: str) -> None:
        super().__init__(errno_name)
        self.name = errno_name


class XenStore:
    """The tree (path → value) and its watches."""

    def __init__(self, domid: int) -> None:
        self.domid = domid
        self.home = f"/local/domain/{domid}"
        self.nodes: dict[str, bytes] = {"/": b""}
        self.host_watches: list[tuple[str, HostWatch]] = []
        self.guest_watches: list[tuple[str, bytes, bool]] = []   # (abs path, token, relative)
        self.events: list[bytes] = []           # watch events for the guest, in order
        self.lock = threading.RLock()
        self.on_event: Callable[[], None] | None = None   # guest events are waiting

    # -- paths -------------------------------------------------------------
    def absolute(self, path: str) -> str:
        if not path.startswith("/"):
            path = f"{self.home}/{path}"
        path = path.rstrip("/") or "/"
        if path != "/" and (not _PATH_RE.match(path) or "//" in path):
            raise StoreError("EINVAL")
        return path

    @staticmethod
    def _parent(path: str) -> str:
        return path.rsplit("/", 1)[0] or "/"

    # -- the tree (host side: no permission checks) --------------------------
    def read(self, path: str) -> bytes | None:
        with self.lock:
            return self.nodes.get(self.absolute(path))

    def write(self, path: str, value: bytes | str) -> None:
        if isinstance(value, str):
            value = value.encode()
        with self.lock:
            path = self.absolute(path)
            p = self._parent(path)
            while p not in self.nodes:
                self.nodes[p] = b""
                p = self._parent(p)
            self.nodes[path] = value
        self._fire(path)

    def mkdir(self, path: str) -> None:
        with self.lock:
            path = self.absolute(path)
            if path in self.nodes:
                return
        self.write(path, b"")

    def rm(self, path: str) -> None:
        with self.lock:
            path = self.absolute(path)
            if path not in self.nodes:
                raise StoreError("ENOENT")
            for k in [k for k in self.nodes if k == path or k.startswith(path + "/")]:
                del self.nodes[k]
        self._fire(path)

    def directory(self, path: str) -> list[str]:
        with self.lock:
            path = self.absolute(path)
            if path not in self.nodes:
                raise StoreError("ENOENT")
            prefix = path.rstrip("/") + "/"
            return sorted({k[len(prefix):].split("/", 1)[0] for k in self.nodes
                           if k.startswith(prefix) and k != prefix})

    def watch(self, path: str, fn: HostWatch) -> None:
        """Call fn(changed path) on every change at or below path (host side)."""
        with self.lock:
            self.host_watches.append((self.absolute(path), fn))

    # -- watches -------------------------------------------------------------
    @staticmethod
    def _covers(watch: str, changed: str) -> bool:
        return (changed == watch or changed.startswith(watch.rstrip("/") + "/")
                or watch.startswith(changed + "/"))

    def _guest_event(self, changed: str, token: bytes, relative: bool) -> None:
        shown = changed
        if relative and changed.startswith(self.home + "/"):
            shown = changed[len(self.home) + 1:]
        self.events.append(shown.encode() + b"\0" + token + b"\0")

    def _fire(self, changed: str) -> None:
        with self.lock:
            hosts = [fn for w, fn in self.host_watches if self._covers(w, changed)]
            queued = False
            for w, token, rel in self.guest_watches:
                if self._covers(w, changed):
                    self._guest_event(changed, token, rel)
                    queued = True
        for fn in hosts:
            fn(changed)
        if queued and self.on_event is not None:
            self.on_event()

    # -- the guest's requests ---------------------------------------------------
    def _guest_writable(self, path: str) -> None:
        if path != self.home and not path.startswith(self.home + "/"):
            raise StoreError("EACCES")
        if path not in self.nodes and len(self.nodes) >= MAX_NODES:
            raise StoreError("ENOSPC")

    def request(self, kind: int, payload: bytes) -> tuple[int, bytes]:
        """Serve one guest request: (reply type, reply payload)."""
        parts = payload.split(b"\0")
        try:
            arg = parts[0].decode("ascii")
        except UnicodeDecodeError:
            raise StoreError("EINVAL") from None
        if kind == XS_READ:
            value = self.read(arg)
            if value is None:
                raise StoreError("ENOENT")
            return kind, value
        if kind == XS_WRITE:
            path = self.absolute(arg)
            self._guest_writable(path)
            self.write(path, payload[len(parts[0]) + 1:])
            return kind, b"OK\0"
        if kind == XS_MKDIR:
            path = self.absolute(arg)
            self._guest_writable(path)
            self.mkdir(path)
            return kind, b"OK\0"
        if kind == XS_RM:
            path = self.absolute(arg)
            self._guest_writable(path)
            self.rm(path)
            return kind, b"OK\0"
        if kind == XS_DIRECTORY:
            names = self.directory(arg)
            return kind, b"".join(n.encode() + b"\0" for n in names)
        if kind == XS_WATCH:
            if len(parts) < 2:
                raise StoreError("EINVAL")
            path, token = self.absolute(arg), parts[1]
            with self.lock:
                if len(self.guest_watches) >= 128:
                    raise StoreError("E2BIG")
                self.guest_watches.append((path, token, not arg.startswith("/")))
                # Xen fires a new watch once at once.
                self._guest_event(path, token, not arg.startswith("/"))
            return kind, b"OK\0"
        if kind == XS_UNWATCH:
            if len(parts) < 2:
                raise StoreError("EINVAL")
            path, token = self.absolute(arg), parts[1]
            with self.lock:
                before = len(self.guest_watches)
                self.guest_watches = [w for w in self.guest_watches
                                      if (w[0], w[1]) != (path, token)]
                if len(self.guest_watches) == before:
                    raise StoreError("ENOENT")
            return kind, b"OK\0"
        if kind == XS_TRANSACTION_START:
            return kind, b"1\0"
        if kind == XS_TRANSACTION_END:
            return kind, b"OK\0"
        if kind == XS_GET_DOMAIN_PATH:
            if not arg.isdigit():
                raise StoreError("EINVAL")
            return kind, f"/local/domain/{int(arg)}\0".encode()
        if kind == XS_GET_PERMS:
            if self.read(arg) is None:
                raise StoreError("ENOENT")
            return kind, f"b{self.domid}\0".encode()
        if kind in (XS_SET_PERMS, XS_RESET_WATCHES):
            return kind, b"OK\0"
        raise StoreError("ENOSYS")


class StoreRing:
    """The guest's xenstore_domain_interface page: requests in, replies and
    watch events out. serve() runs when the guest notifies the store port."""

    def __init__(self, store: XenStore, mem: GuestMemory, addr: int,
                 notify: Callable[[], None]) -> None:
        mem.check(addr, 4096)
        self.store, self.mem, self.addr, self.notify = store, mem, addr, notify
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.lock = threading.RLock()       # watch events can arrive while serving

    def _read_requests(self) -> None:
        m, a = self.mem, self.addr
        cons, prod = m.u32(a + REQ_CONS), m.u32(a + REQ_PROD)
        n = (prod - cons) & M32
        if n > RING:
            raise RingError(f"xenstore ring indices out of range (req_cons={cons}, "
                            f"req_prod={prod})")
        start = cons % RING
        first = min(n, RING - start)
        self.inbuf += m.read(a + REQ + start, first)
        self.inbuf += m.read(a + REQ, n - first)
        m.set_u32(a + REQ_CONS, prod)

    def _reply(self, kind: int, req_id: int, tx_id: int, payload: bytes) -> None:
        self.outbuf += HEADER.pack(kind, req_id, tx_id, len(payload)) + payload

    def _handle(self) -> None:
        while len(self.inbuf) >= HEADER.size:
            kind, req_id, tx_id, length = HEADER.unpack_from(self.inbuf)
            if length > PAYLOAD_MAX:
                raise RingError(f"xenstore request of {length} bytes (at most {PAYLOAD_MAX})")
            if len(self.inbuf) < HEADER.size + length:
                return
            payload = bytes(self.inbuf[HEADER.size:HEADER.size + length])
            del self.inbuf[:HEADER.size + length]
            try:
                rkind, reply = self.store.request(kind, payload)
            except StoreError as e:
                rkind, reply = XS_ERROR, e.name.encode() + b"\0"
            self._reply(rkind, req_id, tx_id, reply)

    def _write_replies(self) -> bool:
        m, a = self.mem, self.addr
        with self.store.lock:
            for ev in self.store.events:
                self._reply(XS_WATCH_EVENT, 0, 0, ev)
            self.store.events.clear()
        if not self.outbuf:
            return False
        cons, prod = m.u32(a + RSP_CONS), m.u32(a + RSP_PROD)
        used = (prod - cons) & M32
        if used > RING:
            raise RingError(f"xenstore ring indices out of range (rsp_cons={cons}, "
                            f"rsp_prod={prod})")
        n = min(RING - used, len(self.outbuf))
        start = prod % RING
        first = min(n, RING - start)
        m.write(a + RSP + start, bytes(self.outbuf[:first]))
        m.write(a + RSP, bytes(self.outbuf[first:n]))
        del self.outbuf[:n]
        m.set_u32(a + RSP_PROD, (prod + n) & M32)
        return n > 0

    def serve(self) -> None:
        """The guest sent on the store port."""
        with self.lock:
            self._read_requests()
            self._handle()
            wrote = self._write_replies()
        if wrote:
            self.notify()

    def push_events(self) -> None:
        """Watch events queued by the host side (any thread)."""
        with self.lock:
            wrote = self._write_replies()
        if wrote:
            self.notify()
