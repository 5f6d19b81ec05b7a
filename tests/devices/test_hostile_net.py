"""A malicious netfront against netback: bad grants, sizes and ring indices
get error responses or shut the NIC; the runner and its thread carry on."""

from __future__ import annotations

import io
import socket
import struct
import time
from pathlib import Path

import pytest

from unik.backends import netback as NB
from unik.backends import xenstore as XS
from unik.backends.netring import HostNet
from unik.runner import builder as B
from unik.runner import image as image_mod
from unik.runner import xenabi as X
from unik.runner.devices import DeviceSpecs, NicSpec
from unik.runner.hypercalls import Domain, GuestTime
from unik.runner.memory import GuestMemory

PAGE = 4096
FE = "device/vif/0"
BE = "/local/domain/0/backend/vif/1/0"


class FakeNet:
    """Stands in for libslirp: a datagram socketpair is the wire (netback's
    C loop writes the guest's frames to one end; the test reads them at the
    other and writes frames for the guest there)."""

    def __init__(self) -> None:
        self.ours, self.wire = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.ours.setblocking(False)
        self.wire.setblocking(False)
        self.host = HostNet()
        self.host.use_fd(self.ours.fileno())
        self._sent: list[bytes] = []

    @property
    def sent(self) -> list[bytes]:
        while True:
            try:
                self._sent.append(self.wire.recv(65536))
            except BlockingIOError:
                return self._sent

    def deliver(self, frame: bytes) -> None:
        self.wire.send(frame)

    def close(self) -> None:
        self.host.detach()
        self.ours.close()
        self.wire.close()


