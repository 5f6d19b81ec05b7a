"""The stdin ring on the host side (unik.backends.stdin), on plain memory and
real pipes: nothing is read before the guest asks, a read takes at most what
was asked, a poll reads nothing, end of file, the wrap, indices a guest made
up, and the reader thread answering a request that came before the data."""

from __future__ import annotations

import os
import struct
import threading

from unik.backends.stdin import CLOSED, PAGE, READY, StdinRing
from unik.runner.memory import GuestMemory

SIZE = 4096
HDR = 0x10000
_HDR = struct.Struct("<IIIIII")     # cons, prod, want, poll, state, eofs


class Guest:
    """What core/native/xen/pv_stdin.c does with the ring, and a host stdin pipe."""

    def __init__(self, data: bytes = b"", *, close: bool = True, fd: int | None = -1) -> None:
        self.mem = GuestMemory(bytearray(0x20000))
        self.events = threading.Semaphore(0)
        if fd == -1:
            r, self.w = os.pipe()
            if data:
                os.write(self.w, data)
            if close:
                os.close(self.w)
                self.w = -1
            fd = r
        self.fd = fd
        self.ring = StdinRing(self.mem, HDR, SIZE, fd, self.events.release)

    def header(self) -> tuple[int, ...]:
        return _HDR.unpack_from(self.mem.view, HDR)

    def ask(self, n: int) -> None:
        cons = self.header()[0]
        struct.pack_into("<I", self.mem.view, HDR + 8, (cons + n) & 0xFFFFFFFF)
        self.ring.notify()

    def poll(self) -> None:
        struct.pack_into("<I", self.mem.view, HDR + 12, 1)
        self.ring.notify()

    def take(self) -> bytes:
        cons, prod = self.header()[:2]
        out = bytes(self.mem.view[HDR + PAGE + (cons + i) % SIZE] for i in range((prod - cons)
                                                                              & 0xFFFFFFFF))
        struct.pack_into("<I", self.mem.view, HDR, prod)
        return out

    def close(self) -> None:
        self.ring.close()
        for fd in (self.fd, getattr(self, "w", -1)):
            if fd is not None and fd >= 0:
                os.close(fd)


def test_nothing_is_read_before_the_guest_asks():
    g = Guest(b"hello\nworld\n")
    assert g.header()[1] == 0
    g.ask(3)
    assert g.take() == b"hel"                       # at most what was asked
    g.ask(100)
    assert g.take() == b"lo\nworld\n"
    g.ask(100)
    assert g.take() == b"" and g.header()[4] & CLOSED
    g.close()


def test_what_the_guest_never_asked_for_stays_in_the_pipe():
    g = Guest(b"abcdef")
    g.ask(2)
    assert g.take() == b"ab"
    assert os.read(g.fd, 100) == b"cdef"            # the next reader's
    g.close()


def test_a_poll_reads_nothing():
    g = Guest(b"data", close=False)
    g.poll()
    state = g.header()[4]
    assert state & READY and not state & CLOSED
    assert g.header()[1] == 0 and g.header()[3] == 0
    g.ask(10)
    assert g.take() == b"data"
    assert not g.header()[4] & READY
    g.close()


def test_reads_wrap_at_the_end_of_the_ring():
    payload = bytes(range(256)) * 40                # 10 KiB through a 4 KiB ring
    g = Guest(payload)
    got = b""
    while len(got) < len(payload):
        g.ask(3000)
        got += g.take()
    assert got == payload
    g.close()


def test_no_stdin_is_end_of_file_from_the_start():
    g = Guest(fd=None)
    assert g.header()[4] & CLOSED
    g.ask(10)
    assert g.take() == b""
    g.close()


def test_indices_a_guest_made_up_read_nothing():
    g = Guest(b"secret")
    _HDR.pack_into(g.mem.view, HDR, 0, 0, 0xFFFFFFF0, 0, 0, 0)        # want behind prod
    g.ring.notify()
    assert g.header()[1] == 0
    _HDR.pack_into(g.mem.view, HDR, 0x80000000, 0, 0x80000010, 0, 0, 0)   # cons past prod
    g.ring.notify()
    assert g.header()[1] == 0
    assert os.read(g.fd, 100) == b"secret"
    g.close()


def test_a_request_before_the_data_is_answered_when_it_comes():
    g = Guest(close=False)
    g.ask(100)                                      # nothing yet: the reader thread waits
    assert g.header()[1] == 0
    os.write(g.w, b"late\n")
    assert g.events.acquire(timeout=60)             # the event the guest waits for
    assert g.take() == b"late\n"
    g.ask(100)
    os.close(g.w)
    g.w = -1
    assert g.events.acquire(timeout=60)
    assert g.take() == b"" and g.header()[4] & CLOSED
    g.close()


def test_close_ends_a_waiting_reader_thread():
    g = Guest(close=False)
    g.ask(100)
    thread = g.ring.thread
    assert thread is not None and thread.is_alive()
    g.ring.close()
    assert not thread.is_alive()
    g.close()
