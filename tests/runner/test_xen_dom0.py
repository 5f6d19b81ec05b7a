"""The same images on real Xen: booted as the PV dom0 of Xen 4.17, nested in QEMU (TCG).

Needs a Xen hypervisor binary: $UNIK_XEN_HYPERVISOR, /boot/xen-*.gz, or the copy of
Debian's xen-hypervisor-4.17-amd64 that scripts/setup unpacks into the cache.
Xen boots the image with the PV protocol (start_info, its own page tables, real
machine frames); dom0 writes through console_io, which Xen prints on its serial
line. Xen does not report dom0's exit status, so the tests check what the guest
prints and that Xen saw a clean halt (or the crash).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest


def _find_xen() -> Path | None:
    env = os.environ.get("UNIK_XEN_HYPERVISOR")
    if env:
        return Path(env)
    # scripts/setup unpacks Debian's xen-hypervisor package into the cache.
    from unik.cache import cache_root

    found = sorted([*Path("/boot").glob("xen-*.gz"),
                    *(cache_root() / "xen" / "boot").glob("xen-*.gz")])
    return found[-1] if found else None


XEN = _find_xen()
pytestmark = [
    pytest.mark.skipif(XEN is None, reason="no Xen hypervisor binary (set UNIK_XEN_HYPERVISOR)"),
    pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="no QEMU"),
]

END_MARKS = ("Hardware Dom0 halted", "Hardware Dom0 shutdown", "Hardware Dom0 crashed",
             "Panic on CPU")


@pytest.fixture(scope="module")
def xen_elf(tmp_path_factory) -> Path:
    """Xen as the 32-bit multiboot ELF QEMU's -kernel takes."""
    data = XEN.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    out = tmp_path_factory.mktemp("xen") / "xen.elf"
    out.write_bytes(data)
    return out


def boot_dom0(xen_elf: Path, image: Path, cmdline: str = "",
              timeout: float = 300) -> tuple[str, str]:
    """(what dom0 printed, Xen's last line about dom0)."""
    cmd = ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-m", "256", "-nographic",
           "-no-reboot", "-kernel", str(xen_elf), "-append",
           "console=com1 com1=115200 dom0_mem=32M loglvl=all guest_loglvl=all",
           "-initrd", f"{image} {cmdline}".strip()]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    lines, end = [], ""
    deadline = time.monotonic() + timeout
    try:
        for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            lines.append(line)
            if any(m in line for m in END_MARKS):
                end = line
                break
            if time.monotonic() > deadline:
                break
    finally:
        proc.kill()
        proc.wait()
    # dom0's own output: the lines after Xen hands over, that are not Xen's.
    start = next((i for i, ln in enumerate(lines) if "Freed" in ln and "init memory" in ln), 0)
    out = [ln for ln in lines[start + 1:] if not ln.startswith("(XEN)")]
    return "\n".join(out), end


def test_bare_guest_as_dom0(xen_elf, bare_image):
    out, end = boot_dom0(xen_elf, bare_image, "hello")
    assert "Hello from the bare guest on xen-pv" in out
    assert "Dom0 halted" in end


def test_bare_guest_map_pages_as_dom0(xen_elf, bare_image):
    out, end = boot_dom0(xen_elf, bare_image, "map")
    assert out.startswith("map_a 0\nread A\nmap_b 0\nread B\n"), out
    assert "unmap 0\ntouching unmapped\nunik: CPU exception" in out, out
    assert "Dom0 crashed" in end


def test_bare_guest_clock_as_dom0(xen_elf, bare_image):
    out, end = boot_dom0(xen_elf, bare_image, "clock")
    # Never early; the upper bound is loose because Xen runs under QEMU's TCG
    # on a loaded host, where a 20 ms timer has been seen to fire at 30+ ms.
    slept = int(re.search(r"slept_ms (\d+)", out).group(1))
    assert 20 <= slept < 2000, out
    assert "Dom0 halted" in end


