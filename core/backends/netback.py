"""netback: a guest NIC (xen/io/netif.h) on a host network (libslirp or TAP).

The toolstack's xenstore entries for a vif are written at attach; when the
frontend is Connected the backend maps its tx and rx rings through the
grant table, binds its event channel and goes Connected. From then on one
host thread per NIC moves frames, while the vCPU runs:

- guest → host: tx requests are copied out of their granted pages and given
  to the network; the responses are batched, one notify per batch (and only
  when the frontend asked for one, rsp_event);
- host → guest: frames from the network fill the rx buffers the frontend
  posted (a bounded queue holds frames while it has none; beyond it they are
  dropped, as a NIC drops);
- the thread sleeps in poll() on the network's fds and a wake pipe that the
  guest's notify writes to; before sleeping it arms req_event
  (RING_FINAL_CHECK), so a guest sending while the backend is busy never
  exits to the host at all.

Every grant reference, offset, size and ring index is checked; a bad tx
request gets NETIF_RSP_ERROR, impossible ring indices shut the NIC (Closed).
The rings themselves (checks, copies, pushes) are netring.pyx, in C.
"""

from __future__ import annotations

import os
import select
import struct
import threading
import time
from collections import deque
from typing import Protocol

from ..runner.memory import GuestFault
from . import netring as R
from .grants import GrantError
from .guestio import DeviceError, GuestIO

TX_REQ = struct.Struct("<IHHHH")       # gref, offset, flags, id, size
TX_RSP = struct.Struct("<Hh")          # id, status
RX_REQ = struct.Struct("<HxxI")        # id, gref
RX_RSP = struct.Struct("<HHHh")        # id, offset, flags, status
NETTXF_more_data = 1 << 2
RSP_OKAY, RSP_ERROR, RSP_DROPPED = 0, -1, -2
FRAME_MIN, FRAME_MAX = 14, 1514
RX_QUEUE = 1024
STATE_INITWAIT, STATE_CONNECTED, STATE_CLOSING, STATE_CLOSED = 2, 4, 5, 6
MAX_LOGGED = 5
BUSY_POLL_S = 0.0005


