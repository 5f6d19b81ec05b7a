"""The guest's malloc family is mimalloc (core/toolchain/mimalloc.py), musl's stays
behind it, and the archive holds no `syscall` instruction."""

from __future__ import annotations

import subprocess
from pathlib import Path

from unik.image import checks
from unik.testing import Guest, boot_image, kvm_usable

PROGRAM = r"""
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    void *blocks[1000];
    for (int i = 0; i < 1000; i++) {
        blocks[i] = malloc((size_t)(i * 37 % 5000) + 1);
        memset(blocks[i], i, (size_t)(i * 37 % 5000) + 1);
    }
    for (int i = 0; i < 1000; i += 2)
        free(blocks[i]);
    void *big = calloc(1 << 20, 8);                 /* 8 MiB, zeroed */
    long sum = 0;
    for (size_t i = 0; i < (8u << 20); i += 4096)
        sum += ((unsigned char *)big)[i];
    void *aligned = NULL;
    int rc = posix_memalign(&aligned, 1 << 16, 1000);
    printf("calloc zero: %d, posix_memalign: %d aligned %d, usable >= 112: %d\n", sum == 0,
           rc, ((unsigned long)aligned & 0xffff) == 0, malloc_usable_size(blocks[3]) >= 112);
    free(big);
    free(aligned);
    return 0;
}
"""


def _symbols(image: Path) -> dict[str, int]:
    out = subprocess.run(["nm", "--defined-only", str(image)], capture_output=True, text=True,
                         check=True).stdout
    syms: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def test_malloc_is_mimalloc_and_works(tmp_path):
    built = Guest.create(tmp_path, "c", {"main.c": PROGRAM}).build()
    syms = _symbols(built.debug)
    assert "mi_malloc" in syms, "mimalloc is not linked"
    assert syms["malloc"] == syms["mi_malloc"], "malloc is not mimalloc's"
    assert checks.find_syscalls(built.debug) == []
    r = boot_image(built.image, cpu="kvm" if kvm_usable() else "soft", timeout=120)
    assert r.status == 0, r.output
    assert r.stdout == ("calloc zero: 1, posix_memalign: 0 aligned 1, usable >= 112: 1\n"), \
        r.output
