"""Networking end to end: netfront + lwIP + sockets in the guest, netback +
libslirp (or TAP) in the runner, host programs on loopback."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest
from devboot import CPUS, boot
from netboot import Background, free_port, recv_to_close

from unik.runner.devices import DeviceSpecs, parse_nics


def user_net(*ports: str) -> DeviceSpecs:
    return DeviceSpecs(nics=parse_nics(["user"], list(ports)))


@pytest.mark.parametrize("cpu", CPUS)
def test_udp_echo_answers_a_host_client(images, cpu: str):
    port = free_port(socket.SOCK_DGRAM)
    g = Background(images["udp_echo"], user_net(f"{port}:7/udp"), cmdline="7", cpu=cpu)
    g.wait_for("udp echo on port 7")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(10)
        for i in range(50):
            msg = f"datagram {i} ".encode() * (i + 1)
            s.sendto(msg, ("127.0.0.1", port))
            data, _ = s.recvfrom(4096)
            assert data == msg
        s.sendto(b"quit", ("127.0.0.1", port))
    assert g.join() == 0
    assert "echoed 50 datagrams" in g.output


@pytest.mark.parametrize("path", ["batched", "libslirp"])
def test_udp_forward_shows_the_sender_and_answers_from_the_port(images, path: str,
                                                               monkeypatch):
    """The NIC thread's batched path for -p …/udp (udpfwd.pxi) and libslirp's
    own give the guest the same view: a loopback sender appears as the
    gateway with its port, datagrams above one frame arrive whole (IP
    fragments), and answers come back from the forwarded port."""
    if path == "libslirp":
        monkeypatch.setenv("UNIK_SLIRP_UDP_SLOW", "1")
    port = free_port(socket.SOCK_DGRAM)
    g = Background(images["udp_peer"], user_net(f"{port}:7/udp"), cmdline="7")
    g.wait_for("udp peer on port 7")
    sizes = [1, 64, 1472, 1473, 4000, 30000]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(10)
        mine = s.getsockname()[1]
        for size in sizes:
            msg = bytes(i % 251 for i in range(size))
            s.sendto(msg, ("127.0.0.1", port))
            data, src = s.recvfrom(65536)
            assert data == msg[::-1]
            assert src == ("127.0.0.1", port)
        s.sendto(b"quit", ("127.0.0.1", port))
    assert g.join() == 0, g.output
    for size in sizes:
        assert f"from 10.0.2.2:{mine} size {size}" in g.output


def test_udp_bursts_from_two_clients_come_back_datagram_by_datagram(images, monkeypatch,
                                                                   capsys):
    """Bursts of same-sized datagrams from two clients at once: the batched
    path sends a run of same-sized replies to one peer as one UDP GSO
    message (udpfwd.pxi); each client must still get its own datagrams,
    each whole and separate, in order — sizes mixed in to cut the runs."""
    monkeypatch.setenv("UNIK_NET_STATS", "1")
    port = free_port(socket.SOCK_DGRAM)
    g = Background(images["udp_echo"], user_net(f"{port}:7/udp"), cmdline="7")
    g.wait_for("udp echo on port 7")
    sizes = [64] * 40 + [1] + [64] * 20 + [1472] * 30 + [100, 2000, 100]  # echo reads 2048 at most
    clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    total = 0
    try:
        for c in clients:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            c.bind(("127.0.0.1", 0))
            c.settimeout(10)
        for burst in range(5):
            sent: list[list[bytes]] = [[], []]
            for start in range(0, len(sizes), 10):   # the clients' runs interleaved
                for n, c in enumerate(clients):
                    for i in range(start, min(start + 10, len(sizes))):
                        msg = bytes((burst * 7 + i * 3 + n + k) % 251 for k in range(sizes[i]))
                        c.sendto(msg, ("127.0.0.1", port))
                        sent[n].append(msg)
            for n, c in enumerate(clients):
                got = [c.recvfrom(65536)[0] for _ in sent[n]]
                assert got == sent[n], f"client {n}, burst {burst}"
            total += 2 * len(sizes)
        clients[0].sendto(b"quit", ("127.0.0.1", port))
    finally:
        for c in clients:
            c.close()
    assert g.join() == 0, g.output
    assert f"echoed {total} datagrams" in g.output
    # The runs did leave as GSO messages (else this test proves nothing new).
    logged = g.output + capsys.readouterr().err
    m = re.search(r"'udp_fast_gso_msgs': (\d+)", logged)
    assert m and int(m.group(1)) > 0, logged


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_http_hello_answers_curl_through_p(images):
    port = free_port()
    g = Background(images["http_hello"], user_net(f"{port}:80"), cmdline="80 3")
    g.wait_for("http on port 80")
    for _ in range(3):
        r = subprocess.run(["curl", "-s", "--max-time", "20", f"http://127.0.0.1:{port}/"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert r.stdout == "Hello from a unik guest!\n"
    assert g.join() == 0
    assert "served 3 requests on 3 connections" in g.output


def test_1000_tcp_connections_opened_and_closed(images):
    port = free_port()
    g = Background(images["http_hello"], user_net(f"{port}:80"), cmdline="80 1000",
                   timeout=600)
    g.wait_for("http on port 80")
    for i in range(1000):
        with socket.create_connection(("127.0.0.1", port), timeout=20) as c:
            c.sendall(b"GET /%d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % i)
            data = recv_to_close(c)
        assert data.endswith(b"Hello from a unik guest!\n"), (i, data)
    assert g.join(300) == 0
    assert "served 1000 requests on 1000 connections" in g.output


def test_a_client_port_reused_while_the_guest_holds_time_wait(images):
    # The guest closes first ("Connection: close"), so it keeps each
    # connection in TIME_WAIT; a client that connects again from the same
    # port (as busy load generators do once their ports wrap) must get a
    # new connection, not a reset (core/native/net/tcp_reuse.c).
    port = free_port()
    n = 20
    g = Background(images["http_hello"], user_net(f"{port}:80"), cmdline=f"80 {n}")
    g.wait_for("http on port 80")
    client_port = 0
    for i in range(n):
        with socket.socket() as c:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            c.settimeout(20)
            c.bind(("127.0.0.1", client_port))
            client_port = c.getsockname()[1]
            c.connect(("127.0.0.1", port))
            c.sendall(b"GET /%d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % i)
            data = recv_to_close(c)
        assert data.endswith(b"Hello from a unik guest!\n"), (i, data)
    assert g.join() == 0
    assert f"served {n} requests on {n} connections" in g.output


def test_many_connections_open_at_once(images):
    port = free_port()
    n = 200
    g = Background(images["http_hello"], user_net(f"{port}:80"), cmdline=f"80 {n}")
    g.wait_for("http on port 80")
    conns = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(n)]
    for i, c in enumerate(conns):
        c.sendall(b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % i)
    for c in conns:
        assert c.recv(4096).endswith(b"Hello from a unik guest!\n")
    for c in conns:                     # a second request on each, still open
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    for c in conns:
        assert c.recv(4096).endswith(b"Hello from a unik guest!\n")
        c.close()
    assert g.join() == 0
    assert f"served {2 * n} requests on {n} connections" in g.output


def _line_server() -> tuple[socket.socket, threading.Thread]:
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve() -> None:
        for turn in range(2):               # the echo, then the non-blocking connect
            c, _addr = srv.accept()
            with c:
                c.settimeout(10)
                line = c.recv(1024) if turn == 0 else b""
                if line:
                    c.sendall(b"host got: " + line)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv, t


def test_c_program_with_plain_sockets_connects_out(images):
    srv, t = _line_server()
    port = srv.getsockname()[1]
    # 10.0.2.2 is the user network's router: the host's loopback, as in QEMU.
    r = boot(images["tcp_client"], user_net(), cmdline=f"10.0.2.2 {port}")
    srv.close()
    assert r.status == 0, r.output
    assert "answer: host got: ping from the guest" in r.output
    assert "connected 10.0.2.15:" in r.output
    assert "SUCCESS" in r.output


def test_two_nics(images):
    spec = DeviceSpecs(nics=parse_nics(["user", "user"], []))
    r = boot(images["net_arp"], spec, cmdline="eth1 3")
    assert r.status == 0, r.output
    assert "router 10.0.3.2 is at" in r.output
    r = boot(images["net_arp"], spec, cmdline="eth0 2")
    assert r.status == 0 and "router 10.0.2.2 is at" in r.output, r.output


def test_no_nic_leaves_loopback_alone(images):
    """Without a NIC the stack still has 127.0.0.1 (as a Linux process in a
    network namespace of its own would); the outside is unreachable."""
    r = boot(images["tcp_client"], DeviceSpecs(), cmdline="10.0.2.2 80")
    assert r.status == 1, r.output
    assert "connect(" in r.output and "errno 113" in r.output, r.output     # EHOSTUNREACH
    r = boot(images["loop_udp"], DeviceSpecs(), cmdline="3000")
    assert r.status == 0 and "echoed 3000 datagrams of 64 bytes" in r.output, r.output
    r = boot(images["loop_http"], DeviceSpecs(), cmdline="1000")
    assert r.status == 0 and "served 1000 requests, 13000 body bytes" in r.output, r.output


def test_socket_timeouts_as_on_linux(images):
    """SO_RCVTIMEO/SO_SNDTIMEO: recvfrom, accept, recv and send give up with
    EAGAIN once the timeout has passed (and not before), accepted sockets
    inherit it, getsockopt reads it back, a bad tv_usec is EDOM; FIONREAD,
    FIONBIO, sendmmsg/recvmmsg, SO_LINGER's abortive close (the guest
    program passes as a Linux process too)."""
    r = boot(images["sock_timeouts"], DeviceSpecs(), timeout=60)
    assert r.status == 0, r.output
    for what in ("udp recvfrom", "accept", "tcp recv", "tcp send",
                 "the accepted socket inherits SO_RCVTIMEO", "tv_usec 1000000: EDOM",
                 "FIONREAD on a datagram socket", "FIONBIO: EAGAIN at once",
                 "FIONREAD on a stream socket", "sendmmsg", "recvmmsg with MSG_WAITFORONE",
                 "SO_LINGER set and read back", "SO_LINGER 0: the peer sees a reset"):
        assert f"{what}: ok" in r.output, r.output
    assert r.output.rstrip().endswith("PASS"), r.output


def test_epoll_edge_triggered_and_one_shot_as_on_linux(images):
    """EPOLLET reports a rising bit or new input once, not every wait;
    EPOLLONESHOT goes quiet after one event until EPOLL_CTL_MOD; level
    items keep reporting (the guest program passes as a Linux process too)."""
    r = boot(images["epoll_modes"], DeviceSpecs(), timeout=60)
    assert r.status == 0, r.output
    for what in ("et: no second event for the same data", "et: more data, a new event",
                 "oneshot: then nothing, data or not", "oneshot: re-armed by MOD",
                 "level: every wait while readable", "et stream: writable is not news",
                 "et listener: the next connection"):
        assert f"{what}: ok" in r.output, r.output
    assert r.output.rstrip().endswith("PASS"), r.output


def test_localhost_resolves_as_on_linux(images):
    """The core's /etc/hosts names localhost, with a NIC and without one
    (DNS does not answer it: before, a lookup waited out musl's 5 s DNS
    timeout without a NIC and failed with one)."""
    for spec in (DeviceSpecs(), user_net()):
        r = boot(images["resolve"], spec, cmdline="localhost", timeout=60)
        assert r.status == 0 and "localhost is 127.0.0.1" in r.output, r.output


def test_loopback_beside_a_nic(images):
    r = boot(images["loop_http"], user_net(), cmdline="500")
    assert r.status == 0 and "served 500 requests" in r.output, r.output


def _can_tap() -> bool:
    return os.geteuid() == 0 and os.path.exists("/dev/net/tun") and shutil.which("ip") \
        is not None and shutil.which("ping") is not None


ECHO_CLIENT = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(b"over tap", (sys.argv[1], 7))
print(s.recvfrom(100)[0].decode())
s.sendto(b"quit", (sys.argv[1], 7))
"""


