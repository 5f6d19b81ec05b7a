"""The guest's stdin is the command's stdin, as for the program it replaces.

Through `unik run` in a subprocess, as a user runs it: pipes, files,
/dev/null, a closed stdin, a terminal, poll and select on fd 0, and a
timeout or Ctrl-C while the guest waits for input. On the runner the host's
stdin is read as the guest asks (a guest that never reads leaves it to the
next reader); under QEMU it is read whole up front (core/hosts/qemu_stdin.py).
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from unik.testing import Guest, kvm_usable

PROGRAM = (Path(__file__).parent / "guests" / "stdin.c").read_text()
RUNNERS = [
    pytest.param("kvm", id="kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param("soft", id="soft"),
]
HOSTS = [*RUNNERS, pytest.param("qemu", id="qemu")]
LIMIT = 120                             # s: a hang fails the test instead of the suite


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("stdin")
    return Guest.create(d, "c", {"main.c": PROGRAM}, name="stdin").build().image


def unik_run(image: Path, how: str, where: str = "kvm", *extra: str) -> list[str]:
    host = ["--host", "qemu"] if where == "qemu" else ["--cpu", where]
    return [sys.executable, "-m", "unik", "run", *host, *extra, str(image), "--", *how.split()]


def run(image: Path, how: str, where: str = "kvm", *, data: bytes | None = None,
        stdin=None, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`unik run` fed data through a pipe (or the given stdin)."""
    return subprocess.run(unik_run(image, how, where, *extra), input=data,
                          stdin=stdin, capture_output=True, timeout=LIMIT)


def numbered(i: int) -> bytes:
    return b"%07d the quick brown fox jumps over the lazy dog\n" % i


@pytest.mark.parametrize("where", HOSTS)
def test_lines_from_a_pipe(image, where):
    data = b"alpha\nbeta\n\ngamma without newline"
    p = run(image, "lines", where, data=data)
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"1: alpha\n2: beta\n3: \n4: gamma without newline", p.stderr
    assert b"lines: 4 bytes: %d\n" % len(data) in p.stderr


@pytest.mark.parametrize("where", HOSTS)
def test_a_megabyte_of_lines_arrives_whole_and_in_order(image, where):
    n = 20_000                          # 1 MB of 52-byte lines
    data = b"".join(numbered(i) for i in range(n))
    assert len(data) >= 1_000_000
    p = run(image, "lines", where, data=data)
    assert p.returncode == 0, p.stderr[-2000:]
    lines = p.stdout.split(b"\n")
    assert len(lines) == n + 1 and lines[-1] == b"", p.stderr[-2000:]
    for i, line in enumerate(lines[:-1]):
        assert line == b"%d: " % (i + 1) + numbered(i)[:-1], (i, line)
    assert b"lines: %d bytes: %d" % (n, len(data)) in p.stderr


@pytest.mark.parametrize("where", HOSTS)
def test_binary_stdin_every_byte(image, where, tmp_path):
    data = os.urandom(1 << 20)
    p = run(image, "cat", where, data=data)
    assert p.returncode == 0, p.stderr
    assert p.stdout == data


@pytest.mark.parametrize("where", RUNNERS)
def test_a_file_as_stdin(image, where, tmp_path):
    f = tmp_path / "in.txt"
    f.write_bytes(b"".join(numbered(i) for i in range(3000)))
    with f.open("rb") as fin:
        p = run(image, "getchar", where, stdin=fin)
    assert p.stdout == b"chars=%d\n" % f.stat().st_size, p.stderr


@pytest.mark.parametrize("where", HOSTS)
def test_dev_null_is_end_of_file_at_once(image, where):
    with open(os.devnull, "rb") as null:
        p = run(image, "lines", where, stdin=null)
    assert p.returncode == 0, p.stderr
    assert p.stdout == b""
    assert b"lines: 0 bytes: 0" in p.stderr


def test_a_closed_stdin_is_end_of_file(image):
    p = subprocess.run(unik_run(image, "eof2"), capture_output=True, timeout=LIMIT,
                       preexec_fn=lambda: os.close(0))
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"read=0 read=0\n"


@pytest.mark.parametrize("where", RUNNERS)
def test_end_of_file_stays(image, where):
    p = run(image, "eof2", where, data=b"some\ninput\n")
    assert p.stdout == b"read=0 read=0\n", p.stderr


