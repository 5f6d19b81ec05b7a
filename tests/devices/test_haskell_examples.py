"""The Haskell device examples: GHC's network package unmodified (UDP echo,
HTTP hello) and a key-value store on /dev/xvda through System.IO."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from netboot import free_port

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _has_network_package() -> bool:
    if shutil.which("ghc-pkg") is None:
        return False
    r = subprocess.run(["ghc-pkg", "--global", "--simple-output", "list", "network"],
                       capture_output=True, text=True)
    return r.returncode == 0 and "network-" in r.stdout


pytestmark = pytest.mark.skipif(
    shutil.which("ghc") is None or not _has_network_package(),
    reason="ghc or its network package missing (apt-get install -y ghc libghc-network-dev)")


def _start(proj: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "unik", "run", "--timeout", "300", *args],
                            cwd=proj, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_haskell_udp_echo_with_the_network_package(tmp_path: Path, host: str):
    proj = tmp_path / "udp"
    shutil.copytree(EXAMPLES / "haskell-udp-echo", proj)
    port = free_port(socket.SOCK_DGRAM)
    proc = _start(proj, "--host", host, "-p", f"{port}:7/udp", "--", "7")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "udp echo on port 7" in line, proc.stderr.read() if proc.stderr else ""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(20)
            for i in range(10):
                s.sendto(b"haskell %d" % i, ("127.0.0.1", port))
                assert s.recvfrom(100)[0] == b"haskell %d" % i
            s.sendto(b"quit", ("127.0.0.1", port))
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "echoed 10 datagrams" in out
    finally:
        proc.kill()


def test_haskell_http_hello_answers_keep_alive_and_close(tmp_path: Path):
    proj = tmp_path / "http"
    shutil.copytree(EXAMPLES / "haskell-http-hello", proj)
    port = free_port()
    proc = _start(proj, "-p", f"{port}:80", "--", "80", "2")
    try:
        assert proc.stdout is not None
        assert "http on port 80" in proc.stdout.readline()
        with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
            for _ in range(3):                      # keep-alive: three on one connection
                c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while not data.endswith(b"(Haskell)!\n"):
                    chunk = c.recv(4096)
                    assert chunk, data
                    data += chunk
                assert data.startswith(b"HTTP/1.1 200 OK\r\n")
        with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            data = b""
            while chunk := c.recv(4096):            # the server closes after it
                data += chunk
            assert data.endswith(b"Hello from a unik guest (Haskell)!\n")
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "served 2 connections" in out
    finally:
        proc.kill()


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_haskell_block_kv(cli, tmp_path: Path, host: str):
    proj = tmp_path / "kv"
    shutil.copytree(EXAMPLES / "haskell-block-kv", proj)
    run = ("run", "--host", host)
    assert cli(*run, "--", "put", "answer", "42", cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "put", "lang", "haskell", cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "put", "answer", "43", cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "get", "answer", cwd=proj).out.strip() == "43"
    r = cli(*run, "--", "list", cwd=proj)
    assert "lang = haskell" in r.out and "answer = 43" in r.out
    assert cli(*run, "--", "get", "nothing", cwd=proj).status == 3
