"""The Haskell device examples: GHC's network package unmodified (UDP echo,
HTTP hello) and a key-value store on /dev/xvda through System.IO."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from examples_run import check_block_kv, check_udp_echo, copy_example, start
from netboot import free_port, recv_to_close


def _has_network_package() -> bool:
    if shutil.which("ghc-pkg") is None:
        return False
    r = subprocess.run(["ghc-pkg", "--global", "--simple-output", "list", "network"],
                       capture_output=True, text=True)
    return r.returncode == 0 and "network-" in r.stdout


pytestmark = pytest.mark.skipif(
    shutil.which("ghc") is None or not _has_network_package(),
    reason="ghc or its network package missing (apt-get install -y ghc libghc-network-dev)")


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_haskell_udp_echo_with_the_network_package(tmp_path: Path, host: str):
    check_udp_echo(copy_example("haskell-udp-echo", tmp_path), host, b"haskell")


def test_haskell_http_hello_answers_keep_alive_and_close(tmp_path: Path):
    proj = copy_example("haskell-http-hello", tmp_path)
    port = free_port()
    proc = start(proj, "-p", f"{port}:80", "--", "80", "2")
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
            data = recv_to_close(c)
            assert data.endswith(b"Hello from a unik guest (Haskell)!\n")
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "served 2 connections" in out
    finally:
        proc.kill()


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_haskell_block_kv(cli, tmp_path: Path, host: str):
    check_block_kv(cli, copy_example("haskell-block-kv", tmp_path), host, "haskell")