@pytest.mark.parametrize("where", HOSTS)
def test_scanf_numbers(image, where):
    nums = list(range(-50, 1000, 7))
    data = " ".join(map(str, nums)).encode() + b"\n  12\t\n"
    p = run(image, "sum", where, data=data)
    assert p.stdout == b"count=%d sum=%d\n" % (len(nums) + 1, sum(nums) + 12), p.stderr


def test_a_guest_that_never_reads_leaves_stdin_to_the_next_reader(image, tmp_path):
    """`( unik run none; unik run lines ) < file` and through a pipe: the
    first guest takes nothing, the second gets every line."""
    f = tmp_path / "in.txt"
    f.write_bytes(b"one\ntwo\nthree\n")
    first, second = (" ".join(unik_run(image, how)) for how in ("none", "lines"))
    for redirect in (f"< {f}", ""):
        shell = f"( {first}; {second} ) {redirect}"
        p = subprocess.run(["sh", "-c", shell], input=None if redirect else f.read_bytes(),
                           capture_output=True, timeout=LIMIT)
        assert p.stdout == b"no read\n1: one\n2: two\n3: three\n", (shell, p.stderr)


def test_a_while_read_loop_keeps_its_lines(image, tmp_path):
    """A shell loop reading lines around guests that do not read stdin."""
    f = tmp_path / "in.txt"
    f.write_bytes(b"a\nb\nc\n")
    guest = " ".join(unik_run(image, "none"))
    shell = f'while read l; do {guest} >/dev/null; echo "got $l"; done < {f}'
    p = subprocess.run(["sh", "-c", shell], capture_output=True, timeout=LIMIT)
    assert p.stdout == b"got a\ngot b\ngot c\n", p.stderr


