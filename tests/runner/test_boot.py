"""Booting real guests on the runner, with KVM and with the software CPU.

The bare test guest (guests/guest.c: the xen-pv platform and a core_main of
its own) does what its command line says; the tests assert on what it
prints and the status `run` returns. The C hello is built with the real
core and musl (unik.testing) and must behave the same on both CPUs.
"""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CPUS

from unik import runner
from unik.errors import UnikError

HOSTILE = {
    "console_io_badptr": -14, "console_io_huge": -14, "console_io_neg": -14,
    "sched_badcmd": -38, "sched_shutdown_badptr": -14, "evtchn_send_badport": -22,
    "evtchn_close_unbound": -22, "evtchn_badptr": -14, "evtchn_badcmd": -38,
    "bind_virq_bad": -22, "bind_virq_again": -17, "vcpu_op_badvcpu": -2,
    "timer_past_future": -62, "poll_badptr": -14, "poll_huge": -22,
    "multicall_sleep_badtimer": -14, "multicall_sleep_badport": -22,
    "mmu_update_badpte": -22, "mmu_update_badreq": -14, "unknown_hypercall": -38,
    "xen_version": 4 << 16 | 17, "memory_op_badcmd": -38,
}


def boot(image: Path, cmdline: str, cpu: str, **kw) -> tuple[int, str]:
    """(status, the guest's stdout followed by its stderr and the runner's lines)."""
    out, err = io.BytesIO(), io.BytesIO()
    status = runner.run(image, cmdline=cmdline, cpu=cpu, out=out, err=err, **kw)
    return status, (out.getvalue() + err.getvalue()).decode(errors="replace")


