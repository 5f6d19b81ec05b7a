"""The same images as Xen PV domUs: `xl create` on a Linux dom0 of Xen 4.17,
nested in QEMU (TCG), compared with the runner (issue 21, item 9).

One dom0 boot (a few minutes under TCG) runs every guest in turn; each test
reads its part. Needs Xen (as test_xen_dom0.py) and a Linux dom0 with Xen's
tools unpacked into the cache by scripts/setup ($UNIK_CACHE/xen/dom0).
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
import xendomu
from test_xen_dom0 import XEN

from unik import runner
from unik.cache import cache_root

ROOT = xendomu.dom0_root(cache_root())
pytestmark = [
    pytest.mark.skipif(XEN is None, reason="no Xen hypervisor binary (set UNIK_XEN_HYPERVISOR)"),
    pytest.mark.skipif(ROOT is None, reason="no Linux dom0 in the cache (scripts/setup "
                       "unpacks Debian's linux-image-amd64 and xen-utils-4.17)"),
    pytest.mark.skipif(not xendomu.have_tools(), reason="no QEMU"),
]

PROGRAMS = {
    "hello": '#include <stdio.h>\nint main(void) { printf("Hello, unik!\\n"); return 0; }\n',
    "exit42": '#include <stdio.h>\nint main(void) { printf("bye\\n"); return 42; }\n',
    "null": '#include <stdio.h>\nint main(void) { printf("before\\n"); fflush(stdout);\n'
            '  volatile long *p = (long *)8; printf("after %ld\\n", *p); return 0; }\n',
}


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    from unik.testing import Guest
    d = tmp_path_factory.mktemp("domu")
    built = {name: Guest.create(d, "c", {"main.c": src}, name=name).build().image
             for name, src in PROGRAMS.items()}
    built["hello_pvh"] = built["hello"]
    return built


@pytest.fixture(scope="module")
def domu(images, tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("xen-domu")
    xen = tmp / "xen.elf"
    data = XEN.read_bytes()
    xen.write_bytes(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    return xendomu.boot(xen, ROOT, images, tmp)


def on_runner(image: Path, *, stderr: bool = False) -> tuple[int, str]:
    """(status, the guest's stdout; with stderr, then its stderr: unik's reports)."""
    out, err = io.BytesIO(), io.BytesIO()
    status = runner.run(image, out=out, err=err)
    return status, (out.getvalue() + (err.getvalue() if stderr else b"")).decode()


def split(text: str) -> tuple[list[str], str]:
    """(the domU's console lines, xl's state letters: s shut down, c crashed)."""
    lines, state = [], ""
    for ln in text.splitlines():
        if ln.startswith("=== unik domU ") and " state:" in ln:
            state = ln.split("state:")[1].strip()
        elif ln.startswith("=== unik domU "):
            continue
        elif ln and ln != "Terminated":
            lines.append(ln)
    return lines, state


def test_hello_as_domu_prints_what_the_runner_prints(domu, images):
    lines, state = split(domu["hello"])
    status, out = on_runner(images["hello"])
    assert status == 0
    assert lines == [*out.splitlines(), "unik: exit status 0"], domu["hello"]
    assert "s" in state                             # shut down (poweroff), not crashed


def store_status(text: str) -> str:
    """What dom0 read at /local/domain/<id>/data/unik/exit-status after the exit."""
    mark = " xenstore exit-status: "
    return next((ln.split(mark, 1)[1].strip() for ln in text.splitlines() if mark in ln), "")


def test_exit_status_is_the_last_console_line(domu, images):
    lines, state = split(domu["exit42"])
    assert on_runner(images["exit42"]) == (42, "bye\n")
    assert lines == ["bye", "unik: exit status 42"], domu["exit42"]
    assert "s" in state


@pytest.mark.parametrize("name, status", [("hello", "0"), ("exit42", "42"), ("null", "125")])
def test_exit_status_in_xenstore_for_the_toolstack(domu, name, status):
    assert store_status(domu[name]) == status, domu[name]


def test_null_pointer_crashes_as_on_the_runner(domu, images):
    lines, state = split(domu["null"])
    status, out = on_runner(images["null"], stderr=True)
    assert status == 125 and "CPU exception #PF" in out
    text = "\n".join(lines)
    assert lines[0] == "before" and "CPU exception #PF page fault" in text, text
    assert "cr2=0x8 " in text and "after" not in text.replace("after %", "")
    assert lines[-1] == "unik: exit status 125"
    assert "c" in state                              # crashed


def test_pvh_domu_is_refused_on_its_console(domu):
    lines, state = split(domu["hello_pvh"])
    # On the PV console (`xl create -c`), not only Xen's debug port ("(d3) ...").
    assert any(ln.startswith("unik: this is Xen PVH, which unik does not support yet")
               for ln in lines), lines
    assert "c" in state
