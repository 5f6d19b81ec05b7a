"""Guest memory like a process's (issue 14): a generous default, boot costs
what the guest touches, and running out is one clear line.

C programs built with the real core and musl; the OCaml case is in
tests/plugins/test_ocaml_memory.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import CPUS

from unik import runner
from unik.testing import Guest, kvm_usable

KVM = pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm (the soft CPU would "
                         "take minutes to touch 512 MiB)")

PROGRAMS = {
    "hello": '#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n',
    "touch": r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    size_t n = 512u << 20;
    char *p = malloc(n);
    if (!p) { printf("malloc failed\n"); return 1; }
    memset(p, 1, n);
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i += 4096) sum += p[i];
    printf("touched %zu MiB, %lu\n", n >> 20, sum);
    return 0;
}
""",
    "mmap64": r"""
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
int main(void) {
    size_t n = 64u << 20;
    char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { printf("mmap failed\n"); return 1; }
    memset(p, 7, n);
    printf("mapped %d\n", p[n - 1]);
    return munmap(p, n);
}
""",
    "oom": r"""
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    void *p = malloc((size_t)2 << 30);
    printf("malloc(2 GiB): %s\n", p ? "a pointer" : "NULL");
    void *q = malloc((size_t)3 << 30);
    printf("malloc(3 GiB): %s\n", q ? "a pointer" : "NULL");
    void *small = malloc(100);
    printf("malloc(100): %s\n", small ? "a pointer" : "NULL");
    return p ? 0 : 3;
}
""",
}

OOM_LINE = ("unik: out of memory: the guest's 64 MiB of RAM are in use; give it more with "
            "`unik run --memory MiB` or `memory` in unik.toml's [run]")


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    parent = tmp_path_factory.mktemp("memory")
    return {name: Guest.create(parent / name, "c", {"main.c": src}, name=name).build().image
            for name, src in PROGRAMS.items()}


def boot(image: Path, cpu: str = "auto", **kw) -> tuple[int, str, runner.Result]:
    """(status, the guest's stdout, the Result); its stderr is in r.stderr_text."""
    out, err = io.BytesIO(), io.BytesIO()
    r = runner.boot(image, cpu=cpu, out=out, err=err, **kw)
    r.stderr_text = err.getvalue().decode(errors="replace")
    return r.status, out.getvalue().decode(errors="replace"), r


def test_default_memory_is_a_gibibyte(images):
    from unik.runner import image as image_mod
    assert runner.default_memory(image_mod.load(images["hello"])) == 1024 << 20


@KVM
def test_512_mib_malloc_and_touch_without_memory_option(images):
    status, out, _ = boot(images["touch"], "kvm")
    assert (status, out) == (0, "touched 512 MiB, 131072\n")


@pytest.mark.parametrize("cpu", CPUS)
def test_mmap_64_mib_without_memory_option(images, cpu):
    assert boot(images["mmap64"], cpu)[:2] == (0, "mapped 7\n")


@pytest.mark.parametrize("cpu", CPUS)
def test_out_of_memory_is_one_line_and_malloc_returns_null(images, cpu):
    status, out, r = boot(images["oom"], cpu, memory_mib=64)
    assert status == 3
    assert out.splitlines() == ["malloc(2 GiB): NULL", "malloc(3 GiB): NULL",
                                "malloc(100): a pointer"]
    assert r.stderr_text.splitlines() == [OOM_LINE]        # the core's line: on stderr, once


@pytest.mark.parametrize("cpu", CPUS)
def test_boot_touches_the_same_pages_whatever_the_ram(images, cpu):
    """Boot costs what the guest touches, not what it is given: no p2m list,
    no bitmaps over all RAM (each host page first touched costs a fault)."""
    pages = {}
    for mib in (32, 4096):
        status, out, r = boot(images["hello"], cpu, memory_mib=mib)
        assert (status, out) == (0, "hi\n")
        pages[mib] = r.pages
    assert pages[4096] - pages[32] <= 8, pages


def test_the_biggest_memory_boots(images):
    status, out, r = boot(images["hello"], "auto", memory_mib=runner.MAX_MEMORY_MIB)
    assert (status, out) == (0, "hi\n")
    assert r.pages < 200
