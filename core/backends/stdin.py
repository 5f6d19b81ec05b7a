"""The runner's stdin ring: the host's stdin to the guest's fd 0, on demand.

The ring (core/native/xen/unik_streams.h, `struct unik_stdin_ring`) runs
host → guest. The host's stdin is read only when the guest asks, as a
process's read(2) would: a guest read that finds the ring empty sets `want`
(the ring index it wants data up to) and notifies; the runner then does one
read(2) of at most what the guest asked for and what fits, publishes it and
raises the ring's event channel. Input the guest never asks for stays in the
host's stdin for whoever reads it next (`while read l; do unik run …; done`).
A poll sets `poll`: the runner raises the event once a read would not block
(READY), without reading.

When the host's stdin already has something to read (a file, a pipe with
data, a terminal with a line), the request is answered at once on the vCPU
thread; otherwise a reader thread, started on the first such request, waits
for it (select on stdin and a stop pipe), so the runner's main loop never
blocks on stdin and Ctrl-C or --timeout stop a guest that waits for input.
End of file (a read of 0 bytes, or stdin absent or /dev/null) is final for
a pipe or a file (CLOSED); on a terminal each Ctrl-D answers one read (eofs),
and reading goes on after it, as on a terminal.
"""

from __future__ import annotations

import os
import stat
import struct

from ..threads import Event, Lock, Thread

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..runner.memory import GuestMemory

PAGE = 4096
_HDR = struct.Struct("<IIIIII")         # cons, prod, want, poll, state, eofs
_IDX = struct.Struct("<II")             # cons, prod
_PROD, _POLL, _STATE, _EOFS = 4, 12, 16, 20
CLOSED = 1
READY = 2
MASK32 = 0xFFFF_FFFF


def host_stdin(fd: int | None) -> int | None:
    """fd when it is an open descriptor that can bring data; None for a
    missing or closed stdin and for /dev/null (end of file at once)."""
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    if stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3):
        return None
    return fd


def tty_size(fd: int | None) -> tuple[int, int]:
    """(rows, cols) when fd is a terminal, else (0, 0)."""
    if fd is None:
        return 0, 0
    try:
        if not os.isatty(fd):
            return 0, 0
        size = os.get_terminal_size(fd)
        return size.lines or 24, size.columns or 80
    except OSError:
        return 0, 0


class StdinRing:
    def __init__(self, mem: GuestMemory, header: int, size: int, fd: int | None,
                 raise_event: Callable[[], None]) -> None:
        mem.check(header, PAGE + size)
        self.mem, self.header, self.size = mem, header, size
        self.data = header + PAGE
        self.fd = host_stdin(fd)
        self.tty = self.fd is not None and os.isatty(self.fd)
        # A regular file is always readable: no select before reading it.
        self.regular = self.fd is not None and stat.S_ISREG(os.fstat(self.fd).st_mode)
        self.raise_event = raise_event
        self.lock = Lock()
        self.bytes_in = 0
        self.thread: Thread | None = None
        self.requested = Event()
        self.stopping = False
        self.stop_r = self.stop_w = -1
        if self.fd is None:
            mem.set_u32(header + _STATE, CLOSED)

    # -- the guest asked (vCPU thread) ------------------------------------
    def notify(self) -> None:
        # Answered here, the guest sees the answer when the notify returns
        # (pv_stdin.c looks again): no event needed.
        if self._serve(raise_event=False):
            return
        if self.thread is None:
            self.stop_r, self.stop_w = os.pipe()
            self.thread = Thread(self._run, "unik-stdin")
            self.thread.start()
        self.requested.set()

    def _asked(self) -> tuple[int, bool]:
        """(bytes a read asked for, whether a poll waits)."""
        cons, prod, want, poll, state, _ = self.mem.unpack(_HDR, self.header)
        need = (want - prod) & MASK32
        need = need if need <= self.size else 0          # behind prod: nothing asked
        return need, bool(poll)

    def _readable(self, timeout: float | None) -> bool:
        """Whether a read of stdin would not block now (end of file included);
        waits up to timeout (None: until it would or the ring is closed)."""
        import select

        fds = [self.fd] if timeout == 0 else [self.fd, self.stop_r]
        try:
            ready, _, _ = select.select(fds, [], [], timeout)
        except (OSError, ValueError):
            return True                 # a read will say what is wrong (end of file)
        return self.fd in ready

    def _serve(self, raise_event: bool = True) -> bool:
        """Answer what the guest asked; False when stdin has nothing yet
        (the reader thread then waits for it)."""
        with self.lock:
            need, poll = self._asked()
            if not need and not poll:
                return True
            state = self.mem.u32(self.header + _STATE)
            if state & CLOSED or self.fd is None:
                self.mem.set_u32(self.header + _POLL, 0)
                self.raise_event()
                return True
            if not self.regular and not self._readable(0):
                return False
            if need:
                if not self._read(need, state):
                    return False
            else:
                self.mem.set_u32(self.header + _STATE, state | READY)
            self.mem.set_u32(self.header + _POLL, 0)
        if raise_event:
            self.raise_event()
        return True

    def _read(self, need: int, state: int) -> bool:
        """One read(2) of stdin into the ring: at most need bytes and what fits;
        False when it found nothing after all (another reader was first)."""
        cons, prod = self.mem.unpack(_IDX, self.header)
        used = (prod - cons) & MASK32
        n = min(need, self.size - used) if used <= self.size else 0
        if not n:                       # the guest asked with data still there
            return True
        # Straight into the ring (one readv, no copy), wrapping at its end.
        start = prod % self.size
        first = min(n, self.size - start)
        off = self.mem.check(self.data + start, first)
        parts = [self.mem.view[off:off + first]]
        if n > first:
            off = self.mem.check(self.data, n - first)
            parts.append(self.mem.view[off:off + n - first])
        try:
            got = os.readv(self.fd, parts)
        except BlockingIOError:         # O_NONBLOCK and another reader was first
            return False
        except OSError:                 # EIO (terminal hung up), EBADF: the end
            got = 0
        state &= ~READY
        if got:
            self.bytes_in += got
        elif self.tty:
            self.mem.set_u32(self.header + _EOFS, (self.mem.u32(self.header + _EOFS) + 1) & MASK32)
        else:
            state |= CLOSED
        self.mem.set_u32(self.header + _STATE, state)
        self.mem.set_u32(self.header + _PROD, (prod + got) & MASK32)
        return True

    # -- the reader thread: waits for stdin when it has nothing yet --------
    def _run(self) -> None:
        while True:
            self.requested.wait()
            self.requested.clear()
            while not self.stopping:
                need, poll = self._asked()
                if not need and not poll:
                    break
                if not self._readable(None):
                    continue            # the stop pipe: the loop ends
                if self._serve():
                    break
            if self.stopping:
                return

    def close(self) -> None:
        """Stop the reader thread (it may be waiting for input)."""
        self.stopping = True
        self.requested.set()
        if self.stop_w >= 0:
            try:
                os.write(self.stop_w, b"x")
            except OSError:
                pass
        if self.thread is not None:
            self.thread.join(timeout=1.0)
            for fd in (self.stop_r, self.stop_w):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.stop_r = self.stop_w = -1
