"""The guest's stdout and stderr reach the host's stdout and stderr, separately.

On the runner they travel through unik's stream rings (core/native/xen/unik_streams.h),
under QEMU through COM1 and COM2; on real Xen both share the one PV console
(tests/runner/test_xen_dom0.py). isatty() in the guest answers for the
host's stream; everything a guest wrote through write(2) arrives even when
it aborts or crashes; 10 MB written to stdout arrive whole and in order.
"""

from __future__ import annotations

import hashlib
import io
import os
import pty
import re
from pathlib import Path

import pytest

from unik import runner
from unik.hosts import qemu
from unik.testing import Guest, boot_image, kvm_usable

PROGRAM = (Path(__file__).parent / "guests" / "streams.c").read_text()

HOSTS = [
    pytest.param(("qemu", "auto"), id="qemu"),
    pytest.param(("runner", "kvm"), id="runner-kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param(("runner", "soft"), id="runner-soft"),
]


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("streams")
    return Guest.create(d, "c", {"main.c": PROGRAM}, name="streams").build().image


@pytest.mark.parametrize("host", HOSTS)
def test_stdout_and_stderr_are_separate(image, host):
    r = boot_image(image, host=host[0], cpu=host[1], cmdline="exit", timeout=120)
    assert r.status == 5, r.output
    assert r.stdout == "out: stdio\nout: write\n", r.output
    assert "err: stdio\nerr: write\n" in r.stderr, r.output
    assert "out:" not in r.stderr


@pytest.mark.parametrize("host", HOSTS)
def test_abort_delivers_every_write(image, host):
    r = boot_image(image, host=host[0], cpu=host[1], cmdline="abort", timeout=120)
    assert r.status == 126, r.output
    # stdio's buffer is lost by abort(), as in a process; write(2) bytes are not.
    assert r.stdout == "out: stdio\nout: write\nout: last write\n", r.output
    assert "err: write\nerr: last write\n" in r.stderr, r.output


@pytest.mark.parametrize("host", HOSTS)
def test_crash_delivers_every_write_and_reports_on_stderr(image, host):
    r = boot_image(image, host=host[0], cpu=host[1], cmdline="crash", timeout=120)
    assert r.status == 125, r.output
    assert r.stdout == "out: stdio\nout: write\nout: last write\n", r.output
    assert "err: last write\n" in r.stderr
    assert re.search(r"rip", r.stderr), r.stderr        # the crash report is unik's: stderr


def _lines_ok(data: bytes) -> int:
    """Number of lines, after checking each is the next in sequence."""
    lines = data.split(b"\n")
    assert lines[-1] == b""
    for i, line in enumerate(lines[:-1]):
        assert line == b"%09d the quick brown fox jumps over the lazy dog" % i, (i, line[:80])
    return len(lines) - 1


@pytest.mark.parametrize("cpu,size", [
    pytest.param("kvm", 10_000_000, id="kvm-10MB",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param("soft", 2_000_000, id="soft-2MB"),
])
def test_bulk_stdout_in_order(image, cpu, size):
    out, err = io.BytesIO(), io.BytesIO()
    status = runner.run(image, cmdline=f"bulk {size}", cpu=cpu, out=out, err=err, timeout=300)
    assert status == 0, err.getvalue()
    data = out.getvalue()
    assert len(data) >= size
    n = _lines_ok(data)
    assert f"bulk done: {n} lines".encode() in err.getvalue()


def test_bulk_stdout_into_a_pipe(image, tmp_path):
    """Through a real pipe (the sink's file-descriptor path), read by another thread."""
    import threading

    if not kvm_usable():
        pytest.skip("no usable /dev/kvm")
    r, w = os.pipe()
    digest = hashlib.sha256()
    got = []

    def reader():
        with os.fdopen(r, "rb") as f:
            while chunk := f.read(1 << 16):
                digest.update(chunk)
                got.append(chunk)

    t = threading.Thread(target=reader)
    t.start()
    with os.fdopen(w, "wb") as wf:
        status = runner.run(image, cmdline="bulk 10000000", out=wf, err=io.BytesIO())
    t.join()
    assert status == 0
    _lines_ok(b"".join(got))


def _under_pty(boot) -> str:
    """Run boot(out) with out a pseudo-terminal; what the guest printed there."""
    master, slave = pty.openpty()
    try:
        with os.fdopen(os.dup(slave), "wb", buffering=0) as out:
            status = boot(out)
        os.close(slave)
        slave = -1
        data = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    assert status == 0
    return data.decode().replace("\r\n", "\n")


@pytest.mark.parametrize("host", HOSTS)
def test_isatty_follows_the_host(image, host):
    r = boot_image(image, host=host[0], cpu=host[1], cmdline="tty", timeout=120)
    assert r.stdout == "isatty(0)=0 isatty(1)=0 isatty(2)=0\n", r.output
    if host[0] == "qemu":
        text = _under_pty(lambda out: qemu.run(image, cmdline="tty", out=out,
                                               err=io.BytesIO(), timeout=120))
    else:
        text = _under_pty(lambda out: runner.run(image, cmdline="tty", cpu=host[1], out=out,
                                                 err=io.BytesIO(), timeout=120))
    assert "isatty(0)=0 isatty(1)=1 isatty(2)=0" in text, text


@pytest.mark.parametrize("cpu", [
    pytest.param("kvm", marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    "soft"])
def test_a_closed_stdout_stops_the_guest_like_sigpipe(image, cpu):
    """`unik run | head -1`: once the reader is gone the guest is stopped (141,
    as a shell reports a process ended by SIGPIPE) instead of running on."""
    r, w = os.pipe()
    os.close(r)
    with os.fdopen(w, "wb") as out:
        status = runner.run(image, cmdline="bulk 1000000000", cpu=cpu, out=out,
                            err=io.BytesIO(), timeout=120)
    assert status == 141


def test_a_closed_stdout_stops_qemu_like_sigpipe(image):
    r, w = os.pipe()
    os.close(r)
    with os.fdopen(w, "wb") as out:
        status = qemu.run(image, cmdline="bulk 1000000000", out=out, err=io.BytesIO(),
                          timeout=120)
    assert status == 141