NATIVE_TESTS = Path(__file__).resolve().parents[2] / "core" / "native" / "tests"
# What Xen shows for each in-guest program: output patterns and how dom0 ended.
# Xen does not pass on an exit status; a CPU exception reaches the core's
# trap table (xen/pv_traps.c), which prints the report and crashes the domain.
DOM0_EXPECT = {
    "pagefault": (["CPU exception #PF page fault", "cr2=0x10000001000", "rip="], "crashed"),
    "musl_crash": (["before the crash", "CPU exception"], "crashed"),
    "exit_status": ([], "halted"),
    "syscall_unknown": (["unimplemented system call", "SUCCESS"], "halted"),
    # ends with raise(SIGTERM): status 126 elsewhere, a crashed domain on Xen
    "signals": (["SUCCESS"], "crashed"),
}


OWN = {
    "c_hello": '#include <stdio.h>\nint main(void) { printf("Hello, unik!\\n"); return 0; }\n',
    "c_exit42": "int main(void) { return 42; }\n",
    "c_null": '#include <stdio.h>\nint main(void) { printf("before\\n"); fflush(stdout);\n'
              '  volatile long *p = (long *)8; printf("after %ld\\n", *p); return 0; }\n',
}


@pytest.fixture(scope="module")
def c_images(tmp_path_factory):
    from unik.testing import Guest

    d = tmp_path_factory.mktemp("dom0")

    class Images(dict):
        def __missing__(self, name):
            src = (NATIVE_TESTS / f"{name}.c").read_text() if name not in OWN else OWN[name]
            self[name] = Guest.create(d, "c", {"main.c": src}, name=name).build().image
            return self[name]
    return Images()


def test_c_hello_as_dom0(xen_elf, c_images):
    out, end = boot_dom0(xen_elf, c_images["c_hello"])
    # Xen passes on no status: the core says it as the last console line.
    assert out.strip().endswith("Hello, unik!\nunik: exit status 0"), out
    assert "Dom0 halted" in end


def test_exit_status_is_the_last_console_line_as_dom0(xen_elf, c_images):
    out, end = boot_dom0(xen_elf, c_images["c_exit42"])
    assert out.strip().endswith("unik: exit status 42"), out
    assert "Dom0 halted" in end


def test_null_pointer_faults_as_dom0(xen_elf, c_images):
    """Xen maps the boot region from address 0; the core unmaps the first
    64 KiB, so NULL faults as on the runner and QEMU."""
    out, end = boot_dom0(xen_elf, c_images["c_null"])
    assert "before\n" in out and "CPU exception #PF" in out and "cr2=0x8" in out, out
    assert "\nafter " not in out and re.search(r"cs=e03[0-3] ", out), out   # selector only
    assert "Dom0 crashed" in end


@pytest.mark.parametrize("name", sorted(p.stem for p in NATIVE_TESTS.glob("*.c")))
def test_in_guest_programs_as_dom0(xen_elf, c_images, name):
    patterns, how = DOM0_EXPECT.get(name, (["SUCCESS"], "halted"))
    out, end = boot_dom0(xen_elf, c_images[name])
    for pat in patterns:
        assert pat in out, out
    assert f"Dom0 {how}" in end, (end, out)


def test_stdout_and_stderr_share_the_console_on_xen(xen_elf, tmp_path):
    """Xen has one console per domain: both streams arrive on it, in order."""
    from unik.testing import Guest

    src = (Path(__file__).resolve().parents[1] / "core" / "guests" / "streams.c").read_text()
    image = Guest.create(tmp_path, "c", {"main.c": src}, name="streams").build().image
    out, end = boot_dom0(xen_elf, image, "exit")
    assert "out: stdio\nerr: stdio\nout: write\nerr: write" in out, out
    assert "Dom0 halted" in end


def test_the_environment_arrives_through_xens_cmd_line(xen_elf, tmp_path):
    """What xl's extra= carries on real Xen: NAME=VALUE words, `--`, the arguments."""
    from unik.testing import Guest

    src = ('#include <stdio.h>\n#include <stdlib.h>\n'
           'int main(int argc, char **argv) { printf("HOME=%s G=%s argc=%d last=%s\\n", '
           'getenv("HOME"), getenv("G"), argc, argv[argc - 1]); return 0; }\n')
    image = Guest.create(tmp_path, "c", {"main.c": src}, name="env").build().image
    out, end = boot_dom0(xen_elf, image, "HOME=/root 'G=hi there' -- a 'b c'")
    assert "HOME=/root G=hi there argc=3 last=b c\n" in out, out
    assert "Dom0 halted" in end
