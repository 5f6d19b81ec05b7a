"""Size by origin from a GNU ld map: both input-section line forms, .bss apart,
debug sections and what comes before the memory map ignored."""

from __future__ import annotations

from pathlib import Path

from unik.image.mapfile import origin, sizes_by_origin

MAP = """\
Discarded input sections

 .text.unused   0x0000000000000000      0x999 /p/_build/obj/main.c.o

Memory Configuration

Linker script and memory map

.text           0x0000000000100000     0x2000
 .text.unik_entry
                0x0000000000100000      0x100 /root/.cache/unik/core/abc/arch__x86_64__pvh_entry.S.o
 .text.main     0x0000000000100100       0x40 /p/_build/obj/main.c.o
 *fill*         0x0000000000100140        0xc0
 .text.printf   0x0000000000100200      0x200 /root/.cache/unik/musl/k/lib/libc.a(printf.o)
 .text          0x0000000000100400       0x30 /usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a(_udivti3.o)
 .text          0x0000000000100430       0x10 /usr/lib/ocaml/libasmrun.a(startup.o)

.bss            0x0000000000200000     0x1000
 .bss.stack     0x0000000000200000     0x1000 /root/.cache/unik/core/abc/kernel__main.c.o

.debug_info     0x0000000000000000    0x9999
 .debug_info    0x0000000000000000    0x9999 /p/_build/obj/main.c.o
"""


def test_sizes_by_origin(tmp_path: Path):
    m = tmp_path / "x.map"
    m.write_text(MAP)
    got = sizes_by_origin(m, Path("/p/_build"), Path("/root/.cache/unik"))
    assert got == {"guest core": (0x100, 0x1000), "musl libc": (0x200, 0),
                   "application": (0x40, 0), "libgcc": (0x30, 0), "libasmrun.a": (0x10, 0)}
    assert list(got)[0] == "guest core"          # largest first


def test_origin_names():
    c = "/srv/cache"
    assert origin("/srv/cache/core/k/kernel__vm.c.o", "/x/_build", c) == "guest core"
    assert origin("/srv/cache/musl/k/lib/libc.a(printf.o)", "/x/_build", c) == "musl libc"
    assert origin("/srv/cache/netstack/k/lwip__src__core__tcp.c.o", "/x/_build",
                  c) == "network stack (lwIP + sockets)"
    assert origin("/x/_build/obj/a.o", "/x/_build", c) == "application"
    assert origin("/y/libfoo.a(bar.o)", "/x/_build", c) == "libfoo.a"
    assert origin("/y/thing.o", "/x/_build", c) == "thing.o"
