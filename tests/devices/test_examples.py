"""The device examples, run through the CLI as a user would (unik.toml [run] keys)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from netboot import free_port, recv_to_close

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_block_kv_example_keeps_its_data_across_boots(cli, tmp_path: Path):
    proj = tmp_path / "kv"
    shutil.copytree(EXAMPLES / "c-block-kv", proj)
    assert cli("run", "--", "put", "answer", "42", cwd=proj).out.strip() == "ok"
    assert cli("run", "--", "put", "colour", "blue", cwd=proj).out.strip() == "ok"
    assert cli("run", "--", "get", "answer", cwd=proj).out.strip() == "42"
    r = cli("run", "--", "list", cwd=proj)
    assert r.status == 0 and "colour = blue" in r.out
    assert cli("run", "--", "del", "answer", cwd=proj).status == 0
    r = cli("run", "--", "get", "answer", cwd=proj)
    assert r.status == 3 and "not found" in r.out
    assert (proj / "kv.img").stat().st_size == 1 << 20


def test_block_kv_example_under_qemu_keeps_its_data_across_boots(cli, tmp_path: Path):
    """The same unik.toml (disk = "kv.img") under QEMU: virtio-blk, same file format."""
    proj = tmp_path / "kv"
    shutil.copytree(EXAMPLES / "c-block-kv", proj)
    assert cli("run", "--", "put", "answer", "42", cwd=proj).out.strip() == "ok"
    q = ("run", "--host", "qemu")
    assert cli(*q, "--", "get", "answer", cwd=proj).out.strip() == "42"  # the runner's data
    assert cli(*q, "--", "put", "colour", "blue", cwd=proj).out.strip() == "ok"
    r = cli("run", "--", "list", cwd=proj)                              # and back
    assert r.status == 0 and "colour = blue" in r.out and "answer = 42" in r.out, r.out


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_http_example_with_p_on_the_command_line(tmp_path: Path, host: str):
    proj = tmp_path / "http"
    shutil.copytree(EXAMPLES / "c-http-hello", proj)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "unik", "run", "--host", host,
                             "-p", f"{port}:80", "--timeout", "120", "--", "80", "1"],
                            cwd=proj,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert "http on port 80" in proc.stdout.readline()     # listening now
        with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            data = recv_to_close(c)
        assert data.endswith(b"Hello from a unik guest!\n")
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "served 1 requests on 1 connections" in out
    finally:
        proc.kill()


def test_device_options_are_checked(cli, tmp_path: Path):
    proj = tmp_path / "http"
    shutil.copytree(EXAMPLES / "c-http-hello", proj)
    for args, msg in [
        (["-p", "99999:80"], "HOSTPORT:GUESTPORT"),
        (["-p", "80:80/sctp"], "tcp or udp"),
        (["--net", "bogus"], "user or tap:NAME"),
        (["--net", "tap:x,ip=nonsense"], "bad option"),
        (["--disk", str(tmp_path / "missing.img")], "--disk-size"),
        (["--disk-size", "10M"], "needs --disk"),
        (["--disk", str(tmp_path / "d.img"), "--disk-size", "12Q"], "size such as"),
    ]:
        r = cli("run", *args, cwd=proj)
        assert r.status == 1, (args, r.err)
        assert msg in r.err and "Traceback" not in r.err, (args, r.err)
