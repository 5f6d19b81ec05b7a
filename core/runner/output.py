"""The guest's console output on the host: writes that a stop can interrupt.

A reader that stops reading (`unik run IMAGE | sleep 1000`) fills the pipe,
and a plain blocking write would hold the vCPU thread, and with it
`--timeout` and Ctrl-C, for as long as the reader sleeps. `StoppableOutput`
writes to the stream's file descriptor only when poll() says it can take
bytes, in pieces a pipe accepts whole (PIPE_BUF), and looks at the stop
event between waits: a stop requested while the reader stalls ends the write
(the rest is dropped) within POLL_S.
"""

from __future__ import annotations

import os
import select
import stat
import threading
from typing import BinaryIO

POLL_S = 0.05
PIECE = select.PIPE_BUF        # a pipe with room for one page takes this much without blocking


class StoppableOutput:
    """A binary stream's write/flush, interruptible by `stop` (a threading.Event)."""

    def __init__(self, stream: BinaryIO, stop: threading.Event) -> None:
        self.stream, self.stop = stream, stop
        self.fd = -1
        try:
            fd = stream.fileno()
            mode = os.fstat(fd).st_mode
        except (AttributeError, OSError, ValueError):
            return                      # BytesIO and the like: never block
        if not stat.S_ISREG(mode):      # a regular file cannot stall
            self.fd = fd

    def write(self, data: bytes) -> int:
        if self.fd < 0:
            return self.stream.write(data)
        self.stream.flush()             # anything buffered earlier goes first
        view, poller = memoryview(data), select.poll()
        poller.register(self.fd, select.POLLOUT)
        while view:
            if not poller.poll(0):
                while not poller.poll(POLL_S * 1000):
                    if self.stop.is_set():
                        return len(data) - len(view)
            try:
                n = os.write(self.fd, view[:PIECE])
            except BlockingIOError:
                continue
            view = view[n:]
        return len(data)

    def flush(self) -> None:
        if self.fd < 0:
            self.stream.flush()
