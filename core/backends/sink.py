"""Where a guest stream's bytes go on the host (shared by the runner and QEMU)."""

from __future__ import annotations

import os

TYPE_CHECKING = False          # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    import threading
    from collections.abc import Callable
    from typing import BinaryIO


class Sink:
    """Where a stream's bytes go: a file descriptor when the stream has one
    (written from guest memory without a copy and without the GIL, by
    streamring.FdWriter), else the object's write(). When the stream breaks
    (a pipe whose reader went away), later bytes are dropped and `on_broken`
    is called once: the runner then stops the guest, as SIGPIPE ends a
    process."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.fd: int | None = None
        try:
            out.flush()
            self.fd = out.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None
        self.broken = False
        self.on_broken: Callable[[], None] | None = None
        # Set by the runner: a reader that stops reading (`unik run | sleep 1000`)
        # must not hold --timeout or Ctrl-C; writes then wait only while this
        # event is clear (the rest is dropped once it is set).
        self.stop: threading.Event | None = None
        self.pipe_size = 0
        self.writer = None
        if self.fd is not None:
            from .streamring import FdWriter

            self.pipe_size = _widen_pipe(self.fd)
            self.writer = FdWriter(self.fd, self)

    def write(self, data: memoryview | bytes) -> None:
        if self.broken:
            return
        if self.writer is not None:
            self.writer.write(data)
            return
        try:
            self.out.write(bytes(data))
            self.out.flush()
        except (OSError, ValueError):
            self.broken = True      # a closed stdout must not crash the host
            if self.on_broken is not None:
                self.on_broken()

    def close(self) -> None:
        """The run is over: let go of what the writer opened (a pipe's reader
        must see EOF when the caller closes its end)."""
        if self.writer is not None:
            self.writer.close()

    def isatty(self) -> tuple[int, int]:
        """(rows, cols) of the terminal behind it, (0, 0) when not a terminal."""
        return _tty_size(self.fd)


def tty_size_of(out: BinaryIO) -> tuple[int, int]:
    """Sink(out).isatty() without making a Sink (no writer, no pipe set-up)."""
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):
        return 0, 0
    return _tty_size(fd)


def _tty_size(fd: int | None) -> tuple[int, int]:
    if fd is None or not os.isatty(fd):
        return 0, 0
    try:
        size = os.get_terminal_size(fd)
        return max(size.lines, 1), max(size.columns, 1)
    except OSError:
        return 24, 80


PIPE_SIZE = 1 << 20


def _widen_pipe(fd: int) -> int:
    """A pipe of 1 MiB instead of 64 KiB (the most an unprivileged process may
    ask for by default): the drain thread hands over a ring's worth per write
    instead of blocking on the reader every 64 KiB. Returns the pipe's size;
    not a pipe: 0. (fcntl(2) from streamring: the fcntl module is one more
    extension to load at every `unik run`.)"""
    import stat

    from .streamring import pipe_size

    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            return pipe_size(fd, PIPE_SIZE)
    except OSError:
        pass
    return 0


class _TextStream:
    """Bytes written to a text stream (sys.stderr replaced by a StringIO, say)."""

    def __init__(self, text) -> None:
        self.text = text

    def write(self, data: bytes) -> int:
        self.text.write(bytes(data).decode(errors="replace"))
        return len(data)

    def flush(self) -> None:
        self.text.flush()


def std_stream(name: str) -> BinaryIO:
    """sys.stdout's or sys.stderr's bytes, also when the caller replaced the
    stream with a text-only one (contextlib.redirect_stderr(io.StringIO()))."""
    import sys

    stream = getattr(sys, name)
    buf = getattr(stream, "buffer", None)
    return buf if buf is not None else _TextStream(stream)  # type: ignore[return-value]
