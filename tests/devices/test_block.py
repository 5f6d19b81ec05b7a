"""Block devices end to end: blkfront in the guest, blkback in the runner."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from devboot import CPUS, boot

from unik.runner.devices import DeviceSpecs, prepare_disk


def _pattern(n: int) -> bytes:
    out = bytearray()
    for off in range(0, n, 8):
        out += ((off * 0x9e3779b97f4a7c15) & (2**64 - 1)).to_bytes(8, "little")
    return bytes(out)


@pytest.mark.parametrize("cpu", CPUS)
def test_64_mib_written_and_read_back(images, tmp_path: Path, cpu: str):
    disk = tmp_path / "disk.img"
    mib = 64 if cpu == "kvm" else 8                 # the software CPU is ~100x slower
    r = boot(images["block_rw"], DeviceSpecs([prepare_disk(disk, (mib + 1) << 20)]),
             cmdline=str(mib), cpu=cpu, timeout=600)
    assert r.status == 0, r.output
    assert "SUCCESS" in r.output, r.output
    # The file holds exactly what the guest wrote: checked on the host too.
    data = disk.read_bytes()
    assert hashlib.sha256(data[:mib << 20]).digest() == hashlib.sha256(
        _pattern(mib << 20)).digest()
    assert data[mib << 20:] == bytes(1 << 20)       # nothing beyond it


def test_guest_crash_loses_nothing_acknowledged(images, tmp_path: Path):
    disk = tmp_path / "disk.img"
    spec = DeviceSpecs([prepare_disk(disk, 4 << 20)])
    r = boot(images["block_crash"], spec, cmdline="write")
    assert r.status == 125, r.output            # the guest crashed
    assert "crashing" in r.output
    r = boot(images["block_crash"], DeviceSpecs([prepare_disk(disk, None)]), cmdline="check")
    assert r.status == 0, r.output
    assert "SUCCESS" in r.output


def test_no_disk_is_a_clean_error(images):
    r = boot(images["block_crash"], DeviceSpecs())
    assert r.status == 1 and "no disk" in r.output, r.output


def test_read_only_file_is_a_read_only_disk(images, tmp_path: Path):
    disk = tmp_path / "ro.img"
    disk.write_bytes(bytes(4 << 20))
    spec = DeviceSpecs([prepare_disk(disk, None)])
    spec.disks[0].readonly = True
    r = boot(images["block_crash"], spec, cmdline="write")
    assert r.status == 1 and "write failed" in r.output, r.output
    assert disk.read_bytes() == bytes(4 << 20)


@pytest.mark.parametrize("cpu", CPUS)
def test_dev_xvda_with_plain_posix_and_stdio(images, tmp_path: Path, cpu: str):
    disk = tmp_path / "disk.img"
    r = boot(images["block_file"], DeviceSpecs([prepare_disk(disk, 4 << 20)]), cpu=cpu)
    assert r.status == 0 and "SUCCESS" in r.output, r.output
    data = disk.read_bytes()
    assert data[500:545] == b"hello, block device, across a sector boundary"
    assert data[10000:10006] == b"abcdef"
    assert data[20000:20014] == b"stdio line 42\n"


def test_a_disk_past_4_gib_through_linux_fs_h(images, tmp_path: Path):
    """A 10 GiB (sparse) disk: <linux/fs.h> compiles, BLKGETSIZE64 gives its
    size, and data written beyond 32-bit offsets lands in the file there."""
    disk = tmp_path / "big.img"
    r = boot(images["block_big"], DeviceSpecs([prepare_disk(disk, 10 << 30)]), timeout=120)
    assert r.status == 0 and "size 10737418240" in r.output and "PASS" in r.output, r.output
    assert "at the end: 0" in r.output, r.output
    with disk.open("rb") as f:
        f.seek(8 << 30)
        assert f.read(4096) == b"a" * 4096
        f.seek((5 << 30) + 512)
        assert f.read(4096) == b"c" * 4096
