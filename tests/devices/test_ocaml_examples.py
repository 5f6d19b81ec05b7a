"""The OCaml device examples: Unix sockets unmodified, Unik.Block with flush."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from examples_run import check_block_kv, check_udp_echo, copy_example, start
from netboot import free_port, recv_to_close

pytestmark = pytest.mark.skipif(
    shutil.which("ocamlopt") is None or shutil.which("ocamlfind") is None,
    reason="ocamlopt/ocamlfind missing (apt-get install -y ocaml-nox ocaml-findlib)")


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_ocaml_udp_echo_with_the_unix_module(tmp_path: Path, host: str):
    check_udp_echo(copy_example("ocaml-udp-echo", tmp_path), host, b"ocaml")


def test_ocaml_http_hello_answers(tmp_path: Path):
    proj = copy_example("ocaml-http-hello", tmp_path)
    port = free_port()
    proc = start(proj, "-p", f"{port}:80", "--", "80", "2", timeout=120)
    try:
        assert proc.stdout is not None
        assert "http on port 80" in proc.stdout.readline()
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
                c.sendall(b"GET / HTTP/1.0\r\n\r\n")
                data = recv_to_close(c)
            assert data.endswith(b"Hello from a unik guest (OCaml)!\n")
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    finally:
        proc.kill()


@pytest.mark.parametrize("host", ["runner", "qemu"])
def test_ocaml_block_kv(cli, tmp_path: Path, host: str):
    check_block_kv(cli, copy_example("ocaml-block-kv", tmp_path), host, "ocaml")
