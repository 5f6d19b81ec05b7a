"""Disks and NICs under QEMU (`unik run --host qemu`): virtio-blk and
virtio-net on microvm's virtio-mmio transports, driven by core/native/virtio
behind the same unik.h calls as the runner's Xen devices — the same guests
as the runner's device tests, unchanged. TCG is slow: sizes stay modest."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from devboot import Booted
from netboot import Background, free_port, recv_to_close
from test_block import _pattern
from test_net import ECHO_CLIENT, _can_tap, _line_server

from unik.hosts import qemu
from unik.runner.devices import DeviceSpecs, parse_nics, prepare_disk

pytestmark = pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None,
                                reason="qemu-system-x86_64 is not installed")


def qboot(image: Path, devices: DeviceSpecs, *, cmdline: str = "",
          timeout: float = 300) -> Booted:
    out, err = io.BytesIO(), io.BytesIO()
    status = qemu.run(image, cmdline=cmdline, timeout=timeout, out=out, err=err,
                      devices=devices)
    return Booted(status, (out.getvalue() + err.getvalue()).decode(errors="replace"))


def user_net(*ports: str) -> DeviceSpecs:
    return DeviceSpecs(nics=parse_nics(["user"], list(ports)))


def test_block_written_read_back_and_checked_on_the_host(images, tmp_path: Path):
    disk = tmp_path / "disk.img"
    mib = 8
    r = qboot(images["block_rw"], DeviceSpecs([prepare_disk(disk, (mib + 1) << 20)]),
              cmdline=str(mib))
    assert r.status == 0, r.output
    assert "SUCCESS" in r.output, r.output
    assert f"xvda: {(mib + 1) << 20} bytes, block 512" in r.output
    data = disk.read_bytes()
    assert hashlib.sha256(data[:mib << 20]).digest() == hashlib.sha256(
        _pattern(mib << 20)).digest()
    assert data[mib << 20:] == bytes(1 << 20)


def test_block_persists_across_runs_and_survives_a_crash(images, tmp_path: Path):
    disk = tmp_path / "disk.img"
    r = qboot(images["block_crash"], DeviceSpecs([prepare_disk(disk, 4 << 20)]),
              cmdline="write")
    assert r.status == 125, r.output
    assert "crashing" in r.output
    r = qboot(images["block_crash"], DeviceSpecs([prepare_disk(disk, None)]), cmdline="check")
    assert r.status == 0 and "SUCCESS" in r.output, r.output


def test_read_only_file_is_a_read_only_disk(images, tmp_path: Path):
    disk = tmp_path / "ro.img"
    disk.write_bytes(bytes(4 << 20))
    spec = DeviceSpecs([prepare_disk(disk, None)])
    spec.disks[0].readonly = True
    r = qboot(images["block_crash"], spec, cmdline="write")
    assert r.status == 1 and "write failed" in r.output, r.output
    assert disk.read_bytes() == bytes(4 << 20)


def test_dev_xvda_and_second_disk_by_name(images, tmp_path: Path):
    a, b = tmp_path / "a.img", tmp_path / "b.img"
    r = qboot(images["block_file"], DeviceSpecs([prepare_disk(a, 4 << 20),
                                                 prepare_disk(b, 2 << 20)]))
    assert r.status == 0 and "SUCCESS" in r.output, r.output
    data = a.read_bytes()                   # /dev/xvda is the first --disk
    assert data[500:545] == b"hello, block device, across a sector boundary"
    assert data[20000:20014] == b"stdio line 42\n"
    assert b.read_bytes() == bytes(2 << 20)


def test_udp_echo_through_p(images):
    port = free_port(socket.SOCK_DGRAM)
    g = Background(images["udp_echo"], user_net(f"{port}:7/udp"), cmdline="7", timeout=300,
                   host="qemu")
    g.wait_for("udp echo on port 7")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(20)
        for i in range(20):
            msg = f"datagram {i} ".encode() * (i + 1)
            s.sendto(msg, ("127.0.0.1", port))
            data, _ = s.recvfrom(4096)
            assert data == msg
        s.sendto(b"quit", ("127.0.0.1", port))
    assert g.join() == 0, g.output
    assert "echoed 20 datagrams" in g.output


def test_http_get_through_p(images):
    port = free_port()
    g = Background(images["http_hello"], user_net(f"{port}:80"), cmdline="80 2", timeout=300,
                   host="qemu")
    g.wait_for("http on port 80")
    for _ in range(2):
        with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            data = recv_to_close(c)
        assert data.startswith(b"HTTP/1.") and data.endswith(b"Hello from a unik guest!\n")
    assert g.join() == 0, g.output
    assert "served 2 requests on 2 connections" in g.output


def test_guest_reaches_the_host_through_the_router(images):
    """Outbound TCP: 10.0.2.2 is the host's loopback and the guest is
    10.0.2.15, as on the runner (the addresses come through fw_cfg)."""
    srv, t = _line_server()
    port = srv.getsockname()[1]
    r = qboot(images["tcp_client"], user_net(), cmdline=f"10.0.2.2 {port}")
    srv.close()
    assert r.status == 0, r.output
    assert "answer: host got: ping from the guest" in r.output
    assert "connected 10.0.2.15:" in r.output
    assert "SUCCESS" in r.output


def test_two_nics_by_name(images):
    spec = DeviceSpecs(nics=parse_nics(["user", "user"], []))
    r = qboot(images["net_arp"], spec, cmdline="eth1 3")
    assert r.status == 0 and "router 10.0.3.2 is at" in r.output, r.output


@pytest.mark.skipif(not _can_tap(), reason="needs root, /dev/net/tun, ip and ping for a TAP")
def test_ping_and_udp_over_tap_in_a_private_namespace(images):
    """--net tap:NAME,ip=… under QEMU: QEMU opens the TAP, the test moves it
    into a namespace of its own, so every packet stays between the two."""
    name = f"uq{os.getpid() % 100000}"
    ns = f"{name}ns"
    guest_ip = "10.214.0.2"
    spec = DeviceSpecs(nics=parse_nics([f"tap:{name},ip={guest_ip}/24"], []))
    subprocess.run(["ip", "netns", "add", ns], check=True)
    g = Background(images["udp_echo"], spec, cmdline="7", timeout=300,
                   host="qemu")
    try:
        g.wait_for("udp echo on port 7")
        in_ns = ["ip", "netns", "exec", ns]
        for cmd in (["ip", "link", "set", name, "netns", ns],
                    [*in_ns, "ip", "addr", "add", "10.214.0.1/24", "dev", name],
                    [*in_ns, "ip", "link", "set", name, "up"]):
            subprocess.run(cmd, check=True)
        r = subprocess.run([*in_ns, "ping", "-c", "3", "-W", "5", guest_ip],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        r = subprocess.run([*in_ns, sys.executable, "-c", ECHO_CLIENT, guest_ip],
                           capture_output=True, text=True, timeout=60)
        assert r.stdout.strip() == "over tap", r.stderr
        assert g.join() == 0, g.output
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def test_port_in_use_is_one_line(tmp_path: Path, images):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        with pytest.raises(Exception, match="cannot listen"):
            qboot(images["udp_echo"], user_net(f"{port}:7"))


def test_command_line_of_devices(tmp_path: Path):
    disk = tmp_path / "a,b.img"
    specs = DeviceSpecs([prepare_disk(disk, 1 << 20)],
                        parse_nics(["user", "tap:tap9,ip=192.168.5.2/24,gw=192.168.5.1"],
                                   ["8080:80", "5353:53/udp"]))
    args = qemu.device_args(specs)
    assert f"file={tmp_path}/a,,b.img,format=raw,if=none,id=d0" in args
    assert ("user,id=n0,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:8080-:80,"
            "hostfwd=udp:127.0.0.1:5353-:53") in args
    assert "tap,id=n1,ifname=tap9,script=no,downscript=no" in args
    net = next(a for a in args if a.startswith("name=opt/unik/net,"))
    assert net.split("string=", 1)[1].splitlines() == [
        "eth0 ip=10.0.2.15 netmask=255.255.255.0 gateway=10.0.2.2 dns=10.0.2.3",
        "eth1 ip=192.168.5.2 netmask=255.255.255.0 gateway=192.168.5.1"]


HASKELL_BLOCK = """\
import qualified Data.ByteString.Char8 as B
import qualified Unik
main :: IO ()
main = do
  (d, info) <- Unik.blockAcquire "xvda"
  putStrLn ("capacity " ++ show (Unik.blockCapacity info))
  Unik.blockWrite d 4096 (B.pack (take 512 (cycle "haskell on virtio ")))
  back <- Unik.blockRead d 4096 512
  putStrLn (B.unpack (B.take 17 back))
"""


@pytest.mark.skipif(shutil.which("ghc") is None, reason="ghc missing (apt-get install -y ghc)")
def test_haskell_unik_block_under_qemu(tmp_path: Path):
    """The Haskell runtime's Unik.Block over unik.h, unchanged, on virtio-blk."""
    from unik.testing import Guest

    image = Guest.create(tmp_path, "haskell", {"Main.hs": HASKELL_BLOCK},
                         name="hsblock").build().image
    disk = tmp_path / "hs.img"
    r = qboot(image, DeviceSpecs([prepare_disk(disk, 1 << 20)]))
    assert r.status == 0, r.output
    assert "capacity 1048576" in r.output and "haskell on virtio" in r.output, r.output
    assert disk.read_bytes()[4096:4113] == b"haskell on virtio"
