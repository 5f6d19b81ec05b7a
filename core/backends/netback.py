"""netback: a guest NIC (xen/io/netif.h) on a host network (libslirp or TAP).

The toolstack's xenstore entries for a vif are written at attach; when the
frontend is Connected the backend maps its tx and rx rings through the
grant table, binds its event channel and goes Connected. From then on one
host thread per NIC moves frames, while the vCPU runs, in C without the GIL
(netring.pyx, `HostNet.run`: the rings, the checks, the copies, libslirp's
callbacks and polling, the TAP fd):

- guest → host: tx requests are copied out of their granted pages and given
  to the network; the responses are batched, one notify per batch (and only
  when the frontend asked for one, rsp_event);
- host → guest: frames from the network fill the rx buffers the frontend
  posted (a bounded queue holds frames while it has none; beyond it they are
  dropped, as a NIC drops);
- while frames flow the thread polls without sleeping; idle, it arms
  req_event (RING_FINAL_CHECK) and sleeps in poll() on the network's fds and
  a wake fd that the guest's notify writes to, so a guest sending while the
  backend is busy never exits to the host at all.

The thread comes back to Python only to log or to pick up new rings (and to
notify the guest where the GuestIO gives no `event_target`: on the runner
it notifies in C). Every grant reference, offset, size and ring index is
checked; a bad tx request gets NETIF_RSP_ERROR, impossible ring indices shut
the NIC (Closed).
"""

from __future__ import annotations

import os
import struct
import threading
from typing import Protocol

from ..runner.memory import GuestFault
from . import netring as R
from .grants import GrantError
from .guestio import DeviceError, GuestIO, kick

TX_REQ = struct.Struct("<IHHHH")       # gref, offset, flags, id, size
TX_RSP = struct.Struct("<Hh")          # id, status
RX_REQ = struct.Struct("<HxxI")        # id, gref
RX_RSP = struct.Struct("<HHHh")        # id, offset, flags, status
NETTXF_more_data = 1 << 2
RSP_OKAY, RSP_ERROR, RSP_DROPPED = 0, -1, -2
STATE_INITWAIT, STATE_CONNECTED, STATE_CLOSING, STATE_CLOSED = 2, 4, 5, 6
MAX_LOGGED = 5
BUSY_POLL_NS = 200_000          # the thread polls this long after the last frame
LINGER_NS = 500_000_000         # at the end: what the guest and the network still had


class Network(Protocol):
    """What a NIC is attached to: its HostNet is set up (use_fd / use_slirp)."""

    host: R.HostNet

    def close(self) -> None: ...


def mac_for(index: int) -> str:
    """Xen's OUI (00:16:3e) and the NIC's index."""
    return f"00:16:3e:00:00:{index + 1:02x}"


class NetBack:
    def __init__(self, io: GuestIO, index: int, net: Network, config: dict[str, str]) -> None:
        self.io, self.index, self.net = io, index, net
        self.host = net.host
        self.name = f"eth{index}"
        self.mac = mac_for(index)
        d = io.domid
        self.fe = f"/local/domain/{d}/device/vif/{index}"
        self.be = f"/local/domain/0/backend/vif/{d}/{index}"
        self.rings: R.NetRings | None = None
        self.port: int | None = None
        self.logged = 0
        self.notifies = 0
        self.direct_before = 0          # notifies made in C on rings since shut
        self.lock = threading.Lock()
        self.running = True
        self.wake = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        self.host.guest_mac(bytes.fromhex(self.mac.replace(":", "")))
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

    @property
    def stats(self) -> dict[str, int]:
        rings = self.rings
        direct = rings.notifies if rings is not None else 0
        return {**self.host.stats(), "notifies": self.notifies + direct + self.direct_before}

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
            self._shut()

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
            self.io.bind(port, self._notified, self.wake)    # _notified only kicks it
            # The runner's vCPU waits on an eventfd: the thread then notifies
            # in C, without the GIL (GuestIO.event_target; a test's may not).
            target = getattr(self.io, "event_target", None)
            where = target() if target is not None else None
            if where is not None:
                rings.direct_events(where[0], port, where[1])
        except (ValueError, GrantError, DeviceError, GuestFault) as e:
            self._log(f"frontend could not connect: {e}")
            s.write(f"{self.be}/state", str(STATE_CLOSED))
            return
        with self.lock:
            self.rings, self.port = rings, port
        self._interrupt()
        s.write(f"{self.be}/state", str(STATE_CONNECTED))

    def _shut(self) -> None:
        """Disconnect the rings (the frontend closed, or broke them)."""
        with self.lock:
            if self.port is not None:
                self.io.unbind(self.port)
            if self.rings is not None:
                self.direct_before += self.rings.notifies
            self.rings = None
            self.port = None
        self._interrupt()
        self.io.store.write(f"{self.be}/state", str(STATE_CLOSED))

    def _notified(self) -> None:
        """The guest sent on our port (vCPU thread): wake the backend thread."""
        kick(self.wake)

    def _interrupt(self) -> None:
        """Make the thread come back to Python (new rings, or stop)."""
        self.host.stop()
        self._notified()

    # -- the thread -----------------------------------------------------------------------
    def _loop(self) -> None:
        try:
            while self.running:
                with self.lock:
                    rings, port = self.rings, self.port
                notify, broken, failures, more, notes, _stopped = self.host.run(
                    rings, self.wake, BUSY_POLL_NS)
                if notify and port is not None:
                    self.notifies += 1
                    self.io.notify(port)
                self._refused(failures, more)
                for note in notes:
                    self.io.log(f"unik: {self.name}: user network: {note}")
                if broken and rings is self.rings:
                    self._log(f"NIC shut: {broken}")
                    self._shut()
        except Exception as e:           # never let the thread die silently
            if self.running:
                self.io.log(f"unik: {self.name}: backend error: {type(e).__name__}: {e}")
            self.running = False

    def _refused(self, failures: list[tuple[int, ...]], more: int) -> None:
        for code, a, b, c, d, e in failures:
            if code == R.E_SCATTER:
                why = "tx request refused: scatter-gather was not offered"
            elif code == R.E_SIZE:
                why = f"tx request refused: frame of {a} bytes"
            else:
                what = "rx buffer" if code == R.E_RX_GRANT else "tx request"
                why = f"{what} refused: {R.grant_message(a, b, c, d, e)}"
            self._log(why)
        self.logged += more

    def close(self) -> None:
        """The guest stopped: send on what it queued, then stop."""
        self.running = False
        self._interrupt()
        self.thread.join(timeout=5)
        # Frames the guest put on its tx ring just before exiting, and the
        # host sockets' share of them (libslirp writes when sockets are
        # writable): bounded.
        if os.environ.get("UNIK_NET_STATS"):
            self.io.log(f"unik: {self.name}: {self.stats}")
        if not self.thread.is_alive():
            try:
                self.host.linger(self.rings, LINGER_NS)
            except Exception:
                pass
            self.host.detach()
            self.net.close()
            os.close(self.wake)
            self.wake = -1