@pytest.mark.parametrize("cpu", CPUS)
class TestBareGuest:
    def test_hello(self, bare_image, cpu):
        assert boot(bare_image, "hello", cpu) == (0, "Hello from the bare guest on xen-pv\n")

    @pytest.mark.parametrize("code", [0, 1, 42, 123])
    def test_exit_status(self, bare_image, cpu, code):
        assert boot(bare_image, f"exit {code}", cpu) == (code, "")

    def test_abort_is_126(self, bare_image, cpu):
        assert boot(bare_image, "abort", cpu) == (126, "aborting\n")

    def test_clocks(self, bare_image, cpu):
        status, out = boot(bare_image, "clock", cpu)
        assert status == 0, out
        slept = int(re.search(r"slept_ms (\d+)", out).group(1))
        assert 20 <= slept < 2000
        wall = int(re.search(r"wall_s (\d+)", out).group(1))
        assert abs(wall - time.time()) < 60
        start, end = map(int, re.search(r"ram (\d+) (\d+)", out).groups())
        assert 1 << 20 < start < end

    def test_pagefault_is_125_with_a_register_dump(self, bare_image, cpu, capsys):
        status, out = boot(bare_image, "pagefault", cpu)
        assert status == 125
        assert out.startswith("faulting\n")
        assert "guest crashed: CPU exception #PF page fault" in out
        assert re.search(r"rip 0x[0-9a-f]{16}  core_main\+0x", out)
        assert "cr2 0x00007fff00000000" in out
        assert re.search(r"rsp 0x[0-9a-f]{16}", out)
        assert "xen_pv_start" in out                    # the stack scan, symbolised
        assert "Traceback" not in capsys.readouterr().err

    def test_null_pointer_faults(self, bare_image, cpu):
        status, out = boot(bare_image, "null", cpu)
        assert status == 125
        assert "cr2 0x0000000000000000" in out

    def test_runner_pages_are_out_of_reach(self, bare_image, cpu):
        status, out = boot(bare_image, "lowpeek", cpu)
        assert status == 125, out
        assert "cr2 0x0000000000001008" in out

    def test_spin_past_timeout_is_124(self, bare_image, cpu):
        t0 = time.monotonic()
        status, out = boot(bare_image, "spin", cpu, timeout=0.5)
        assert status == 124
        assert out == "spinning\nunik: timeout: guest stopped after 0.5 s\n"
        assert time.monotonic() - t0 < 10

    def test_sleep_past_timeout_is_124(self, bare_image, cpu):
        assert boot(bare_image, "sleep", cpu, timeout=0.5) == (
            124, "sleeping\nunik: timeout: guest stopped after 0.5 s\n")

    def test_short_sleeps_end_at_their_deadline(self, bare_image, cpu):
        # unik_yield's timer + poll multicall (served in C on KVM,
        # kvm.FastCalls): never back before the deadline, never stuck.
        status, out = boot(bare_image, "yieldloop 300", cpu, timeout=120)
        assert status == 0, out
        assert re.match(r"yields 300 early 0 yield_ns \d+\n$", out), out

    def test_console_ring_indices_out_of_range(self, bare_image, cpu, capsys):
        status, out = boot(bare_image, "ring", cpu)
        assert status == 125
        assert "still running" not in out
        assert "console ring indices out of range" in out
        assert "Traceback" not in capsys.readouterr().err

    def test_big_output_through_the_ring(self, bare_image, cpu):
        status, out = boot(bare_image, "big", cpu)
        assert status == 0
        lines = out.splitlines()
        assert lines == [f"line {i}" for i in range(10000)]

    def test_map_pages_remap_split_unmap(self, bare_image, cpu):
        status, out = boot(bare_image, "map", cpu)
        assert status == 125, out
        assert out.startswith("map_a 0\nread A\nmap_b 0\nread B\nmap_split 0\nread A\n"
                              "unmap 0\ntouching unmapped\n")
        assert "cr2 0x0000004000000000" in out

    def test_fpu_starts_as_after_fninit(self, bare_image, cpu):
        assert boot(bare_image, "fpu", cpu) == (0, f"fcw {0x37f} mxcsr {0x1f80}\n")

    def test_fs_base(self, bare_image, cpu):
        assert boot(bare_image, "fsbase", cpu) == (0, "fs FS\n")

    def test_hostile_hypercalls_from_a_guest(self, bare_image, cpu):
        status, out = boot(bare_image, "hostile", cpu)
        assert status == 0, out
        got = dict(line.split() for line in out.splitlines())
        assert {k: int(v) for k, v in got.items()} == HOSTILE

    def test_stats_and_trace(self, bare_image, cpu, capsys):
        status = runner.run(bare_image, cmdline="hello", cpu=cpu, out=io.BytesIO(), stats=True,
                            trace=True)
        assert status == 0
        err = capsys.readouterr().err
        assert f"cpu={cpu} exits=" in err
        assert re.search(r"first console byte [\d.]+ ms", err)
        assert "sched_op(0x" in err
        assert "shutdown_code reason=0" in err


def test_unknown_command_line_goes_to_the_guest(bare_image):
    assert boot(bare_image, "bogus words", "soft") == (1, "unknown command: bogus words\n")


# -- user errors: one line, no VM ----------------------------------------------

def test_malformed_elf(tmp_path):
    bad = tmp_path / "bad.unik"
    bad.write_bytes(b"\x7fELF" + b"\x02\x01\x01" + b"\0" * 40)
    with pytest.raises(UnikError) as e:
        runner.run(bad)
    assert "\n" not in str(e.value)
    bad.write_bytes(b"not an elf at all")
    with pytest.raises(UnikError):
        runner.run(bad)
    with pytest.raises(UnikError, match="no such image"):
        runner.run(tmp_path / "missing.unik")


def test_image_without_the_pv_entry_note(tmp_path):
    src = tmp_path / "t.c"
    src.write_text("void _start(void) { for (;;) ; }\n")
    exe = tmp_path / "t.elf"
    subprocess.run(["gcc", "-nostdlib", "-static", "-no-pie", "-Wl,-Ttext=0x100000", "-o",
                    str(exe), str(src)], check=True)
    with pytest.raises(UnikError, match="no Xen PV entry note"):
        runner.run(exe)


