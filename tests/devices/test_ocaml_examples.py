"""The OCaml device examples: Unix sockets unmodified, Unik.Block with flush."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from netboot import free_port

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.skipif(
    shutil.which("ocamlopt") is None or shutil.which("ocamlfind") is None,
    reason="ocamlopt/ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")


def _start(proj: Path, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "unik", "run", "--timeout", "120", *args],
                            cwd=proj, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    return proc


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_ocaml_udp_echo_with_the_unix_module(tmp_path: Path, host: str):
    proj = tmp_path / "udp"
    shutil.copytree(EXAMPLES / "ocaml-udp-echo", proj)
    port = free_port(socket.SOCK_DGRAM)
    proc = _start(proj, "--host", host, "-p", f"{port}:7/udp", "--", "7")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "udp echo on port 7" in line, proc.stderr.read() if proc.stderr else ""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(10)
            for i in range(10):
                s.sendto(b"ocaml %d" % i, ("127.0.0.1", port))
                assert s.recvfrom(100)[0] == b"ocaml %d" % i
            s.sendto(b"quit", ("127.0.0.1", port))
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "echoed 10 datagrams" in out
    finally:
        proc.kill()


def test_ocaml_http_hello_answers(tmp_path: Path):
    proj = tmp_path / "http"
    shutil.copytree(EXAMPLES / "ocaml-http-hello", proj)
    port = free_port()
    proc = _start(proj, "-p", f"{port}:80", "--", "80", "2")
    try:
        assert proc.stdout is not None
        assert "http on port 80" in proc.stdout.readline()
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
                c.sendall(b"GET / HTTP/1.0\r\n\r\n")
                data = b""
                while chunk := c.recv(4096):
                    data += chunk
            assert data.endswith(b"Hello from a unik guest (OCaml)!\n")
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    finally:
        proc.kill()


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_ocaml_block_kv(cli, tmp_path: Path, host: str):
    proj = tmp_path / "kv"
    shutil.copytree(EXAMPLES / "ocaml-block-kv", proj)
    run = ("run", "--host", host)
    assert cli(*run, "--", "put", "answer", "42", cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "put", "lang", "ocaml", cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "get", "answer", cwd=proj).out.strip() == "42"
    r = cli(*run, "--", "list", cwd=proj)
    assert "lang = ocaml" in r.out and "answer = 42" in r.out
    assert cli(*run, "--", "get", "nothing", cwd=proj).status == 3
