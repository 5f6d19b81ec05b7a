"""The core's glibc-compatibility layer (core/native/compat/), called as a library
Debian built against glibc calls it: in bounds the `__*_chk` functions do the work;
a failed check prints glibc's message on stderr and aborts (status 126)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unik.testing import Guest, boot_image, kvm_usable

PROGRAM = (Path(__file__).parent / "guests" / "fortify.c").read_text()
HOST = ("runner", "kvm") if kvm_usable() else ("runner", "soft")


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("compat")
    return Guest.create(d, "c", {"main.c": PROGRAM}, name="fortify").build().image


def test_in_bounds_calls_do_the_work(image):
    r = boot_image(image, host=HOST[0], cpu=HOST[1], timeout=60)
    assert r.status == 0, r.output
    assert r.stdout == ("in bounds: 0123456789abcde\nprintf: 42-xyz\n"
                        "fdelt(70) = 1, fcntl64(1, F_GETFD) = 0, isnan = 1\nSUCCESS\n"), r.output


@pytest.mark.parametrize("how", ["overflow", "strcpy", "fdelt"])
@pytest.mark.parametrize("host", [pytest.param(HOST, id="runner"),
                                  pytest.param(("qemu", "auto"), id="qemu")])
def test_a_failed_check_aborts_with_glibcs_message(image, how, host):
    r = boot_image(image, host=host[0], cpu=host[1], cmdline=how, timeout=60)
    assert r.status == 126, r.output
    assert "*** buffer overflow detected ***: terminated" in r.stderr, r.output
    assert "SUCCESS" not in r.stdout
