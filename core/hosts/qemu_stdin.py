"""The host's stdin for a guest under QEMU: read whole up front, handed over
as the fw_cfg file "opt/unik/stdin" (core/native/arch/x86_64/pvh_fwcfg.c
serves fd 0 from it, then end of file).

QEMU has no device that would let the guest ask for input as it goes the
way the runner's stdin ring does, so the simplest correct thing: a stdin
that is a pipe or a file is read to its end before QEMU starts (at most
MAX_BYTES; more is one clear error), a terminal is not read at all (the
guest sees end of file: interactive input needs the runner). Unlike the
runner, this consumes the host's stdin even when the guest never reads it.
"""

from __future__ import annotations

import os
import select
import sys
import tempfile
import time
from pathlib import Path

from ..backends.stdin import host_stdin
from ..errors import UnikError

MAX_BYTES = 64 << 20
NOTE_AFTER = 2.0                        # s without end of file before saying what we wait for
CHUNK = 1 << 20


class StdinTimeout(Exception):
    """The timeout passed while stdin was still being read."""


def read_whole(fd: int | None, deadline: float | None) -> bytes:
    """Everything the host's stdin brings (b"" for a terminal, /dev/null or
    none); waits for the writer at most until deadline (time.monotonic)."""
    fd = host_stdin(fd)
    if fd is None or os.isatty(fd):
        return b""
    parts, total = [], 0
    note_at = time.monotonic() + NOTE_AFTER
    while True:
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            raise StdinTimeout
        wait = note_at - now if note_at else None
        if deadline is not None:
            wait = deadline - now if wait is None else min(wait, deadline - now)
        try:
            ready, _, _ = select.select([fd], [], [], wait)
        except (OSError, ValueError):
            ready = [fd]
        if not ready:
            if note_at and time.monotonic() >= note_at:
                note_at = 0             # once: a user wondering why nothing happens
                print("unik: waiting for the end of stdin (under QEMU the guest gets it "
                      "whole; end it with Ctrl-D, or run with < /dev/null)",
                      file=sys.stderr, flush=True)
            continue
        try:
            chunk = os.read(fd, CHUNK)
        except BlockingIOError:
            select.select([fd], [], [], 0.05)
            continue
        except OSError:
            break
        if not chunk:
            break
        total += len(chunk)
        if total > MAX_BYTES:
            raise UnikError(f"stdin is larger than {MAX_BYTES >> 20} MiB, the most `unik run "
                            f"--host qemu` hands a guest (it is read whole before QEMU "
                            f"starts); the embedded runner streams it: drop --host qemu")
        parts.append(chunk)
    return b"".join(parts)


def stdin_file(data: bytes) -> Path | None:
    """A temporary file holding data for QEMU's -fw_cfg (None when empty:
    the guest then reads end of file at once); the caller deletes it."""
    if not data:
        return None
    fd, name = tempfile.mkstemp(prefix="unik-stdin-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Path(name)
