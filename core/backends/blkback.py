"""blkback: a raw file as a Xen virtual block device (xen/io/blkif.h).

The toolstack's xenstore entries for a vbd are written at attach; when the
frontend reaches Initialised the backend maps its ring through the grant
table, binds its event channel, starts its thread and goes Connected.
Requests (read, write with up to 11 segments each, flush) are served on that
thread, straight between the file and guest memory (preadv/pwritev into the
granted pages, no copy), by blkring.pyx: the ring, grant and sector checks
and the system calls run in C without the GIL, polling the ring while
requests flow, so the guest queues requests without exiting to the host (a
guest that waits for a response and notifies is served in its exit,
`kick`, whether or not the thread has a CPU);
this file keeps xenbus and the user's messages. A write is in the host's
page cache before its response is queued; when the guest stops (crashed or
not) the requests left on its ring are served before the file is closed,
so a guest crash loses nothing the guest queued; a flush is fdatasync, and
the file is fsynced when the guest stops.

Every field of a request is checked: segment count, grant reference (it must
grant this backend access, writable for reads), sector range inside the page
and inside the disk. A bad request gets BLKIF_RSP_ERROR; a ring whose
indices are impossible shuts the device (state Closed) with one line for the
user. Neither stops the runner.
"""

from __future__ import annotations

import os
import struct
import threading
from pathlib import Path

from ..runner.memory import GuestFault
from . import blkring as R
from .grants import GrantError
from .guestio import DeviceError, GuestIO, kick

SECTOR = 512
MAX_SEGMENTS = 11
OP_READ, OP_WRITE, OP_BARRIER, OP_FLUSH = 0, 1, 2, 3
RSP_OKAY, RSP_ERROR, RSP_EOPNOTSUPP = 0, -1, -2
REQ = struct.Struct("<BBHxxxxQQ")          # operation, nr_segments, handle, id, sector
SEG = struct.Struct("<IBBxx")              # gref, first_sect, last_sect
REQ_SIZE = REQ.size + MAX_SEGMENTS * SEG.size      # 112
RSP = struct.Struct("<QBxhxxxx")           # id, operation, status (16 bytes)
STATE_INITIALISING, STATE_INITWAIT, STATE_INITIALISED, STATE_CONNECTED = 1, 2, 3, 4
STATE_CLOSING, STATE_CLOSED = 5, 6
MAX_LOGGED = 5
BUSY_POLL_NS = 300_000        # the thread polls the ring this long after the last request


def vdev_number(index: int) -> int:
    """Linux's xvd numbering: xvda = 202:0, xvdb = 202:16, …"""
    return (202 << 8) | (index << 4)


def disk_name(index: int) -> str:
    return "xvd" + chr(ord("a") + index)


