"""A guest that recurses off the bottom of its main stack: the runner's crash
report says it is a stack overflow (a page fault at the stack pointer in the
guard pages), not only "page fault", and the status is 125. A wild write far
from the stack is not called one."""

from __future__ import annotations

import pytest

from unik.testing import Guest, kvm_usable

PROGRAM = r"""
#include <stdio.h>
#include <stdint.h>
static long down(long n)
{
    volatile char frame[256];
    frame[0] = (char)n;
    return n == 0 ? 0 : down(n + 1) + frame[0];
}
int main(int argc, char **argv)
{
    printf("start\n");
    fflush(stdout);
    if (argc > 1) {
        *(volatile long *)(uintptr_t)0x7f0000000000ul = 1;   /* far from any stack */
        return 0;
    }
    return (int)down(1);
}
"""

NO_KVM = pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
CPUS = [pytest.param("kvm", marks=NO_KVM), "soft"]


@pytest.fixture(scope="module")
def guest(tmp_path_factory) -> Guest:
    return Guest.create(tmp_path_factory.mktemp("so"), "c",
                        {"main.c": PROGRAM},
                        name="overflow")


@pytest.mark.parametrize("cpu", CPUS)
def test_recursion_off_the_stack_is_named(guest: Guest, cpu: str):
    r = guest.boot(cpu=cpu, memory_mib=64, timeout=120)
    assert r.status == 125, r.output
    assert "start" in r.stdout
    assert "page fault" in r.stderr and "a stack overflow" in r.stderr, r.stderr


def test_a_wild_write_is_not_a_stack_overflow(guest: Guest):
    r = guest.boot(cmdline="wild", memory_mib=64, timeout=120)
    assert r.status == 125, r.output
    assert "page fault" in r.stderr
    assert "stack overflow" not in r.stderr, r.stderr
