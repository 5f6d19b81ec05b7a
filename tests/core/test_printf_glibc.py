"""The guest's snprintf/sprintf and string routines give what glibc gives.

tests/core/guests/printf_glibc.c prints, for many formats (widths, precisions,
flags, every length modifier, %s %c %% %p, INT_MIN and the other extremes,
%e %f %g %a, inf and nan), the return value and the buffer of snprintf at
buffer sizes from 0 up (truncation) and of sprintf, then builds a string with
strdup/strlen/strcmp/memcpy/realloc growth. The same source runs as a guest
(the core's fast path, musl's vsnprintf behind it) and as a glibc process on
the host; every line must match. musl and glibc differ on purpose in a few
places (`%p` of a null pointer: "0" against "(nil)"); the program avoids them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from unik.testing import Guest, boot_image, kvm_usable

SOURCE = Path(__file__).parent / "guests" / "printf_glibc.c"

HOSTS = [
    pytest.param(("runner", "kvm"), id="runner-kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param(("qemu", "auto"), id="qemu"),
]


@pytest.fixture(scope="module")
def glibc_output(tmp_path_factory) -> list[str]:
    if shutil.which("gcc") is None:
        pytest.skip("no host gcc to build the glibc reference")
    d = tmp_path_factory.mktemp("printf_glibc_native")
    exe = d / "printf_glibc"
    subprocess.run(["gcc", "-O2", "-w", "-o", str(exe), str(SOURCE)], check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("printf_glibc")
    return Guest.create(d, "c", {"main.c": SOURCE.read_text()}, name="printf_glibc").build().image


def test_the_reference_covers_the_cases(glibc_output):
    text = "\n".join(glibc_output)
    assert glibc_output[-1] == "END"
    assert len(glibc_output) > 350
    for needle in ('snprintf[0]("%d", INT_MIN) -> 11 ""', 'snprintf[3]("%d", INT_MIN) -> 11 "-2"',
                   "sprintf(%p) -> 6 \"0x1234\"", "building: "):
        assert needle in text, needle


@pytest.mark.parametrize("host", HOSTS)
def test_guest_matches_glibc_line_by_line(image, glibc_output, host):
    r = boot_image(image, host=host[0], cpu=host[1], timeout=120)
    assert r.status == 0, r.output
    guest = r.stdout.splitlines()
    diffs = [f"line {i + 1}:\n  glibc {g!r}\n  guest {u!r}"
             for i, (g, u) in enumerate(zip(glibc_output, guest, strict=False)) if g != u]
    assert not diffs, f"{len(diffs)} lines differ:\n" + "\n".join(diffs[:20])
    assert len(guest) == len(glibc_output), (len(guest), len(glibc_output), guest[-3:])
