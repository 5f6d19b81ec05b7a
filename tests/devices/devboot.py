"""Helpers of the device tests: guests built once, booted with devices."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from unik import runner
from unik.runner.devices import DeviceSpecs
from unik.testing import Guest, kvm_usable

GUESTS = Path(__file__).resolve().parent / "guests"
ROOT = Path(__file__).resolve().parents[2]
# Test guests that are examples or unik compare's C programs themselves.
FROM_EXAMPLES = {"udp_echo": "examples/c-udp-echo", "http_hello": "examples/c-http-hello",
                 "block_kv": "examples/c-block-kv",
                 "loop_udp": "core/lang_c/bench/udp-echo",
                 "loop_http": "core/lang_c/bench/http-hello"}
CPUS = [
    pytest.param("kvm", id="kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param("soft", id="soft"),
]


@dataclass
class Booted:
    status: int
    output: str


class Images(dict):
    """name → image of tests/devices/guests/NAME.c, built on first use."""

    def __init__(self, parent: Path) -> None:
        super().__init__()
        self.parent = parent

    def __missing__(self, name: str) -> Path:
        path = (ROOT / FROM_EXAMPLES[name] / "main.c" if name in FROM_EXAMPLES
                else GUESTS / f"{name}.c")
        src = path.read_text()
        self[name] = Guest.create(self.parent, "c", {"main.c": src}, name=name).build().image
        return self[name]


def boot(image: Path, devices: DeviceSpecs, *, cmdline: str = "", cpu: str = "auto",
         timeout: float = 120, memory_mib: int | None = None) -> Booted:
    out, err = io.BytesIO(), io.BytesIO()
    status = runner.run(image, cmdline=cmdline, cpu=cpu, timeout=timeout, out=out, err=err,
                        devices=devices, memory_mib=memory_mib)
    return Booted(status, (out.getvalue() + err.getvalue()).decode(errors="replace"))
