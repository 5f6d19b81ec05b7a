"""unik.threads: the runner's Thread, Event and Lock on _thread behave as
threading's do where the runner relies on them."""

from __future__ import annotations

import _thread
import os
import signal
import time

import pytest

from unik.threads import Event, Lock, Thread


def test_event_set_wait_clear():
    e = Event()
    assert not e.is_set()
    assert e.wait(0) is False
    assert e.wait(0.01) is False
    e.set()
    e.set()                                 # twice: still set, no error
    assert e.is_set() and e.wait() and e.wait(0)
    e.clear()
    e.clear()
    assert not e.is_set() and e.wait(0.01) is False


def test_event_wakes_every_waiter():
    e, woke, lock = Event(), [], Lock()

    def waiter():
        if e.wait(30):
            with lock:
                woke.append(1)

    threads = [Thread(waiter, f"w{i}") for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    e.set()
    for t in threads:
        t.join(30)
    assert woke == [1, 1, 1, 1]
    assert not any(t.is_alive() for t in threads)


def test_thread_join_timeout_and_is_alive():
    go = Event()
    t = Thread(lambda: go.wait(30), "sleeper")
    with pytest.raises(RuntimeError):
        t.join()
    assert t.native_id is None
    t.start()
    assert t.is_alive()
    assert t.native_id is not None and t.native_id != _thread.get_native_id()
    t.join(0.01)
    assert t.is_alive()
    go.set()
    t.join(30)
    assert not t.is_alive()
    with pytest.raises(RuntimeError):
        t.start()


def test_an_exception_in_a_thread_is_printed_as_threading_prints_it(capfd):
    def boom():
        raise ValueError("boom")

    t = Thread(boom, "unik-test")
    t.start()
    t.join(30)
    err = capfd.readouterr().err
    assert "Exception in thread unik-test:" in err and "ValueError: boom" in err


def test_ctrl_c_interrupts_a_wait():
    """The runner's main thread waits on an Event; SIGINT must end that wait
    with KeyboardInterrupt, as with threading.Event."""
    e = Event()
    _thread.start_new_thread(lambda: (time.sleep(0.1), os.kill(os.getpid(), signal.SIGINT)),
                             ())
    with pytest.raises(KeyboardInterrupt):
        e.wait(30)
