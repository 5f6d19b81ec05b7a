"""Fixtures for the runner's tests: the bare test guest and a Domain over plain memory."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from unik.runner import builder as B
from unik.runner import image as image_mod
from unik.runner import xenabi as X
from unik.runner.hypercalls import CpuOps, Domain, GuestTime
from unik.runner.memory import GuestMemory
from unik.testing import kvm_usable

sys.path.insert(0, str(Path(__file__).resolve().parent / "guests"))
import build as guest_build  # noqa: E402

CPUS = [
    pytest.param("kvm", id="kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param("soft", id="soft"),
]


@pytest.fixture(scope="session")
def bare_image(tmp_path_factory) -> Path:
    """The runner's bare test guest (tests/runner/guests/guest.c), built once."""
    return guest_build.build(tmp_path_factory.mktemp("bare") / "guest.unik")


class FakeCpu(CpuOps):
    """Records what hypercalls and the exit handler do to the vCPU."""

    def __init__(self, regs: dict | None = None, sregs: dict | None = None) -> None:
        self.regs = {"rax": 0, "rdi": 0, "rsi": 0, "rdx": 0, "r10": 0, "r8": 0, "rip": 0,
                     "rsp": 0, "rflags": 2, **(regs or {})}
        self.sregs = {"cr2": 0, "cr3": 0, **(sregs or {})}
        self.fs_base = None
        self.flushes = 0
        self.cr3 = None

    def hypercall_args(self):
        r = self.regs
        return (r["rdi"], r["rsi"], r["rdx"], r["r10"], r["r8"])

    def set_rax(self, v):
        self.regs["rax"] = v

    def get_regs(self):
        return dict(self.regs)

    def get_sregs(self):
        return dict(self.sregs)

    def set_fs_base(self, base):
        self.fs_base = base

    def flush_tlb(self):
        self.flushes += 1

    def set_cr3(self, cr3):
        self.cr3 = cr3


class World:
    """A built domain in a bytearray, with its Domain, a fake CPU and the console output."""

    def __init__(self, image: Path, ram_mib: int = 20) -> None:
        img = image_mod.load(image)
        self.size = ram_mib << 20
        self.mem = GuestMemory(bytearray(self.size))
        self.lay = B.plan(img, self.size, flags=X.SIF_UNIK_RUNNER)
        B.build(img, self.mem, self.lay, cmdline=b"test")
        self.out = io.BytesIO()
        self.cpu = FakeCpu()
        self.domain = Domain(self.mem, self.lay, out=self.out, cpu=self.cpu,
                             clock=GuestTime(1e9, time.monotonic_ns))
        self.scratch = self.lay.free_start          # free guest RAM for arguments

    def call(self, name: str, *args: int) -> int:
        rc = self.domain.hypercall(X.HC[name], tuple(args) + (0,) * (5 - len(args)))
        return X.signed(rc)


@pytest.fixture
def world(bare_image) -> World:
    return World(bare_image)
