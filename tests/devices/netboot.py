"""A guest booted in the background with NICs, for the network tests."""

from __future__ import annotations

import io
import socket
import threading
import time
from pathlib import Path

from unik import runner
from unik.runner.devices import DeviceSpecs


def recv_to_close(c: socket.socket) -> bytes:
    """Everything the peer sends until it closes the connection."""
    data = b""
    while chunk := c.recv(4096):
        data += chunk
    return data


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Background:
    """A guest booted in a thread (on the runner, or under QEMU with
    host="qemu"); its output readable while it runs."""

    def __init__(self, image: Path, devices: DeviceSpecs, cmdline: str = "",
                 cpu: str = "auto", timeout: float = 120, host: str = "runner") -> None:
        self.out = io.BytesIO()
        self.err = io.BytesIO()
        self.status: int | None = None
        self.error: BaseException | None = None

        def go() -> None:
            try:
                if host == "qemu":
                    from unik.hosts import qemu

                    self.status = qemu.run(image, cmdline=cmdline, timeout=timeout,
                                           out=self.out, err=self.err, devices=devices)
                else:
                    self.status = runner.run(image, cmdline=cmdline, cpu=cpu,
                                             timeout=timeout, out=self.out, err=self.err,
                                             devices=devices)
            except BaseException as e:     # reported by the test
                self.error = e

        self.thread = threading.Thread(target=go, daemon=True)
        self.thread.start()

    @property
    def output(self) -> str:
        return (self.out.getvalue() + self.err.getvalue()).decode(errors="replace")

    def wait_for(self, text: str, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while text not in self.output:
            if not self.thread.is_alive() or time.monotonic() > end:
                raise AssertionError(f"{text!r} never printed; output:\n{self.output}"
                                     f"\nstatus {self.status} error {self.error}")
            time.sleep(0.02)

    def join(self, timeout: float = 300) -> int:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"guest still running:\n{self.output}"
        assert self.error is None, self.error
        assert self.status is not None
        return self.status