class Guest:
    def __init__(self, image: Path, monkeypatch) -> None:
        self.net = FakeNet()
        monkeypatch.setattr("unik.runner.devices.UserNet", lambda *a, **k: self._user())
        img = image_mod.load(image)
        size = 32 << 20
        self.mem = GuestMemory(bytearray(size))
        self.lay = B.plan(img, size, flags=X.SIF_UNIK_RUNNER)
        B.build(img, self.mem, self.lay, cmdline=b"")
        self.dom = Domain(self.mem, self.lay, out=io.BytesIO(),
                          clock=GuestTime(1e9, time.monotonic_ns),
                          devices=DeviceSpecs(nics=[NicSpec("user")]))
        self.logged: list[str] = []
        self.dom.devices._log = self.logged.append
        base = (self.lay.free_start + PAGE - 1) // PAGE * PAGE
        self.args, self.gnt = base, base + PAGE
        self.tx, self.rx, self.data = base + 2 * PAGE, base + 3 * PAGE, base + 4 * PAGE
        self.mem.write(self.args, struct.pack("<HHIQQ", X.DOMID_SELF, 0, 1, 0, self.gnt // PAGE))
        assert self.call("memory_op", 7, self.args) == 0

    def _user(self):
        class U(FakeNet):
            addr = {"ip": "10.0.2.15", "netmask": "255.255.255.0", "gateway": "10.0.2.2",
                    "dns": "10.0.2.3"}
        u = U()
        self.net = u
        return u

    def call(self, name: str, *args: int) -> int:
        return X.signed(self.dom.hypercall(X.HC[name], tuple(args) + (0,) * (5 - len(args))))

    def grant(self, ref: int, frame: int, domid: int = 0, flags: int = 1) -> None:
        self.mem.write(self.gnt + ref * 8, struct.pack("<HHI", flags, domid, frame))

    def store(self, path: str, value: str) -> None:
        self.dom.devices.store.request(XS.XS_WRITE, path.encode() + b"\0" + value.encode())

    def connect(self) -> None:
        self.grant(8, self.tx // PAGE)
        self.grant(9, self.rx // PAGE)
        self.mem.write(self.args, struct.pack("<HHI", X.DOMID_SELF, 0, 0))
        assert self.call("event_channel_op", X.EVTCHNOP_alloc_unbound, self.args) == 0
        self.port = self.mem.u32(self.args + 4)
        for k, v in {"tx-ring-ref": "8", "rx-ring-ref": "9", "event-channel": str(self.port),
                     "request-rx-copy": "1", "state": "4"}.items():
            self.store(f"{FE}/{k}", v)
        assert self.dom.devices.store.read(f"{BE}/state") == b"4"

    def send_tx(self, gref: int, offset: int, size: int, flags: int = 0) -> int:
        prod = self.mem.u32(self.tx)
        slot = self.tx + 64 + (prod % 256) * 12
        self.mem.write(slot, NB.TX_REQ.pack(gref, offset, flags, 77, size))
        self.mem.set_u32(self.tx, prod + 1)
        self.mem.write(self.args, struct.pack("<I", self.port))
        assert self.call("event_channel_op", X.EVTCHNOP_send, self.args) == 0
        end = time.monotonic() + 10
        while self.mem.u32(self.tx + 8) != prod + 1:
            assert time.monotonic() < end, "no tx response"
            time.sleep(0.001)
        rid, status = NB.TX_RSP.unpack(self.mem.read(slot, 4))
        assert rid == 77
        return status

    def close(self) -> None:
        self.dom.devices.close()


@pytest.fixture
def guest(images, monkeypatch):
    g = Guest(images["net_arp"], monkeypatch)
    yield g
    g.close()


def test_good_frame_goes_out(guest):
    guest.connect()
    guest.grant(10, guest.data // PAGE, flags=1 | 4)
    guest.mem.write(guest.data + 100, b"\xff" * 6 + b"\x00" * 54)
    assert guest.send_tx(10, 100, 60) == NB.RSP_OKAY
    assert guest.net.sent == [b"\xff" * 6 + b"\x00" * 54]


@pytest.mark.parametrize("gref,offset,size,flags", [
    (10, 0, 10, 0),              # runt
    (10, 0, 9000, 0),            # giant
    (10, 4000, 1000, 0),         # crosses the page
    (99999, 0, 60, 0),           # beyond the table
    (11, 0, 60, 0),              # granted to another domain
    (12, 0, 60, 0),              # a frame outside RAM
    (10, 0, 60, NB.NETTXF_more_data),   # scatter-gather was not offered
])
def test_bad_tx_requests_get_errors(guest, gref, offset, size, flags):
    guest.connect()
    guest.grant(10, guest.data // PAGE)
    guest.grant(11, guest.data // PAGE, domid=5)
    guest.grant(12, (64 << 20) // PAGE)
    assert guest.send_tx(gref, offset, size, flags) == NB.RSP_ERROR
    assert guest.net.sent == []
    end = time.monotonic() + 5                  # logged from netback's thread
    while not guest.logged and time.monotonic() < end:
        time.sleep(0.001)
    assert guest.logged
    assert guest.send_tx(10, 0, 60) == NB.RSP_OKAY          # still working


def test_bad_rx_buffer_gets_an_error_response(guest):
    guest.connect()
    # One rx request whose grant is not ours; a frame arrives for it.
    guest.mem.write(guest.rx + 64, NB.RX_REQ.pack(5, 4000))
    guest.mem.set_u32(guest.rx, 1)
    guest.net.deliver(b"\x01" * 60)
    guest.mem.write(guest.args, struct.pack("<I", guest.port))
    guest.call("event_channel_op", X.EVTCHNOP_send, guest.args)
    end = time.monotonic() + 10
    while guest.mem.u32(guest.rx + 8) != 1:
        assert time.monotonic() < end
        time.sleep(0.001)
    rid, _off, _flags, status = NB.RX_RSP.unpack(guest.mem.read(guest.rx + 64, 8))
    assert rid == 5 and status == NB.RSP_ERROR


def test_impossible_tx_index_shuts_the_nic(guest):
    guest.connect()
    guest.mem.set_u32(guest.tx, 100000)
    guest.mem.write(guest.args, struct.pack("<I", guest.port))
    guest.call("event_channel_op", X.EVTCHNOP_send, guest.args)
    end = time.monotonic() + 10
    while guest.dom.devices.store.read(f"{BE}/state") != b"6":
        assert time.monotonic() < end, guest.logged
        time.sleep(0.001)
    assert any("NIC shut" in m for m in guest.logged)
    assert guest.call("event_channel_op", X.EVTCHNOP_send, guest.args) == 0


def test_connect_refuses_bad_rings(guest):
    guest.grant(8, (64 << 20) // PAGE)
    for k, v in {"tx-ring-ref": "8", "rx-ring-ref": "8", "event-channel": "1",
                 "request-rx-copy": "1", "state": "4"}.items():
        guest.store(f"{FE}/{k}", v)
    assert guest.dom.devices.store.read(f"{BE}/state") == b"6"


def test_impossible_rx_index_shuts_the_nic(guest):
    guest.connect()
    guest.mem.set_u32(guest.rx, 100000)             # rx req_prod far beyond the ring
    guest.net.deliver(b"\x01" * 60)                 # a frame makes netback look at rx
    end = time.monotonic() + 10
    while guest.dom.devices.store.read(f"{BE}/state") != b"6":
        assert time.monotonic() < end, guest.logged
        time.sleep(0.001)
    assert any("NIC shut" in m and "rx" in m for m in guest.logged), guest.logged
    guest.net.deliver(b"\x01" * 60)                 # the runner carries on
    time.sleep(0.05)
    assert guest.dom.devices.backends[0].running
