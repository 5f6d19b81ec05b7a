"""musl for guests: built from Debian's source, no `syscall` left, calls __unik_syscall.

The first run fetches the source and builds musl (~30 s); later runs use the cache.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from unik.cache import cache_root
from unik.toolchain import gcc
from unik.toolchain.musl import Musl, deb_src_lines, ensure_musl, syscall_sites


@pytest.fixture(scope="module")
def musl() -> Musl:
    return ensure_musl(progress=lambda msg: print(f"[musl] {msg}"))


def _disassembly(path: Path) -> str:
    return subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(path)], check=True,
                          capture_output=True, text=True).stdout


# --- the build ---------------------------------------------------------------------


def test_libc_has_no_syscall_instruction(musl: Musl) -> None:
    text = _disassembly(musl.libc)
    # A disassembly that lost its functions would pass trivially; make sure it is libc.
    for fn in ("printf", "malloc", "__clock_gettime", "__syscall_cp_asm", "__restore_rt"):
        assert f"<{fn}>:" in text, fn
    found = re.findall(r"^\s*[0-9a-f]+:\s+(?:rex\S*\s+)?(syscall|sysenter)\b", text, re.M)
    assert found == []


def test_libc_calls_unik_syscall(musl: Musl) -> None:
    nm = subprocess.run(["nm", "-A", str(musl.libc)], capture_output=True, text=True).stdout
    users = {line.split(":")[1] for line in nm.splitlines()
             if re.search(r"\sU __unik_syscall$", line)}
    definers = [line for line in nm.splitlines() if re.search(r"\s[TtWw] __unik_syscall$", line)]
    # The inlines, the cancellable call and the replaced .s files all call it.
    for member in ("getpid.o", "mmap.o", "syscall_cp.o", "__set_thread_area.o", "vfork.o",
                   "restore.o", "clock_gettime.o"):
        assert member in users, member
    assert len(users) > 100
    assert definers == []  # the guest core provides it, not libc


def test_install_layout(musl: Musl) -> None:
    assert musl.prefix.parent == cache_root() / "musl"
    assert musl.include == musl.prefix / "include"
    assert musl.libc == musl.prefix / "lib" / "libc.a"
    assert (musl.include / "stdio.h").is_file()
    assert (musl.include / "fts.h").is_file()  # what Debian's rules add to musl
    # The overlay reached the installed headers' build, not just the source tree.
    assert "__vdso" not in _disassembly(musl.libc)


def test_second_call_is_cached(musl: Musl) -> None:
    messages: list[str] = []
    again = ensure_musl(progress=messages.append)
    assert again == musl
    assert messages == []  # no fetch, no build (speed is bench/'s business, not a test's)


# --- the redirection works: run a static program on the host -----------------------

# __unik_syscall for the host: forwards to Linux, records what musl asked for,
# and answers the calls a unik core answers itself.
HOST_SYSCALL = r"""
long seen[512];
long sendto_args[6];

static long linux_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    long ret;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile ("syscall" : "=a"(ret)
                      : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                      : "rcx", "r11", "memory");
    return ret;
}

long __unik_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    if (n >= 0 && n < 512) seen[n]++;
    switch (n) {
    case 15:  /* rt_sigreturn: the kernel finds the frame at %rsp */
        __asm__ volatile ("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\tud2" :: "r"(a1));
        __builtin_unreachable();
    case 44:  /* sendto: record the arguments the cancellable path passed */
        sendto_args[0] = a1; sendto_args[1] = a2; sendto_args[2] = a3;
        sendto_args[3] = a4; sendto_args[4] = a5; sendto_args[5] = a6;
        return -9;  /* -EBADF */
    case 56: case 57: case 58:  /* no tasks in unik */
        return -38;  /* -ENOSYS */
    }
    return linux_syscall(n, a1, a2, a3, a4, a5, a6);
}
"""

PROGRAM = r"""
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

extern long seen[512];
extern long sendto_args[6];
static volatile sig_atomic_t got_signal;
static int failures;
static long sendto_calls;

#define CHECK(c) do { if (!(c)) { printf("FAIL %s\n", #c); failures++; } } while (0)

static void on_usr1(int sig) { got_signal = sig; }
static void *thread_main(void *arg) { return arg; }
int (*volatile keep_cancel)(pthread_t) = pthread_cancel;  /* links the cancellable path */

static void at_exit(void)
{
    /* Reached through pthread_exit after the cancelled sendto. */
    CHECK(seen[44] == sendto_calls);  /* the cancelled call never reached the core */
    if (!failures) printf("SUCCESS\n");
    fflush(stdout);
}

