"""What the language examples' tests share: starting an example project with
`unik run` as a user would, and the checks every UDP echo and key-value
example must pass, whatever its language."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

from netboot import free_port

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def copy_example(name: str, tmp_path: Path) -> Path:
    proj = tmp_path / name
    shutil.copytree(EXAMPLES / name, proj)
    return proj


def start(proj: Path, *args: str, timeout: int = 300) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "unik", "run", "--timeout", str(timeout),
                             *args], cwd=proj, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def check_udp_echo(proj: Path, host: str, tag: bytes) -> None:
    """Ten datagrams come back as sent; "quit" ends the server, which counts them."""
    port = free_port(socket.SOCK_DGRAM)
    proc = start(proj, "--host", host, "-p", f"{port}:7/udp", "--", "7")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "udp echo on port 7" in line, proc.stderr.read() if proc.stderr else ""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(20)
            for i in range(10):
                s.sendto(tag + b" %d" % i, ("127.0.0.1", port))
                assert s.recvfrom(100)[0] == tag + b" %d" % i
            s.sendto(b"quit", ("127.0.0.1", port))
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "echoed 10 datagrams" in out
    finally:
        proc.kill()


def check_block_kv(cli, proj: Path, host: str, lang: str) -> None:
    """put, overwrite, get, list and a missing key (status 3), each a boot of
    its own: the data lives on the disk file between them."""
    run = ("run", "--host", host)
    assert cli(*run, "--", "put", "answer", "42", cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "put", "lang", lang, cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "put", "answer", "43", cwd=proj).out.strip() == "ok"
    assert cli(*run, "--", "get", "answer", cwd=proj).out.strip() == "43"
    r = cli(*run, "--", "list", cwd=proj)
    assert f"lang = {lang}" in r.out and "answer = 43" in r.out, r.out
    assert cli(*run, "--", "get", "nothing", cwd=proj).status == 3
