"""A TAP device as the network behind netback (`unik run --net tap:NAME`).

The guest's frames go out on the host's TAP interface NAME and frames the
host sends there come in: bridge it or route to it for real set-ups. Opening
a TAP device needs CAP_NET_ADMIN (or a device made beforehand with
`ip tuntap add NAME mode tap user USER`).
"""

from __future__ import annotations

import fcntl
import os
import struct

from ..errors import UnikError
from .netring import HostNet

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000


class TapNet:
    def __init__(self, name: str) -> None:
        if not name or len(name) > 15:
            raise UnikError(f"--net tap:{name}: an interface name of 1..15 characters")
        self.name = name
        try:
            self.fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as e:
            raise UnikError(f"--net tap:{name}: cannot open /dev/net/tun: {e.strerror}") from None
        try:
            fcntl.ioctl(self.fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
        except OSError as e:
            os.close(self.fd)
            hint = " (needs root or CAP_NET_ADMIN)" if e.errno == 1 else ""
            raise UnikError(f"--net tap:{name}: {e.strerror}{hint}") from None
        # One frame per read() and write(): netback's thread moves them (netring.pyx).
        self.host = HostNet()
        self.host.use_fd(self.fd)

    def close(self) -> None:
        self.host.detach()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
