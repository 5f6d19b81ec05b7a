"""Threads, events and locks for the runner and its backends, on `_thread`,
the interpreter's documented low-level thread API that `threading` itself is
written on.

`threading` imports functools, collections, types, operator, reprlib, … —
about 2 ms of a `unik run IMAGE` whose whole budget is a few times that —
and the runner needs only these few operations of it, with threading's
semantics: daemon threads (the process never waits for them at exit),
an Event whose wait() a Ctrl-C interrupts, and plain locks. Code off the
run path (the device backends) uses `threading` as usual; both mix freely.
"""

from __future__ import annotations

import _thread
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

Lock = _thread.allocate_lock
RLock = _thread.RLock


def _timeout(timeout: float | None) -> float:
    return -1 if timeout is None else max(timeout, 0)


class Event:
    """threading.Event's set(), clear(), is_set() and wait(timeout): a lock
    held while the event is clear, which wait() takes and gives back."""

    __slots__ = ("_flag", "_guard", "_gate")

    def __init__(self) -> None:
        self._flag = False
        self._guard = _thread.allocate_lock()       # orders set() and clear()
        self._gate = _thread.allocate_lock()
        self._gate.acquire()

    def is_set(self) -> bool:
        return self._flag

    def set(self) -> None:
        with self._guard:
            if not self._flag:
                self._flag = True
                self._gate.release()

    def clear(self) -> None:
        with self._guard:
            if self._flag:
                self._flag = False
                self._gate.acquire()        # a waiter holds it only for an instant

    def wait(self, timeout: float | None = None) -> bool:
        """True once the event is set, False after `timeout` seconds (None:
        no limit). A signal handler's exception (KeyboardInterrupt) ends it."""
        if self._flag:
            return True
        if self._gate.acquire(True, _timeout(timeout)):
            self._gate.release()
            return True
        return self._flag


class Thread:
    """threading.Thread's start(), join(timeout), is_alive() and native_id for
    a daemon thread that runs `target()`; an exception it lets out is printed
    as threading prints it. start() does not wait for the thread to begin
    (threading's does); native_id does, when asked."""

    def __init__(self, target: Callable[[], object], name: str) -> None:
        self.target, self.name = target, name
        self._running = _thread.allocate_lock()     # held while the target runs
        self._begun = _thread.allocate_lock()       # held until native_id is known
        self._native_id: int | None = None
        self._started = False

    @property
    def native_id(self) -> int | None:
        """The thread's id in the kernel (None before start())."""
        if self._started and self._native_id is None:
            with self._begun:
                pass
        return self._native_id

    def start(self) -> None:
        if self._started:
            raise RuntimeError("threads can only be started once")
        self._started = True
        self._running.acquire()
        self._begun.acquire()
        try:
            _thread.start_new_thread(self._run, ())
        except BaseException:
            self._running.release()
            self._begun.release()
            raise

    def _run(self) -> None:
        self._native_id = _thread.get_native_id()
        self._begun.release()
        try:
            self.target()
        except SystemExit:
            pass
        except BaseException:
            import traceback

            print(f"Exception in thread {self.name}:", file=sys.stderr)
            traceback.print_exc()
        finally:
            self._running.release()

    def is_alive(self) -> bool:
        return self._running.locked()

    def join(self, timeout: float | None = None) -> None:
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        if self._running.acquire(True, _timeout(timeout)):
            self._running.release()
