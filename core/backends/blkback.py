"""blkback: a raw file as a Xen virtual block device (xen/io/blkif.h).

The toolstack's xenstore entries for a vbd are written at attach; when the
frontend reaches Initialised the backend maps its ring through the grant
table, binds its event channel and goes Connected. Requests (read, write with
up to 11 segments each, flush) are served when the guest notifies, straight
between the file and guest memory (preadv/pwritev into the granted pages, no
copy). A write is in the host's page cache before its response is queued,
so a guest crash loses nothing the guest saw acknowledged; a flush is
fdatasync, and the file is fsynced when the guest stops.

Every field of a request is checked: segment count, grant reference (it must
grant this backend access, writable for reads), sector range inside the page
and inside the disk. A bad request gets BLKIF_RSP_ERROR; a ring whose
indices are impossible shuts the device (state Closed) with one line for the
user. Neither stops the runner.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from ..runner.memory import GuestFault
from .grants import GrantError
from .guestio import DeviceError, GuestIO
from .rings import BackRing, RingError

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
        self.ring: BackRing | None = None
        self.port: int | None = None
        self.logged = 0
        self.requests = 0
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
            self.ring = BackRing(self.io.mem, addr, REQ_SIZE, RSP.size)
            self.io.bind(port, self.kick)
            self.port = port
        except (ValueError, GrantError, DeviceError, GuestFault) as e:
            self.ring = None
            self._log(f"frontend could not connect: {e}")
            s.write(f"{self.be}/state", str(STATE_CLOSED))
            return
        s.write(f"{self.be}/state", str(STATE_CONNECTED))

    def _disconnect(self, state: int) -> None:
        if self.port is not None:
            self.io.unbind(self.port)
        self.ring, self.port = None, None
        self.io.store.write(f"{self.be}/state", str(state))

    # -- requests ---------------------------------------------------------------
    def kick(self) -> None:
        """The guest notified: serve every request on the ring."""
        ring = self.ring
        if ring is None:
            return
        try:
            while True:
                for _ in range(ring.available()):
                    req = ring.take()
                    ring.put(self._serve(req))
                if ring.push() and self.port is not None:
                    self.io.notify(self.port)
                if not ring.final_check():
                    break
        except (RingError, GuestFault) as e:
            self._log(f"device shut: {e}")
            self._disconnect(STATE_CLOSED)

    def _serve(self, req: bytes) -> bytes:
        op, nseg, _handle, rid, sector = REQ.unpack_from(req)
        self.requests += 1
        try:
            status = self._do(op, nseg, sector, req)
        except (GrantError, GuestFault, DeviceError) as e:
            self._log(f"request {rid:#x} refused: {e}")
            status = RSP_ERROR
        except OSError as e:
            self._log(f"I/O error on {self.path}: {e.strerror}")
            status = RSP_ERROR
        return RSP.pack(rid, op, status)

    def _do(self, op: int, nseg: int, sector: int, req: bytes) -> int:
        if op == OP_FLUSH:
            os.fdatasync(self.fd)
            return RSP_OKAY
        if op not in (OP_READ, OP_WRITE):
            return RSP_EOPNOTSUPP
        if op == OP_WRITE and self.readonly:
            raise DeviceError("write to a read-only disk")
        if not 1 <= nseg <= MAX_SEGMENTS:
            raise DeviceError(f"{nseg} segments (1..{MAX_SEGMENTS})")
        mem, grants = self.io.mem, self.io.grants
        bufs = []
        total = 0
        for i in range(nseg):
            gref, first, last = SEG.unpack_from(req, REQ.size + i * SEG.size)
            if first > last or last >= 4096 // SECTOR:
                raise DeviceError(f"segment {i}: sectors {first}..{last} outside a page")
            length = (last - first + 1) * SECTOR
            addr = grants.span(gref, 0, op == OP_READ, first * SECTOR, length)
            off = mem.check(addr, length)
            bufs.append(mem.view[off:off + length])
            total += length
        if sector >= self.sectors or sector + total // SECTOR > self.sectors:
            raise DeviceError(f"sectors {sector}..{sector + total // SECTOR} beyond the "
                              f"disk's {self.sectors}")
        pos = sector * SECTOR
        done = (os.preadv(self.fd, bufs, pos) if op == OP_READ
                else os.pwritev(self.fd, bufs, pos))
        if done != total:
            raise DeviceError(f"short {'read' if op == OP_READ else 'write'} "
                              f"({done} of {total} bytes)")
        return RSP_OKAY

    def close(self) -> None:
        """The guest stopped: make every write durable."""
        if self.fd < 0:
            return
        try:
            if not self.readonly:
                os.fsync(self.fd)
        except OSError:
            pass
        os.close(self.fd)
        self.fd = -1