def _poll_now(fds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    p = select.poll()
    for fd, ev in fds:
        p.register(fd, ev)
    return p.poll(0)


class Network(Protocol):
    deliver: object

    def send(self, frame: bytes) -> None: ...
    def prepare(self) -> tuple[list[tuple[int, int]], int]: ...
    def dispatch(self, revents: dict[int, int]) -> None: ...
    def close(self) -> None: ...


def mac_for(index: int) -> str:
    """Xen's OUI (00:16:3e) and the NIC's index."""
    return f"00:16:3e:00:00:{index + 1:02x}"


class NetBack:
    def __init__(self, io: GuestIO, index: int, net: Network, config: dict[str, str]) -> None:
        self.io, self.index, self.net = io, index, net
        self.name = f"eth{index}"
        self.mac = mac_for(index)
        d = io.domid
        self.fe = f"/local/domain/{d}/device/vif/{index}"
        self.be = f"/local/domain/0/backend/vif/{d}/{index}"
        self.rings: R.NetRings | None = None
        self.port: int | None = None
        self.queue: deque[bytes] = deque()
        self.logged = 0
        self.stats = {"tx": 0, "rx": 0, "rx_dropped": 0, "notifies": 0}
        self.lock = threading.Lock()
        self.running = True
        self.wake_r, self.wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        net.deliver = self._from_network      # type: ignore[assignment]
        s = io.store
        for k, v in {"frontend": self.fe, "frontend-id": str(d), "online": "1",
                     "mac": self.mac, "handle": str(index), "feature-sg": "0",
                     "feature-rx-copy": "1", "feature-rx-flip": "0",
                     "feature-gso-tcpv4": "0", "state": str(STATE_INITWAIT)}.items():
            s.write(f"{self.be}/{k}", v)
        for k, v in {"backend": self.be, "backend-id": "0", "handle": str(index),
                     "mac": self.mac, **config, "state": "1"}.items():
            s.write(f"{self.fe}/{k}", v)
        s.watch(f"{self.fe}/state", self._frontend_changed)
        self.thread = threading.Thread(target=self._loop, name=f"unik-netback-{index}",
                                       daemon=True)
        self.thread.start()

    def _log(self, msg: str) -> None:
        if self.logged < MAX_LOGGED:
            self.io.log(f"unik: {self.name}: {msg}")
        elif self.logged == MAX_LOGGED:
            self.io.log(f"unik: {self.name}: more bad requests, no longer reported")
        self.logged += 1

    # -- xenbus --------------------------------------------------------------------
    def _frontend_changed(self, _path: str) -> None:
        raw = self.io.store.read(f"{self.fe}/state") or b"0"
        state = int(raw) if raw.isdigit() else 0
        if state == STATE_CONNECTED and self.rings is None:
            self._connect()
        elif state in (STATE_CLOSING, STATE_CLOSED) and self.rings is not None:
            self._disconnect()

    def _connect(self) -> None:
        s, g = self.io.store, self.io.grants
        try:
            tx_ref = int(s.read(f"{self.fe}/tx-ring-ref") or b"x")
            rx_ref = int(s.read(f"{self.fe}/rx-ring-ref") or b"x")
            port = int(s.read(f"{self.fe}/event-channel") or b"x")
            if s.read(f"{self.fe}/request-rx-copy") != b"1":
                raise DeviceError("the frontend must use rx-copy")
            rings = R.NetRings(self.io.mem, g, g.page(tx_ref, 0, True),
                               g.page(rx_ref, 0, True))
            self.io.bind(port, self._notified)
        except (ValueError, GrantError, DeviceError, GuestFault) as e:
            self._log(f"frontend could not connect: {e}")
            s.write(f"{self.be}/state", str(STATE_CLOSED))
            return
        with self.lock:
            self.rings, self.port = rings, port
        s.write(f"{self.be}/state", str(STATE_CONNECTED))
        self._notified()

    def _disconnect(self) -> None:
        with self.lock:
            if self.port is not None:
                self.io.unbind(self.port)
            self.rings = None
            self.port = None
        self.io.store.write(f"{self.be}/state", str(STATE_CLOSED))

    def _notified(self) -> None:
        """The guest sent on our port (vCPU thread): wake the backend thread."""
        try:
            os.write(self.wake_w, b"!")
        except BlockingIOError:
            pass

    # -- host → guest ------------------------------------------------------------------
    def _from_network(self, frame: bytes) -> None:
        if len(frame) > FRAME_MAX + 4:          # no GSO: the host never sends more
            return
        if len(self.queue) >= RX_QUEUE:
            self.stats["rx_dropped"] += 1
            return
        self.queue.append(frame)

    def _do_rx(self, rings: R.NetRings) -> bool:
        moved, delivered, notify, failures, more = rings.rx(self.queue)
        self.stats["rx"] += delivered
        self._refused("rx buffer", failures, more)
        if notify and self.port is not None:
            self.stats["notifies"] += 1
            self.io.notify(self.port)
        return moved > 0

    # -- guest → host --------------------------------------------------------------------
    def _do_tx(self, rings: R.NetRings) -> bool:
        frames, notify, failures, more = rings.tx()
        for frame in frames:
            self.net.send(frame)
        self.stats["tx"] += len(frames)
        self._refused("tx request", failures, more)
        if notify and self.port is not None:
            self.stats["notifies"] += 1
            self.io.notify(self.port)
        return bool(frames or failures or more)

    def _refused(self, what: str, failures: list[tuple[int, ...]], more: int) -> None:
        for code, a, b, c, d, e in failures:
            if code == R.E_SCATTER:
                why = "scatter-gather was not offered"
            elif code == R.E_SIZE:
                why = f"frame of {a} bytes"
            else:
                why = R.grant_message(a, b, c, d, e)
            self._log(f"{what} refused: {why}")
        self.logged += more

    # -- the thread -----------------------------------------------------------------------
    def _step(self) -> bool:
        """Move what can be moved; True when anything moved."""
        with self.lock:
            rings = self.rings
            if rings is None:
                return False
            try:
                moved = self._do_tx(rings)
                moved |= self._do_rx(rings)
                if not moved and rings.final_check_tx():
                    moved = True
                if not moved:
                    # Wake on new rx buffers only while frames wait for them.
                    if self.queue and rings.final_check_rx():
                        moved = True
            except R.RingBroken as e:
                self._log(f"NIC shut: {e}")
                if self.port is not None:
                    self.io.unbind(self.port)
                self.rings = None
                self.port = None
                self.io.store.write(f"{self.be}/state", str(STATE_CLOSED))
                return False
        return moved

    def _loop(self) -> None:
        poller_fds: list[int] = []
        busy_until = 0.0
        while self.running:
            try:
                moved = self._step()
                # Busy-poll the rings for a while after traffic: the guest's
                # next request is then seen without a notify (its exit
                # costs ~50 µs) or a wake-up of this thread.
                now = time.monotonic()
                if moved:
                    busy_until = now + BUSY_POLL_S
                elif now < busy_until:
                    time.sleep(0)       # let the vCPU thread have the GIL for its exits
                    fds, _t = self.net.prepare()
                    ready = dict(_poll_now(fds))
                    self.net.dispatch({fd: ready.get(fd, 0) for fd, _ in fds})
                    continue
                fds, timeout = self.net.prepare()
                p = select.poll()
                p.register(self.wake_r, select.POLLIN)
                for fd, ev in fds:
                    p.register(fd, ev)
                poller_fds = [fd for fd, _ in fds]
                ready = dict(p.poll(0 if moved else timeout))
                if ready.pop(self.wake_r, 0):
                    try:
                        os.read(self.wake_r, 4096)
                    except BlockingIOError:
                        pass
                self.net.dispatch({fd: ready.get(fd, 0) for fd in poller_fds})
            except Exception as e:           # never let the thread die silently
                if self.running:
                    self.io.log(f"unik: {self.name}: backend error: {type(e).__name__}: {e}")
                self.running = False

    def close(self) -> None:
        """The guest stopped: send on what it queued, then stop."""
        self.running = False
        self._notified()
        self.thread.join(timeout=2)
        # Frames the guest put on its tx ring just before exiting, and the
        # host sockets' share of them (libslirp writes when sockets are
        # writable): a few rounds, bounded.
        end = time.monotonic() + 0.5
        try:
            while time.monotonic() < end:
                moved = self._step()
                fds, _t = self.net.prepare()
                ready = dict(_poll_now(fds))
                self.net.dispatch({fd: ready.get(fd, 0) for fd, _ in fds})
                if not moved and not any(ev & select.POLLOUT for _fd, ev in fds):
                    break
        except Exception:
            pass
        self.net.close()
        for fd in (self.wake_r, self.wake_w):
            os.close(fd)