def test_too_little_memory(bare_image, tmp_path):
    # The bare guest with a 16 MiB .bss: its last PT_LOAD's p_memsz patched.
    from elftools.elf.elffile import ELFFile
    data = bytearray(bare_image.read_bytes())
    with open(bare_image, "rb") as f:
        elf = ELFFile(f)
        phoff, phentsize = elf["e_phoff"], elf["e_phentsize"]
        last = max(i for i, seg in enumerate(elf.iter_segments()) if seg["p_type"] == "PT_LOAD")
    off = phoff + last * phentsize + 40
    data[off:off + 8] = (16 << 20).to_bytes(8, "little")
    big = tmp_path / "big.unik"
    big.write_bytes(bytes(data))
    with pytest.raises(UnikError, match="too little memory: the image needs at least 1[89] MiB"):
        runner.run(big, memory_mib=8)
    assert boot(big, "exit 3", "soft")[0] == 3           # the default memory fits it
    with pytest.raises(UnikError):
        runner.run(bare_image, memory_mib=0)


def test_bad_cpu_choice(bare_image):
    with pytest.raises(UnikError, match="unknown --cpu"):
        runner.run(bare_image, cpu="gpu")


def test_kvm_unusable_is_a_user_error(bare_image, monkeypatch):
    from unik.runner import kvmcpu

    def broken():
        raise UnikError("/dev/kvm is not usable: Device or resource busy (use --cpu soft)")
    monkeypatch.setattr(kvmcpu, "open_kvm", broken)
    with pytest.raises(UnikError, match="busy"):
        runner.run(bare_image, cpu="kvm")
    # auto falls back to the software CPU
    assert boot(bare_image, "exit 5", "auto") == (5, "")


def test_smallest_memory_boots(bare_image):
    from unik.runner import builder, image
    mib = builder.minimum_ram(image.load(bare_image)) >> 20
    assert boot(bare_image, "hello", "soft", memory_mib=mib)[0] == 0


@pytest.mark.parametrize("cpu", CPUS)
@pytest.mark.parametrize("what", ["spin", "sleep"])
def test_ctrl_c_stops_the_guest_cleanly(bare_image, cpu, what):
    proc = subprocess.Popen([sys.executable, "-m", "unik", "run", "--cpu", cpu, str(bare_image),
                             "--", what], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = proc.stdout.readline()
    assert line == (b"spinning\n" if what == "spin" else b"sleeping\n")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == runner.STATUS_INTERRUPTED
    assert b"interrupted" in err and b"Traceback" not in err


# -- the C hello, built with the real core -------------------------------------

@pytest.fixture(scope="module")
def hello_image(tmp_path_factory) -> Path:
    from unik.testing import Guest
    src = '#include <stdio.h>\nint main(void) { printf("Hello, unik!\\n"); return 0; }\n'
    return Guest.create(tmp_path_factory.mktemp("hello"), "c", {"main.c": src},
                        name="hello").build().image


@pytest.mark.parametrize("cpu", CPUS)
def test_c_hello(hello_image, cpu):
    assert boot(hello_image, "", cpu) == (0, "Hello, unik!\n")


def test_vm_creation_failure(bare_image, monkeypatch):
    from unik.runner import kvmcpu

    def no_vm(*a, **kw):
        raise OSError(24, "KVM_CREATE_VM: Too many open files")
    monkeypatch.setattr(kvmcpu, "open_kvm", lambda: object())
    monkeypatch.setattr(kvmcpu, "KvmCpu", no_vm)
    with pytest.raises(UnikError, match="could not set up the guest.*Too many open files"):
        runner.run(bare_image, cpu="kvm")
    assert boot(bare_image, "exit 9", "auto") == (9, "")