int main(void)
{
    struct timespec ts;
    CHECK(seen[158] >= 1);  /* arch_prctl(ARCH_SET_FS) from __set_thread_area */
    printf("hello %d\n", 42);

    CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec + ts.tv_nsec > 0);
    CHECK(seen[228] >= 1);  /* no vDSO: clock_gettime is a system call */

    errno = 0;
    CHECK(sendto(3, (void *)0x2222, 0x3333, 0x44, (void *)0x5555, 0x66) == -1);
    CHECK(errno == EBADF);
    CHECK(sendto_args[0] == 3 && sendto_args[1] == 0x2222 && sendto_args[2] == 0x3333 &&
          sendto_args[3] == 0x44 && sendto_args[4] == 0x5555 && sendto_args[5] == 0x66);

    errno = 0;
    CHECK(vfork() == -1 && errno == ENOSYS && seen[58] == 1);

    pthread_t t;
    CHECK(pthread_create(&t, 0, thread_main, 0) == EAGAIN);
    CHECK(seen[56] == 0);  /* __clone answers by itself */

    CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(got_signal == SIGUSR1 && seen[15] == 1);  /* back through __restore_rt */

    void *p = malloc(1 << 20);  /* mmap: six arguments */
    CHECK(p != 0);
    free(p);

    printf("checks done\n");
    fflush(stdout);
    atexit(at_exit);
    sendto_calls = seen[44];
    pthread_cancel(pthread_self());
    sendto(3, 0, 0, 0, 0, 0);  /* cancellation point: __cp_cancel, then pthread_exit */
    printf("FAIL not cancelled\n");
    return 1;
}
"""


def test_static_program_runs_with_redirected_syscalls(musl: Musl, tmp_path: Path) -> None:
    (tmp_path / "host.c").write_text(HOST_SYSCALL)
    (tmp_path / "prog.c").write_text(PROGRAM)
    cflags = ["-O2", "-fno-pie", "-fno-stack-protector", "-nostdinc",
              "-isystem", str(musl.include), "-isystem", str(gcc.include_dir())]
    for name in ("host", "prog"):
        subprocess.run([gcc.gcc(), *cflags, "-c", f"{name}.c", "-o", f"{name}.o"],
                       cwd=tmp_path, check=True)
    lib = musl.prefix / "lib"
    subprocess.run([gcc.gcc(), "-nostdlib", "-static", "-no-pie", "-o", "prog",
                    str(lib / "crt1.o"), str(lib / "crti.o"), "prog.o", "host.o",
                    str(musl.libc), str(gcc.libgcc()), str(lib / "crtn.o")],
                   cwd=tmp_path, check=True)
    # The host stub's own syscalls are in there: the checker sees through a whole program.
    assert syscall_sites(tmp_path / "prog") != []
    run = subprocess.run([str(tmp_path / "prog")], capture_output=True, text=True, timeout=30)
    assert run.stdout.splitlines() == ["hello 42", "checks done", "SUCCESS"], run.stdout
    assert run.returncode == 0


# --- pieces ---------------------------------------------------------------------------


def test_syscall_sites_finds_instructions(tmp_path: Path) -> None:
    (tmp_path / "a.s").write_text(".text\n.globl f\nf: syscall\nret\n"
                                  ".globl g\ng: call f\nret\n.globl h\nh: sysenter\n")
    subprocess.run(["as", "-o", tmp_path / "a.o", tmp_path / "a.s"], check=True)
    subprocess.run(["ar", "rc", tmp_path / "liba.a", tmp_path / "a.o"], check=True)
    assert syscall_sites(tmp_path / "liba.a") == ["a.o:f", "a.o:h"]


def test_deb_src_lines_from_system_sources(tmp_path: Path) -> None:
    parts = tmp_path / "sources.list.d"
    parts.mkdir()
    (parts / "debian.sources").write_text(
        "Types: deb\n"
        "# a comment\n"
        "URIs: http://deb.debian.org/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main contrib\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        "\n"
        "Types: deb\n"
        "URIs: http://security.example/debian-security\n"
        "Suites: bookworm-security\n"
        "Components: main\n"
        "\n"
        "Types: deb\n"
        "Enabled: no\n"
        "URIs: http://disabled.example/\n"
        "Suites: x\n"
        "Components: main\n")
    (tmp_path / "sources.list").write_text(
        "# old style\ndeb [arch=amd64] http://old.example/debian bookworm main # tail\n")
    assert deb_src_lines(tmp_path) == [
        "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
        "http://deb.debian.org/debian bookworm main contrib",
        "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
        "http://deb.debian.org/debian bookworm-updates main contrib",
        "deb-src http://security.example/debian-security bookworm-security main",
        "deb-src [arch=amd64] http://old.example/debian bookworm main",
    ]
