"""The small interface device backends use to reach a guest.

A backend never sees the runner's internals: it gets a `GuestIO` — guest
memory (bounds-checked, runner/memory.py), the guest's grant table, a way to
bind an event channel the frontend allocated and to notify it, and the
xenstore. The embedded runner implements it in runner/devices.py; a test
can implement it over a bytearray.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol

from ..runner.memory import GuestMemory
from .grants import GrantTable
from .xenstore import XenStore


class GuestIO(Protocol):
    mem: GuestMemory
    grants: GrantTable
    store: XenStore
    domid: int

    def bind(self, port: int, on_notify: Callable[[], None], wake_fd: int = -1) -> None:
        """Connect the frontend's unbound port to this backend (on_notify runs
        when the guest sends on it). wake_fd ≥ 0 says that on_notify does
        nothing but write that eventfd: the runner may then write it itself,
        in C, without calling on_notify. Raises DeviceError on a bad port."""

    def unbind(self, port: int) -> None: ...

    def notify(self, port: int) -> None:
        """Raise the event on the guest's side of a bound port (any thread)."""

    def event_target(self) -> tuple[int, int] | None:
        """(guest address of shared_info, the vCPU's wake eventfd) when a
        backend thread may raise events itself (netring's C path: the
        pending bit set atomically, then the fd written); None: use notify."""

    def log(self, message: str) -> None:
        """One line for the user (a device the guest broke, …)."""


class DeviceError(Exception):
    """A frontend did something a backend refuses (bad port, grant, ring)."""


def kick(fd: int) -> None:
    """Wake a device thread waiting on its eventfd: nothing once it is closed
    (fd < 0, so a late notify never hits a reused descriptor), nothing when
    the counter is already at its maximum (the thread is awake anyway)."""
    if fd < 0:
        return
    try:
        os.eventfd_write(fd, 1)
    except OSError:
        pass
