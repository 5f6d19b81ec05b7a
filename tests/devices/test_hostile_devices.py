"""A malicious frontend against the runner's xenstore, grant table and blkback.

The guest is played by this test: it writes whatever it likes into its own
memory (ring pages, grant entries, the store page) and makes hypercalls.
Every bad index, grant reference and length must end in an error response,
a closed device or a stopped guest — never an exception out of the runner.
"""

from __future__ import annotations

import io
import struct
import time
from pathlib import Path

import pytest

from unik.backends import blkback as BB
from unik.backends import xenstore as XS
from unik.runner import builder as B
from unik.runner import image as image_mod
from unik.runner import xenabi as X
from unik.runner.devices import DeviceSpecs, prepare_disk
from unik.runner.events import Stop
from unik.runner.hypercalls import Domain, GuestTime
from unik.runner.memory import GuestMemory

PAGE = 4096
FE = "device/vbd/51712"


def eventually(cond, timeout: float = 5.0) -> bool:
    """blkback serves on its own thread too (and logs from it): wait for
    what it does asynchronously instead of assuming the notify did it."""
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.001)
    return True
BE = "/local/domain/0/backend/vbd/1/51712"


class Guest:
    """A domain in a bytearray, driven by hand."""

    def __init__(self, image: Path, disk: Path) -> None:
        img = image_mod.load(image)
        size = 32 << 20
        self.mem = GuestMemory(bytearray(size))
        self.lay = B.plan(img, size, flags=X.SIF_UNIK_RUNNER)
        B.build(img, self.mem, self.lay, cmdline=b"")
        self.dom = Domain(self.mem, self.lay, out=io.BytesIO(),
                          clock=GuestTime(1e9, time.monotonic_ns),
                          devices=DeviceSpecs([prepare_disk(disk, 1 << 20)]))
        self.logged: list[str] = []
        self.dom.devices._log = self.logged.append
        base = (self.lay.free_start + PAGE - 1) // PAGE * PAGE
        self.args, self.gnt = base, base + PAGE
        self.ring, self.data = base + 2 * PAGE, base + 3 * PAGE
        self.call("memory_op", 7, self._physmap(0, self.gnt // PAGE))

    def call(self, name: str, *args: int) -> int:
        return X.signed(self.dom.hypercall(X.HC[name], tuple(args) + (0,) * (5 - len(args))))

    def _physmap(self, idx: int, gpfn: int) -> int:
        self.mem.write(self.args, struct.pack("<HHIQQ", X.DOMID_SELF, 0, 1, idx, gpfn))
        return self.args

    def grant(self, ref: int, frame: int, domid: int = 0, flags: int = 1) -> None:
        self.mem.write(self.gnt + ref * 8, struct.pack("<HHI", flags, domid, frame))

    def unbound_port(self) -> int:
        self.mem.write(self.args, struct.pack("<HHI", X.DOMID_SELF, 0, 0))
        assert self.call("event_channel_op", X.EVTCHNOP_alloc_unbound, self.args) == 0
        return self.mem.u32(self.args + 4)

    def store(self, path: str, value: str) -> None:
        kind, _ = self.dom.devices.store.request(XS.XS_WRITE,
                                                 path.encode() + b"\0" + value.encode())
        assert kind == XS.XS_WRITE

    def connect(self, ring_ref: int = 8) -> int:
        self.grant(8, self.ring // PAGE)
        port = self.unbound_port()
        self.store(f"{FE}/ring-ref", str(ring_ref))
        self.store(f"{FE}/event-channel", str(port))
        self.store(f"{FE}/state", "3")
        self.port = port
        return port

    def be_state(self) -> int:
        return int(self.dom.devices.store.read(f"{BE}/state") or b"0")

    def request(self, op: int, segs: list[tuple[int, int, int]], sector: int = 0,
                nseg: int | None = None) -> int:
        """Queue one request, notify, return the response's status."""
        prod = self.mem.u32(self.ring)
        slot = self.ring + 64 + (prod % 32) * 112
        raw = BB.REQ.pack(op, len(segs) if nseg is None else nseg, 0, 0xABC, sector)
        raw += b"".join(BB.SEG.pack(*s) for s in segs)
        self.mem.write(slot, raw.ljust(112, b"\0"))
        self.mem.set_u32(self.ring, prod + 1)
        self.mem.write(self.args, struct.pack("<I", self.port))
        assert self.call("event_channel_op", X.EVTCHNOP_send, self.args) == 0
        assert eventually(lambda: self.mem.u32(self.ring + 8) == prod + 1)
        rid, rop, status = BB.RSP.unpack(self.mem.read(slot, 16))
        assert rid == 0xABC and rop == op
        return status


@pytest.fixture
def guest(images, tmp_path: Path) -> Guest:
    return Guest(images["block_crash"], tmp_path / "disk.img")


def test_a_well_behaved_request_works(guest):
    guest.connect()
    assert guest.be_state() == 4
    guest.grant(9, guest.data // PAGE)
    guest.mem.write(guest.data, b"x" * PAGE)
    assert guest.request(BB.OP_WRITE, [(9, 0, 7)], sector=8) == BB.RSP_OKAY
    guest.mem.write(guest.data, bytes(PAGE))
    assert guest.request(BB.OP_READ, [(9, 0, 7)], sector=8) == BB.RSP_OKAY
    assert guest.mem.read(guest.data, PAGE) == b"x" * PAGE


@pytest.mark.parametrize("case", [
    "gref-beyond-table", "gref-not-granted", "gref-other-domain", "gref-read-only",
    "frame-outside-ram", "no-segments", "twelve-segments", "first-after-last",
    "last-beyond-page", "sector-beyond-disk", "sector-wraps",
])
def test_bad_requests_get_errors(guest, case: str):
    guest.connect()
    g = guest
    g.grant(9, g.data // PAGE)
    g.grant(10, g.data // PAGE, domid=7)
    g.grant(11, g.data // PAGE, flags=1 | 4)
    g.grant(12, (64 << 20) // PAGE)
    op, segs, sector, nseg = BB.OP_READ, [(9, 0, 7)], 0, None
    if case == "gref-beyond-table":
        segs = [(1 << 30, 0, 7)]
    elif case == "gref-not-granted":
        segs = [(40, 0, 7)]
    elif case == "gref-other-domain":
        segs = [(10, 0, 7)]
    elif case == "gref-read-only":
        segs = [(11, 0, 7)]                     # a read writes guest memory
    elif case == "frame-outside-ram":
        segs = [(12, 0, 7)]
    elif case == "no-segments":
        nseg = 0
    elif case == "twelve-segments":
        segs = [(9, 0, 7)] * 11
        nseg = 12
    elif case == "first-after-last":
        segs = [(9, 5, 2)]
    elif case == "last-beyond-page":
        segs = [(9, 0, 8)]
    elif case == "sector-beyond-disk":
        sector = 2048
    elif case == "sector-wraps":
        sector = (1 << 64) - 1
    assert g.request(op, segs, sector=sector, nseg=nseg) == BB.RSP_ERROR
    assert eventually(lambda: g.logged), "the refusal is reported"
    # The device still works afterwards.
    assert g.request(BB.OP_READ, [(9, 0, 7)]) == BB.RSP_OKAY


def test_read_only_grant_is_fine_for_writes(guest):
    guest.connect()
    guest.grant(11, guest.data // PAGE, flags=1 | 4)
    assert guest.request(BB.OP_WRITE, [(11, 0, 7)]) == BB.RSP_OKAY


def test_unknown_operation(guest):
    guest.connect()
    assert guest.request(9, []) == BB.RSP_EOPNOTSUPP


def test_impossible_ring_index_shuts_the_device(guest):
    guest.connect()
    guest.mem.set_u32(guest.ring, 5000)             # req_prod far beyond the ring
    guest.mem.write(guest.args, struct.pack("<I", guest.port))
    assert guest.call("event_channel_op", X.EVTCHNOP_send, guest.args) == 0
    assert eventually(lambda: guest.be_state() == 6)
    assert eventually(lambda: any("device shut" in m for m in guest.logged))
    # Later notifies are harmless.
    assert guest.call("event_channel_op", X.EVTCHNOP_send, guest.args) == 0


@pytest.mark.parametrize("ref", ["99999", "-1", "abc", "9"])
def test_bad_ring_grant_refuses_to_connect(guest, ref: str):
    guest.grant(9, (64 << 20) // PAGE)              # a frame outside RAM
    port = guest.unbound_port()
    guest.store(f"{FE}/ring-ref", ref)
    guest.store(f"{FE}/event-channel", str(port))
    guest.store(f"{FE}/state", "3")
    assert guest.be_state() == 6
    assert guest.logged


def test_bad_event_channel_refuses_to_connect(guest):
    guest.grant(8, guest.ring // PAGE)
    guest.store(f"{FE}/ring-ref", "8")
    guest.store(f"{FE}/event-channel", "1")         # the console's port, not unbound
    guest.store(f"{FE}/state", "3")
    assert guest.be_state() == 6


def test_grant_table_hypercalls_check_their_arguments(guest):
    g = guest
    assert g.call("grant_table_op", 6, 1 << 50, 1) == -X.EFAULT
    assert g.call("grant_table_op", 99, g.args, 1) == -X.ENOSYS
    assert g.call("memory_op", 7, g._physmap(100, 1)) == -X.EINVAL
    assert g.call("memory_op", 7, g._physmap(1, 1 << 40)) == -X.EFAULT


def _store_ring_request(g: Guest, raw: bytes) -> None:
    a = g.lay.store
    prod = g.mem.u32(a + XS.REQ_PROD)
    for i, b in enumerate(raw):
        g.mem.write(a + (prod + i) % 1024, bytes([b]))
    g.mem.set_u32(a + XS.REQ_PROD, prod + len(raw))


def _store_reply(g: Guest) -> tuple[int, bytes]:
    a = g.lay.store
    cons, prod = g.mem.u32(a + XS.RSP_CONS), g.mem.u32(a + XS.RSP_PROD)
    data = bytes(g.mem.read(a + 1024 + (cons + i) % 1024, 1)[0] for i in range(prod - cons))
    g.mem.set_u32(a + XS.RSP_CONS, prod)
    kind, _rid, _tx, length = XS.HEADER.unpack_from(data)
    return kind, data[16:16 + length]


def _send_store(g: Guest) -> int:
    g.mem.write(g.args, struct.pack("<I", B.STORE_EVTCHN))
    return g.call("event_channel_op", X.EVTCHNOP_send, g.args)


def test_store_ring_serves_and_refuses_writes_outside_home(guest):
    g = guest
    _store_ring_request(g, XS.HEADER.pack(XS.XS_READ, 7, 0, 5) + b"name\0")
    assert _send_store(g) == 0
    assert _store_reply(g) == (XS.XS_READ, b"unik")
    body = b"/local/domain/0/backend/vbd/1/51712/sectors\0" + b"999999"
    _store_ring_request(g, XS.HEADER.pack(XS.XS_WRITE, 8, 0, len(body)) + body)
    assert _send_store(g) == 0
    assert _store_reply(g) == (XS.XS_ERROR, b"EACCES\0")
    assert g.dom.devices.store.read(f"{BE}/sectors") == b"2048"


@pytest.mark.parametrize("case", ["indices", "length"])
def test_hostile_store_ring_stops_the_guest(guest, case: str):
    g = guest
    if case == "indices":
        g.mem.set_u32(g.lay.store + XS.REQ_PROD, 5000)
    else:
        _store_ring_request(g, XS.HEADER.pack(XS.XS_READ, 1, 0, 1 << 20))
    with pytest.raises(Stop) as e:
        _send_store(g)
    assert e.value.status == 125
    assert "xenstore" in e.value.message


def test_store_refuses_unbounded_growth(guest):
    store = guest.dom.devices.store
    for i in range(XS.MAX_NODES):
        try:
            store.request(XS.XS_WRITE, b"data/k%d\0v" % i)
        except XS.StoreError as e:
            assert e.name == "ENOSPC"
            break
    else:
        raise AssertionError("the store grew without bound")
    assert len(store.nodes) <= XS.MAX_NODES
