"""unik.api.fetch_debian_source: a Debian source package through a private apt set-up.

Uses GNU hello (a 700 KB source package); the first run downloads it, later
runs use the cache.
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from unik.api import UnikError, fetch_debian_source
from unik.cache import cache_root

pytestmark = pytest.mark.skipif(shutil.which("apt-get") is None or
                                shutil.which("dpkg-source") is None,
                                reason="needs Debian's apt-get and dpkg-source (dpkg-dev)")


def _ctx(said: list[str]) -> SimpleNamespace:
    return SimpleNamespace(progress=said.append)   # all fetch_debian_source uses of ctx


def test_fetches_unpacks_and_caches():
    said: list[str] = []
    src = fetch_debian_source(_ctx(said), "hello")
    assert src.package == "hello" and src.version.startswith(src.upstream + "-")
    assert src.dsc.is_file() and src.dsc.parent.parent == cache_root() / "debian-src" / "hello"
    assert src.tree is not None and (src.tree / "src" / "hello.c").is_file()
    again: list[str] = []
    assert fetch_debian_source(_ctx(again), "hello") == src
    assert again == []                    # cached: no download, no unpacking, no progress


def test_without_unpacking():
    src = fetch_debian_source(_ctx([]), "hello", unpack=False)
    assert src.tree is None and src.dsc.name.startswith("hello_")


@pytest.mark.parametrize("bad", ["Hello World", "../etc", ""])
def test_bad_package_name(bad: str):
    with pytest.raises(UnikError, match="is not a Debian package name"):
        fetch_debian_source(_ctx([]), bad)


def test_unknown_package_is_one_line():
    with pytest.raises(UnikError) as info:
        fetch_debian_source(_ctx([]), "no-such-package-unik-test")
    msg = str(info.value)
    assert "apt-get source --download-only no-such-package-unik-test" in msg
    assert "\n" not in msg
    assert not (cache_root() / "debian-src" / "no-such-package-unik-test" / "download").exists()