def _quiet_pipe(image: Path, how: str, *extra: str):
    """`unik run` on a pipe that stays open with nothing in it."""
    r, w = os.pipe()
    try:
        proc = subprocess.Popen(unik_run(image, how, "kvm", *extra), stdin=r,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    finally:
        os.close(r)
    return proc, w


@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_poll_times_out_on_a_quiet_pipe(image):
    proc, w = _quiet_pipe(image, "poll 300")
    try:
        out, err = proc.communicate(timeout=LIMIT)
    finally:
        os.close(w)
    assert proc.returncode == 0, err
    assert out == b"poll=0 revents=0\n"


@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
@pytest.mark.parametrize("how", ["poll 100000", "select"])
def test_a_wait_on_stdin_ends_when_a_line_comes(image, how):
    proc, w = _quiet_pipe(image, how)
    time.sleep(0.5)                     # the guest waits by now (not asserted)
    os.write(w, b"late line\n")
    try:
        out, err = proc.communicate(timeout=LIMIT)
    finally:
        os.close(w)
    assert proc.returncode == 0, err
    if how == "select":
        assert out == b"select=1 set=1\nline: late line\n"
    else:
        assert out == b"poll=1 revents=1\nread=10\n"


@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_an_unclaimed_answer_does_not_turn_a_later_sleep_into_a_spin(image):
    """poll times out, the input comes while the guest sleeps 3 s: the sleep
    still sleeps (the guest's CPU time — what it did not spend waiting in
    unik_yield — stays near 0; a spin of yields cut short shows)."""
    proc, w = _quiet_pipe(image, "pollsleep")
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline() == b"poll=0\n"     # timed out; the sleep begins
        os.write(w, b"during the sleep\n")
        out, err = proc.communicate(timeout=LIMIT)
    finally:
        os.close(w)
    assert out == b"slept\n", err


@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_nonblocking_stdin_says_eagain(image):
    proc, w = _quiet_pipe(image, "nonblock")
    try:
        out, err = proc.communicate(timeout=LIMIT)
    finally:
        os.close(w)
    assert out == b"eagain\n", err


@pytest.mark.parametrize("where", HOSTS)
def test_timeout_while_a_read_waits(image, where):
    r, w = os.pipe()
    try:
        p = subprocess.run(unik_run(image, "cat", where, "--timeout", "2"), stdin=r,
                           capture_output=True, timeout=LIMIT)
    finally:
        os.close(r)
        os.close(w)
    assert p.returncode == 124, p.stderr
    assert b"timeout" in p.stderr or b"did not exit" in p.stderr


@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_ctrl_c_while_a_read_waits(image):
    proc, w = _quiet_pipe(image, "cat")
    try:
        time.sleep(1.5)                 # booted and waiting (not asserted)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=LIMIT)
    finally:
        os.close(w)
    assert proc.returncode == 130, err
    assert b"interrupted" in err


def _read_until(fd: int, want: bytes, limit: float = LIMIT) -> bytes:
    got = b""
    end = time.monotonic() + limit
    while want not in got and time.monotonic() < end:
        if select.select([fd], [], [], 0.5)[0]:
            try:
                got += os.read(fd, 4096)
            except OSError:
                break
    return got


@pytest.mark.parametrize("where", [*RUNNERS, pytest.param("qemu", id="qemu")])
def test_a_terminal(image, where):
    """On the runner a line at a time, as the terminal gives it, and Ctrl-D
    ends the input; under QEMU a terminal stdin reads as end of file."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(unik_run(image, "lines", where), stdin=slave,
                                stdout=slave, stderr=slave, start_new_session=True)
    finally:
        os.close(slave)
    try:
        if where == "qemu":
            got = _read_until(master, b"lines: 0 bytes: 0")     # the line may arrive in pieces
            assert b"lines: 0 bytes: 0" in got, got
        else:
            os.write(master, b"hello\n")
            got = _read_until(master, b"1: hello\r\n")  # printed before the next line exists
            assert b"1: hello\r\n" in got, got
            os.write(master, b"world\n")
            got = _read_until(master, b"2: world\r\n")
            assert b"2: world\r\n" in got, got
            os.write(master, b"\x04")
            got = _read_until(master, b"lines: 2 bytes: 12")
            assert b"lines: 2 bytes: 12" in got, got
        assert proc.wait(timeout=LIMIT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_a_prompt_shows_before_the_program_waits_on_a_terminal(image):
    """printf("name? ") with no newline, then fgets: on a terminal the prompt
    appears before any answer is typed, as with a glibc program."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(unik_run(image, "prompt"), stdin=slave, stdout=slave,
                                stderr=slave, start_new_session=True)
    finally:
        os.close(slave)
    try:
        got = _read_until(master, b"name? ")
        assert got.endswith(b"name? "), got
        os.write(master, b"Ada\n")
        got = _read_until(master, b"hello, Ada")
        assert b"hello, Ada\r\n" in got, got
        assert proc.wait(timeout=LIMIT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


@pytest.mark.parametrize("where", RUNNERS)
def test_isatty_of_stdin_follows_the_host(image, where):
    with open(os.devnull, "rb") as null:
        p = run(image, "tty", where, stdin=null)
    assert p.stdout == b"isatty(0)=0\n"
    master, slave = pty.openpty()
    try:
        p = subprocess.run(unik_run(image, "tty", where), stdin=slave, capture_output=True,
                           timeout=LIMIT)
    finally:
        os.close(slave)
        os.close(master)
    assert p.stdout == b"isatty(0)=1\n", p.stderr


def test_qemu_refuses_a_stdin_past_its_cap(tmp_path, monkeypatch):
    from unik.errors import UnikError
    from unik.hosts import qemu_stdin

    monkeypatch.setattr(qemu_stdin, "MAX_BYTES", 1000)
    f = tmp_path / "in"
    f.write_bytes(b"x" * 1000)
    with f.open("rb") as fin:
        assert qemu_stdin.read_whole(fin.fileno(), None) == b"x" * 1000
    f.write_bytes(b"x" * 1001)
    with f.open("rb") as fin, pytest.raises(UnikError, match="larger than 0 MiB"):
        qemu_stdin.read_whole(fin.fileno(), None)


def test_qemu_says_so_in_one_line_when_stdin_is_too_big(image):
    p = run(image, "cat", "qemu", data=b"\0" * (65 << 20))
    assert p.returncode == 1
    lines = [x for x in p.stderr.decode().splitlines() if "qemu with -accel" not in x]
    assert len(lines) == 1 and "larger than 64 MiB" in lines[0], p.stderr
    assert p.stdout == b""