@pytest.mark.skipif(not _can_tap(), reason="needs root, /dev/net/tun, ip and ping for a TAP")
def test_ping_and_udp_over_tap_in_a_private_namespace(images):
    """The TAP interface is moved into a network namespace made for the test,
    so every packet stays between the guest and that namespace."""
    name = f"unik{os.getpid() % 100000}"
    ns = f"{name}ns"
    guest_ip = "10.213.0.2"
    spec = DeviceSpecs(nics=parse_nics([f"tap:{name},ip={guest_ip}/24"], []))
    subprocess.run(["ip", "netns", "add", ns], check=True)
    g = Background(images["udp_echo"], spec, cmdline="7")
    try:
        g.wait_for("udp echo on port 7")
        in_ns = ["ip", "netns", "exec", ns]
        for cmd in (["ip", "link", "set", name, "netns", ns],
                    [*in_ns, "ip", "addr", "add", "10.213.0.1/24", "dev", name],
                    [*in_ns, "ip", "link", "set", name, "up"]):
            subprocess.run(cmd, check=True)
        r = subprocess.run([*in_ns, "ping", "-c", "3", "-W", "5", guest_ip],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "3 received" in r.stdout
        r = subprocess.run([*in_ns, sys.executable, "-c", ECHO_CLIENT, guest_ip],
                           capture_output=True, text=True, timeout=60)
        assert r.stdout.strip() == "over tap", r.stderr
        assert g.join() == 0
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


DNS_SERVER = """
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
print("ready", flush=True)
s.settimeout(60)
q, peer = s.recvfrom(512)
qid, = struct.unpack("!H", q[:2])
end = 12
while q[end]:
    end += q[end] + 1
question = q[12:end + 5]
answer = (struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question
          + struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton("10.213.0.99"))
s.sendto(answer, peer)
"""


@pytest.mark.skipif(not _can_tap(), reason="needs root, /dev/net/tun and ip for a TAP")
def test_getaddrinfo_through_the_configured_resolver(images):
    """--net tap:…,dns=… becomes /etc/resolv.conf; musl's resolver asks that
    server (a tiny one in a private namespace) over the guest's UDP."""
    name = f"unikd{os.getpid() % 10000}"
    ns = f"{name}ns"
    spec = DeviceSpecs(nics=parse_nics([f"tap:{name},ip=10.213.0.2/24,dns=10.213.0.1"], []))
    subprocess.run(["ip", "netns", "add", ns], check=True)
    in_ns = ["ip", "netns", "exec", ns]
    dns = None
    try:
        g = Background(images["resolve"], spec, cmdline="unik.test 2")
        end = time.monotonic() + 30
        while subprocess.run(["ip", "link", "show", name], capture_output=True).returncode:
            assert time.monotonic() < end, g.output      # the runner makes the TAP
            time.sleep(0.05)
        for cmd in (["ip", "link", "set", name, "netns", ns],
                    [*in_ns, "ip", "addr", "add", "10.213.0.1/24", "dev", name],
                    [*in_ns, "ip", "link", "set", name, "up"]):
            subprocess.run(cmd, check=True)
        dns = subprocess.Popen([*in_ns, sys.executable, "-c", DNS_SERVER, "10.213.0.1"],
                               stdout=subprocess.PIPE, text=True)
        assert dns.stdout is not None and dns.stdout.readline().strip() == "ready"
        assert g.join() == 0, g.output
        assert "resolv.conf: nameserver 10.213.0.1" in g.output
        assert "unik.test is 10.213.0.99" in g.output
    finally:
        if dns is not None:
            dns.kill()
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def test_under_qemu_devices_are_absent_not_broken(images):
    """Under QEMU without --net/-p/--disk (no virtio devices): the same image
    boots; with no NIC only loopback is there, so reaching the host fails
    cleanly (EHOSTUNREACH: no route); a disk is not there."""
    from unik.testing import boot_image

    r = boot_image(images["tcp_client"], host="qemu", cmdline="10.0.2.2 80", timeout=120)
    assert r.status == 1, r.output
    assert "connect(" in r.output and "errno 113" in r.output, r.output
    r = boot_image(images["block_crash"], host="qemu", timeout=120)
    assert r.status == 1 and "no disk" in r.output, r.output
