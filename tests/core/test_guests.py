"""The in-guest tests (core/native/tests/*.c) and the C hello, booted on every host.

Each program is built once as a C project and booted under QEMU (PVH, ring 0),
on the runner with KVM (Xen PV, CPL3) and on the runner's software CPU; every
host must print the same thing and return the same status.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from unik.testing import Guest, Result, boot_image, kvm_usable

NATIVE_TESTS = Path(__file__).resolve().parents[2] / "core" / "native" / "tests"
PROGRAMS = sorted(p.stem for p in NATIVE_TESTS.glob("*.c"))

# name → (exit status, patterns that must all appear in the output)
EXPECT: dict[str, tuple[int, list[str]]] = {
    "hello": (0, [r"Hello, unik!"]),
    "pagefault": (125, [r"(?i)page fault", r"rip", r"cr2"]),
    "exit_status": (7, []),
    "musl_crash": (125, [r"before the crash", r"(?i)invalid (opcode|instruction)"]),
    "syscall_unknown": (0, [r"unimplemented system call", r"SUCCESS"]),
    "signals": (126, [r"SUCCESS", r"sent itself signal 15; stopping"]),
}
DEFAULT = (0, [r"SUCCESS"])

HOSTS = [
    pytest.param(("qemu", "auto"), id="qemu"),
    pytest.param(("runner", "kvm"), id="runner-kvm",
                 marks=pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")),
    pytest.param(("runner", "soft"), id="runner-soft"),
]


class _Images(dict):
    """name → image, each program built on first use."""

    def __init__(self, parent: Path):
        super().__init__()
        self.parent = parent

    def __missing__(self, name: str) -> Path:
        src = (NATIVE_TESTS / f"{name}.c").read_text()
        self[name] = Guest.create(self.parent, "c", {"main.c": src}, name=name).build().image
        return self[name]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> _Images:
    return _Images(tmp_path_factory.mktemp("guests"))


def check(name: str, r: Result) -> None:
    status, patterns = EXPECT.get(name, DEFAULT)
    assert r.status == status, f"{name}: status {r.status}, output:\n{r.output}"
    for pat in patterns:
        assert re.search(pat, r.output), f"{name}: /{pat}/ not in output:\n{r.output}"


def test_programs_exist():
    for name in ["hello", "malloc_stress", "tls", "clock", "pagefault"]:
        assert name in PROGRAMS


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("name", PROGRAMS)
def test_in_guest(built, name: str, host: tuple[str, str]):
    r = boot_image(built[name], host=host[0], cpu=host[1], timeout=120)
    check(name, r)


def test_new_project_builds_and_boots_under_qemu(cli, tmp_path: Path):
    r = cli("new", "hello", "--lang", "c", cwd=tmp_path)
    assert r.status == 0, r.err
    proj = tmp_path / "hello"
    r = cli("build", cwd=proj)
    assert r.status == 0, r.err
    assert re.search(r"hello\.unik \([\d.]+ KiB stripped; entries: PVH 0x[0-9a-f]+.* built in",
                     r.out), r.out
    r = cli("build", cwd=proj)
    assert r.status == 0 and r.out.rstrip().endswith("up to date"), r.out
    main_c = proj / "main.c"
    main_c.write_text(main_c.read_text().replace("Hello, unik!", "Hello again, unik!"))
    r = cli("build", cwd=proj)
    assert r.status == 0 and "built in" in r.out, r.out
    r = cli("run", "--host", "qemu", cwd=proj)
    assert r.status == 0 and "Hello again, unik!" in r.out, (r.out, r.err)
    assert "hello.unik" in r.err and "up to date" in r.err
    r = cli("inspect", cwd=proj)
    assert r.status == 0
    assert re.search(r"PVH \(XEN_ELFNOTE_PHYS32_ENTRY\) 0x[0-9a-f]+", r.out), r.out
    assert "GUEST_OS" in r.out and "'unik'" in r.out
    for origin in ["guest core", "musl libc", "application"]:
        assert re.search(rf"^  {origin}\s+[\d.]+ (KiB|B)\s", r.out, re.M), r.out


def test_image_with_a_syscall_is_refused(cli, tmp_path: Path):
    g = Guest.create(tmp_path, "c", {"main.c": (
        "int main(void){ long r; __asm__ volatile(\"syscall\" : \"=a\"(r) : \"a\"(39L)"
        " : \"rcx\", \"r11\", \"memory\"); return (int)r; }\n")})
    r = cli("build", cwd=g.dir)
    assert r.status == 1 and "`syscall` instruction" in r.err and "main" in r.err, r.err
    assert not (g.dir / "_build" / "t.unik").exists()


def test_qemu_crash_report_is_symbolised(built, cli):
    r = cli("run", "--host", "qemu", "--timeout", "60", str(built["pagefault"]))
    assert r.status == 125
    assert re.search(r"guest crashed at main\+0x[0-9a-f]+", r.err), r.err


ARGV_PROGRAM = r"""
#include <stdio.h>
int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=<%s>\n", i, argv[i]);
    return argc;
}
"""


@pytest.mark.parametrize("host", HOSTS)
def test_command_line_reaches_main(tmp_path: Path, host: tuple[str, str]):
    image = Guest.create(tmp_path, "c", {"main.c": ARGV_PROGRAM}, name="args").build().image
    r = boot_image(image, host=host[0], cpu=host[1], cmdline="one  two three", timeout=60)
    assert r.status == 4, r.output
    assert "argv[1]=<one>\nargv[2]=<two>\nargv[3]=<three>\n" in r.output, r.output


def test_run_passes_arguments_after_the_double_dash(cli, tmp_path: Path):
    g = Guest.create(tmp_path, "c", {"main.c": ARGV_PROGRAM}, name="args")
    r = cli("run", "--", "alpha", "beta", cwd=g.dir)
    assert r.status == 3 and "argv[1]=<alpha>\nargv[2]=<beta>\n" in r.out, (r.out, r.err)


def test_qemu_refuses_memory_the_image_does_not_fit_in(built, cli):
    r = cli("run", "--host", "qemu", "--memory", "1", "--timeout", "30", str(built["hello"]))
    assert r.status == 1 and "--memory 1 MiB is too small for hello.unik" in r.err, r.err
