"""The stdout/stderr stream rings on the host side (unik.backends.streams), on plain
memory: in-order draining across the wrap, the guest's first-write time, corrupt
indices refused, and the Drainer thread emptying a ring while "the guest" writes
(and sleeping, not polling, while it does not)."""

from __future__ import annotations

import io
import os
import struct
import threading

import pytest

from unik.backends.console import RingError
from unik.backends.sink import Sink
from unik.backends.streams import PAGE, Drainer, StreamRing
from unik.runner.memory import GuestMemory

SIZE = 4096
HDR = 0x10000


def ring(out: io.BytesIO) -> tuple[GuestMemory, StreamRing]:
    mem = GuestMemory(bytearray(0x20000))
    return mem, StreamRing(mem, HDR, SIZE, Sink(out))


def produce(mem: GuestMemory, data: bytes) -> None:
    """What the guest does (core/native/xen/pv_streams.c), without the full check."""
    cons, prod = struct.unpack_from("<II", mem.view, HDR)
    assert len(data) <= SIZE - (prod - cons)
    for i, b in enumerate(data):
        mem.view[HDR + PAGE + (prod + i) % SIZE] = b
    struct.pack_into("<I", mem.view, HDR + 4, (prod + len(data)) & 0xFFFFFFFF)


def test_drains_in_order_across_the_wrap():
    out = io.BytesIO()
    mem, r = ring(out)
    sent = b""
    for k in range(10):
        chunk = bytes([65 + k]) * 3000
        produce(mem, chunk)
        sent += chunk
        assert r.drain() == 3000
    assert out.getvalue() == sent
    assert r.drain() == 0


def test_indices_wrap_at_32_bits():
    out = io.BytesIO()
    mem, r = ring(out)
    struct.pack_into("<II", mem.view, HDR, 0xFFFFFF00, 0xFFFFFF00)
    produce(mem, b"x" * 1000)
    assert r.drain() == 1000 and out.getvalue() == b"x" * 1000


def test_a_producer_beyond_the_ring_is_refused():
    mem, r = ring(io.BytesIO())
    struct.pack_into("<II", mem.view, HDR, 0, SIZE + 1)
    with pytest.raises(RingError):
        r.drain()


def test_first_write_time_is_the_guests():
    mem, r = ring(io.BytesIO())
    assert r.first_write_host_ns(1000) is None
    struct.pack_into("<Q", mem.view, HDR + 8, 250)
    assert r.first_write_host_ns(1000) == 1250


def test_the_drainer_empties_a_ring_while_the_guest_writes():
    out = io.BytesIO()
    mem, r = ring(out)
    d = Drainer([r])
    d.start()
    sent = b""
    try:
        for k in range(200):
            chunk = bytes([48 + k % 10]) * 1000
            done = threading.Event()
            while True:                      # wait for room, as the guest would
                cons, prod = struct.unpack_from("<II", mem.view, HDR)
                if SIZE - (prod - cons) >= len(chunk):
                    break
                done.wait(0.001)
            produce(mem, chunk)
            sent += chunk
    finally:
        d.stop()
    r.drain()
    assert out.getvalue() == sent


def _voluntary_switches(tid: int) -> int:
    with open(f"/proc/self/task/{tid}/status") as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                return int(line.split()[1])
    raise AssertionError("no voluntary_ctxt_switches in /proc")


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc")
def test_an_idle_drainer_seldom_wakes_and_still_drains():
    """Each wake-up of the drain thread can interrupt the vCPU (a world switch
    under PVM), so with nothing to drain it sleeps 16 ms at a time: over 0.4 s
    ~25 wake-ups (a 2 ms poll made 200; a loaded host only makes fewer). A line
    written during that sleep is drained without a notify."""
    out = io.BytesIO()
    mem, r = ring(out)
    d = Drainer([r])
    d.start()
    try:
        assert d.thread.native_id is not None
        threading.Event().wait(0.05)             # past the first polls
        before = _voluntary_switches(d.thread.native_id)
        threading.Event().wait(0.4)
        wakes = _voluntary_switches(d.thread.native_id) - before
        produce(mem, b"late line\n")
        for _ in range(200):                     # within ~16 ms; 2 s at most
            if out.getvalue():
                break
            threading.Event().wait(0.01)
    finally:
        d.stop()
    assert wakes <= 60
    assert out.getvalue() == b"late line\n"


def test_make_room_drains_a_full_ring_when_the_drainer_is_idle():
    out = io.BytesIO()
    mem, r = ring(out)
    produce(mem, b"f" * SIZE)
    assert r.make_room() == SIZE and out.getvalue() == b"f" * SIZE
    assert r.make_room() == 0


def _pipe_sink() -> tuple[int, int, Sink]:
    rfd, wfd = os.pipe()
    return rfd, wfd, Sink(os.fdopen(wfd, "wb", buffering=0, closefd=False))


def test_a_pipe_sink_writes_through_its_own_description():
    """The sink writes a FIFO through a non-blocking description of its own:
    the caller's stays blocking, and its reader sees EOF once the sink is
    closed and the caller closes its end."""
    rfd, wfd, sink = _pipe_sink()
    mem = GuestMemory(bytearray(0x20000))
    r = StreamRing(mem, HDR, SIZE, sink)
    got = bytearray()

    def reader() -> None:
        while chunk := os.read(rfd, 1 << 16):
            got.extend(chunk)

    t = threading.Thread(target=reader)
    t.start()
    sent = b""
    for k in range(50):
        chunk = bytes([97 + k % 26]) * 3000
        produce(mem, chunk)
        sent += chunk
        assert r.drain() == 3000
    assert os.get_blocking(wfd)
    sink.close()
    os.close(wfd)
    t.join(60)
    os.close(rfd)
    assert not t.is_alive() and bytes(got) == sent


def test_a_stalled_reader_does_not_hold_a_stop():
    """Nobody reads the pipe: a write waits only until the runner's stop event
    is set, then drops the rest (`unik run | sleep 1000` and Ctrl-C)."""
    rfd, wfd, sink = _pipe_sink()
    sink.stop = threading.Event()
    t = threading.Thread(target=sink.write, args=(b"z" * (4 << 20),))
    t.start()
    t.join(0.3)
    assert t.is_alive()                      # blocked on the full pipe, as it should be
    sink.stop.set()
    t.join(60)
    assert not t.is_alive()
    sink.close()
    os.close(wfd)
    os.close(rfd)


def test_a_pipe_without_reader_breaks_the_sink_once():
    rfd, wfd, sink = _pipe_sink()
    os.close(rfd)
    calls = []
    sink.on_broken = lambda: calls.append(1)
    sink.write(b"x" * 100)
    sink.write(b"y" * 100)
    assert sink.broken and calls == [1]
    sink.close()
    os.close(wfd)