class BlkBack:
    def __init__(self, io: GuestIO, index: int, path: Path, readonly: bool = False) -> None:
        self.io, self.index, self.path, self.readonly = io, index, path, readonly
        self.name = disk_name(index)
        flags = os.O_RDONLY if readonly else os.O_RDWR
        self.fd = os.open(path, flags | os.O_CLOEXEC)
        self.sectors = os.fstat(self.fd).st_size // SECTOR
        self.vdev = vdev_number(index)
        d = io.domid
        self.fe = f"/local/domain/{d}/device/vbd/{self.vdev}"
        self.be = f"/local/domain/0/backend/vbd/{d}/{self.vdev}"
        self.ring: R.BlkRing | None = None
        self.port: int | None = None
        self.logged = 0
        self.requests = 0
        self.thread: threading.Thread | None = None
        self.wake = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        s = io.store
        for k, v in {"frontend": self.fe, "frontend-id": str(d), "online": "1",
                     "dev": self.name, "type": "file", "mode": "r" if readonly else "w",
                     "params": str(path), "sectors": str(self.sectors),
                     "sector-size": str(SECTOR), "physical-sector-size": str(SECTOR),
                     "info": "4" if readonly else "0", "feature-flush-cache": "1",
                     "feature-barrier": "0", "state": str(STATE_INITWAIT)}.items():
            s.write(f"{self.be}/{k}", v)
        for k, v in {"backend": self.be, "backend-id": "0", "virtual-device": str(self.vdev),
                     "device-type": "disk", "state": str(STATE_INITIALISING)}.items():
            s.write(f"{self.fe}/{k}", v)
        s.watch(f"{self.fe}/state", self._frontend_changed)

    # -- xenbus states ---------------------------------------------------------
    def _log(self, msg: str) -> None:
        if self.logged < MAX_LOGGED:
            self.io.log(f"unik: {self.name}: {msg}")
        elif self.logged == MAX_LOGGED:
            self.io.log(f"unik: {self.name}: more bad requests, no longer reported")
        self.logged += 1

    def _frontend_changed(self, _path: str) -> None:
        raw = self.io.store.read(f"{self.fe}/state") or b"0"
        state = int(raw) if raw.isdigit() else 0
        if state in (STATE_INITIALISED, STATE_CONNECTED) and self.ring is None:
            self._connect()
        elif state in (STATE_CLOSING, STATE_CLOSED) and self.ring is not None:
            self._disconnect(STATE_CLOSED)

    def _connect(self) -> None:
        s = self.io.store
        try:
            ref = int(s.read(f"{self.fe}/ring-ref") or b"x")
            port = int(s.read(f"{self.fe}/event-channel") or b"x")
            proto = s.read(f"{self.fe}/protocol")
            if proto not in (None, b"x86_64-abi"):
                raise DeviceError(f"protocol {proto!r} (only x86_64-abi)")
            addr = self.io.grants.page(ref, 0, True)
            self.ring = R.BlkRing(self.io.mem, self.io.grants, addr, self.fd, self.sectors,
                                  self.readonly)
            self.io.bind(port, self.kick)
            self.port = port
        except (ValueError, GrantError, DeviceError, GuestFault) as e:
            self.ring = None
            self._log(f"frontend could not connect: {e}")
            s.write(f"{self.be}/state", str(STATE_CLOSED))
            return
        self.thread = threading.Thread(target=self._serve, args=(self.ring,),
                                       name=f"unik-blkback-{self.index}", daemon=True)
        self.thread.start()
        s.write(f"{self.be}/state", str(STATE_CONNECTED))

    def _stop_thread(self) -> None:
        ring, thread = self.ring, self.thread
        self.thread = None
        if ring is not None:
            ring.stop()
        self._wake()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _disconnect(self, state: int) -> None:
        self._stop_thread()
        if self.port is not None:
            self.io.unbind(self.port)
        self.ring, self.port = None, None
        self.io.store.write(f"{self.be}/state", str(state))

    # -- requests ---------------------------------------------------------------
    def kick(self) -> None:
        """The guest notified: the thread slept (req_event), or the guest waits
        for a response and would rather not wait for the thread to get a
        CPU. Serve the ring here, in the guest's exit, and wake the thread
        (it re-arms req_event when idle)."""
        ring = self.ring
        if ring is not None and self.thread is not None:
            self._served(ring, *ring.serve())
        self._wake()

    def _wake(self) -> None:
        kick(self.wake)

    def _serve(self, ring: R.BlkRing) -> None:
        """The device's thread: serve the ring until stopped or broken."""
        try:
            while True:
                *result, stopped = ring.run(self.wake, BUSY_POLL_NS)
                if self._served(ring, *result) or stopped:
                    return
        except Exception as e:           # never let the thread die silently
            self.io.log(f"unik: {self.name}: backend error: {type(e).__name__}: {e}")

    def _served(self, ring: R.BlkRing, served: int, notify: bool, broken: bool,
                failures: list[tuple[int, int, int, int, int]], more: int) -> bool:
        """Act on what the ring reported; True when the device was shut."""
        self.requests += served
        for failure in failures:
            self._log(self._refusal(*failure))
        self.logged += more
        if notify and self.port is not None:
            self.io.notify(self.port)
        if broken:
            self._log(f"device shut: request producer more than a ring ahead of the "
                      f"responses ({ring.rsp_prod_pvt})")
            self._disconnect(STATE_CLOSED)
        return broken

    def _refusal(self, code: int, rid: int, a: int, b: int, c: int) -> str:
        """The user's line for a request blkring refused."""
        if code == R.E_IO:
            return f"I/O error on {self.path}: {os.strerror(a)}"
        why = {
            R.E_NSEG: lambda: f"{a} segments (1..{MAX_SEGMENTS})",
            R.E_READONLY_DISK: lambda: "write to a read-only disk",
            R.E_SEG_PAGE: lambda: f"segment {a}: sectors {b}..{c} outside a page",
            R.E_GRANT: lambda: R.grant_message(a, b, c, 0, 0),
            R.E_BEYOND: lambda: f"sectors {a}..{b} beyond the disk's {c}",
            R.E_SHORT: lambda: f"short {'read' if a == OP_READ else 'write'} ({b} of {c} bytes)",
        }.get(code, lambda: f"error {code}")()
        return f"request {rid:#x} refused: {why}"

    def close(self) -> None:
        """The guest stopped: serve what it left on the ring (it may have
        crashed with writes queued), then make every write durable."""
        if self.fd < 0:
            return
        ring = self.ring
        self._stop_thread()
        if ring is not None:
            try:
                self._served(ring, *ring.serve())
            except Exception:
                pass
        self.ring = None                 # it holds the fd
        os.close(self.wake)
        self.wake = -1
        try:
            if not self.readonly:
                os.fsync(self.fd)
        except OSError:
            pass
        os.close(self.fd)
        self.fd = -1
