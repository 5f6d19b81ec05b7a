"""The domain builder: lays out a Xen PV domain in guest RAM for a CPL3 start.

What Xen's libxenguest does for a PV guest (load the ELF, start_info, p2m
list, console and xenstore pages, boot page tables, boot stack, in Xen's
order after the image) plus what a ring-0 boot would do on this kind of KVM
(see PLATFORM.md): GDT, TSS with an I/O permission bitmap for the runner's
ports, IDT whose ring-0 stubs only report the vector to the crash port, and
the hypercall page with stubs that exit through the hypercall port. The vCPU
then starts in 64-bit mode at CPL3 at the PV entry; no ring-0 boot code runs.

Guest-physical layout (identity-mapped; vaddr == paddr):
    0x0000            not mapped (null-pointer guard)
    0x1000            GDT                  0x2000  IDT
    0x3000..0x5fff    TSS + I/O bitmap     0x6000  ring-0 exception stubs
    0x7000            shared_info          0x8000..0x9fff ring-0 stack
    0xa000..0xbfff    page-table stores the ring-0 store stub performs (see mmu.py)
    image (1 MiB)     then p2m list, start_info, xenstore, console,
                      the stream rings (unik's, see below), page tables,
                      boot stack; free RAM after that.

The stream rings carry the guest's stdout and stderr (a header page and
STREAM_SIZES data bytes each) and its stdin (STDIN_SIZE, host → guest),
announced in a record in the start_info page
(core/native/xen/unik_streams.h) that only a guest seeing SIF_UNIK_RUNNER
reads; on Xen the same guest uses the one PV console (and stdin is empty).
"""

from __future__ import annotations

import struct

from ..errors import UnikError
from . import xenabi as X
from .image import Image
from .memory import GuestMemory

PAGE = X.PAGE
MIB = 1 << 20
LARGE = 2 * MIB

GDT_ADDR = 0x1000
IRET_TRAMPOLINE = GDT_ADDR + 0x800   # `iretq`: how the soft CPU drops to CPL3
STORE_STUB = GDT_ADDR + 0x900        # ring 0: the page-table stores of one batch, then exit
IDT_ADDR = 0x2000
TSS_ADDR = 0x3000
STUBS_ADDR = 0x6000
SHARED_INFO_ADDR = 0x7000
RING0_STACK_TOP = 0xA000
STORE_LIST = 0xA000             # records for STORE_STUB, supervisor-only
STORE_LIST_WORDS = 0x2000 // 8
LOW_END = 0xC000                # the runner's pages end here (page 0 and these)
NULL_GUARD_END = 0x10000

HYPERCALL_PORT = 0xE0           # `out %eax` of the hypercall number (4 ports: 0xe0-0xe3)
CRASH_PORT = 0xE4               # `out %eax` of the exception vector, from ring 0
STORE_DONE_PORT = 0xE5          # `out %eax` from STORE_STUB: the batch is stored

SEL_KCODE = 0x08
SEL_KDATA = 0x10
SEL_UDATA = 0x2B                # Linux's __USER_DS / __USER_CS: PVM-style KVMs run CPL3
SEL_UCODE = 0x33                # code with the host's user segments, so match them
SEL_TSS = 0x40

TSS_IOMAP = 104
TSS_LIMIT = TSS_IOMAP + 8192    # bitmap for 65536 ports + the 0xff terminator byte

CONSOLE_EVTCHN = 1
STORE_EVTCHN = 2
STDOUT_EVTCHN = 3
STDERR_EVTCHN = 4
STDIN_EVTCHN = 5

# Data bytes of the stdout and stderr rings (powers of two). A guest that
# finds a ring full notifies and the runner drains it there, so the size
# trades the exits of a full ring (~50 µs each) against first touches of its
# pages (~20 µs a page here, paid by guests that write that much): 256 KiB
# is the cheapest for 10 MB (bench/console.py).
STREAM_SIZES = (256 << 10, 64 << 10)
# The stdin ring (host → guest, core/backends/stdin.py): after the output rings.
STDIN_SIZE = 64 << 10
STREAMS_BYTES = sum(PAGE + size for size in STREAM_SIZES) + PAGE + STDIN_SIZE

# Exceptions that push an error code.
ERRCODE_VECTORS = frozenset({8, 10, 11, 12, 13, 14, 17, 21, 29, 30})

PTE_P, PTE_W, PTE_U, PTE_PS = 1, 2, 4, 0x80

CR0_PE, CR0_MP, CR0_ET, CR0_NE, CR0_WP, CR0_PG = 1, 2, 0x10, 0x20, 1 << 16, 1 << 31
CR4_PAE, CR4_PGE, CR4_OSFXSR, CR4_OSXMMEXCPT = 0x20, 0x80, 0x200, 0x400
CR4_FSGSBASE, CR4_OSXSAVE = 1 << 16, 1 << 18
EFER_LME, EFER_LMA, EFER_NXE = 0x100, 0x400, 0x800

def cache(fn):
    """functools.cache, without functools (it imports collections, a part of
    `unik run`'s start-up): the built pieces depend only on their arguments."""
    memo: dict = {}

    def cached(*args):
        try:
            return memo[args]
        except KeyError:
            memo[args] = value = fn(*args)
            return value
    cached.__doc__, cached.__name__ = fn.__doc__, fn.__name__
    return cached


def _qwords(values) -> bytes:
    """Little-endian 64-bit words (struct, not array: `import array` brings
    collections with it)."""
    values = values if isinstance(values, list | tuple) else list(values)
    return struct.pack(f"<{len(values)}Q", *values)


# Smallest RAM: the image and the boot region plus Xen's 512 KiB of padding.
BOOT_PADDING = 512 * 1024


class Layout:
    """Where everything of the domain lies. Built with keywords, one per field
    below (those with a value are optional). Not a dataclass: `dataclasses`
    imports `inspect`, a good part of `unik run`'s start-up."""

    ram_size: int
    nr_pages: int
    entry: int
    hypercall_page: int
    image_lo: int
    image_hi: int
    p2m: int
    start_info: int
    store: int
    console: int
    streams: tuple[int, ...]
    pt_base: int
    nr_pt_frames: int
    boot_stack_top: int
    free_start: int
    shared_info: int = SHARED_INFO_ADDR
    module: int = 0
    module_len: int = 0
    flags: int = 0
    stdin: int = 0                     # the stdin ring's header page (0: none)

    def __init__(self, **fields: int | tuple[int, ...]) -> None:
        names = self.__annotations__
        unknown = [k for k in fields if k not in names]
        missing = [k for k in names if k not in fields and not hasattr(Layout, k)]
        if unknown or missing:
            raise TypeError(f"Layout: unknown {unknown}, missing {missing}")
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__annotations__)
        return f"Layout({fields})"


def _page_up(a: int) -> int:
    return (a + PAGE - 1) & ~(PAGE - 1)


def minimum_ram(image: Image, module_len: int = 0) -> int:
    """The smallest RAM (bytes, 2 MiB multiple) the boot layout fits in, no heap."""
    size = LARGE
    while True:
        end = _boot_end(image, size, module_len)
        if end + BOOT_PADDING <= size:
            return size
        size = (end + BOOT_PADDING + LARGE - 1) & ~(LARGE - 1)


# 4 KiB tables for the 2 MiB pages that hold the page tables (at most two:
# the tables take less than 2 MiB), so that those frames can be read-only.
SPLIT_TABLES = 2


def _nr_pt_frames(ram_size: int) -> int:
    nr_pd = (ram_size + (1 << 30) - 1) >> 30
    # PML4, PDPT, PDs, the 4 KiB table of the first 2 MiB, the split tables
    return 1 + 1 + nr_pd + 1 + SPLIT_TABLES


def _p2m_bytes(image: Image, ram_size: int) -> int:
    """The p2m list's size: none for an image that reads none on the runner."""
    return 0 if image.flat_p2m else (ram_size // PAGE) * 8


def _boot_end(image: Image, ram_size: int, module_len: int) -> int:
    a = _page_up(image.hi)
    a = _page_up(a + module_len)
    a = _page_up(a + _p2m_bytes(image, ram_size))
    a += 3 * PAGE                      # start_info, xenstore, console
    a += STREAMS_BYTES
    a += _nr_pt_frames(ram_size) * PAGE
    return a + PAGE                    # boot stack


def plan(image: Image, ram_size: int, module_len: int = 0, flags: int = 0) -> Layout:
    if ram_size % LARGE:
        raise UnikError("guest memory must be a multiple of 2 MiB")
    if image.lo < 1 * MIB:
        raise UnikError(f"{image.path}: loads at {image.lo:#x}, below 1 MiB")
    need = _boot_end(image, ram_size, module_len) + BOOT_PADDING
    if need > ram_size:
        raise UnikError(f"too little memory: the image needs at least "
                        f"{(need + MIB - 1) // MIB} MiB (given {ram_size // MIB} MiB)")
    a = _page_up(image.hi)
    module = a if module_len else 0
    a = _page_up(a + module_len)
    nr_pages = ram_size // PAGE
    p2m = a if not image.flat_p2m else 0
    a = _page_up(a + _p2m_bytes(image, ram_size))
    start_info, store, console = a, a + PAGE, a + 2 * PAGE
    a += 3 * PAGE
    streams = []
    for size in STREAM_SIZES:
        streams.append(a)
        a += PAGE + size
    stdin, a = a, a + PAGE + STDIN_SIZE
    pt_base = a
    nr_pt = _nr_pt_frames(ram_size)
    a += nr_pt * PAGE
    stack_top = a + PAGE
    return Layout(ram_size=ram_size, nr_pages=nr_pages, entry=image.entry,
                  hypercall_page=image.hypercall_page, image_lo=image.lo,
                  image_hi=image.hi, p2m=p2m, start_info=start_info, store=store,
                  console=console, streams=tuple(streams), pt_base=pt_base, nr_pt_frames=nr_pt,
                  boot_stack_top=stack_top, free_start=stack_top, module=module,
                  module_len=module_len, flags=flags, stdin=stdin)


@cache
def _gdt() -> bytes:
    entries = [
        0,
        0x00AF9B000000FFFF,            # 0x08 ring-0 code, 64-bit (accessed bits preset:
        0x00CF93000000FFFF,            # 0x10 ring-0 data       the GDT page is read-only)
        0,                             # 0x18
        0x00CFFB000000FFFF,            # 0x20 ring-3 code, 32-bit (unused)
        0x00CFF3000000FFFF,            # 0x28 ring-3 data
        0x00AFFB000000FFFF,            # 0x30 ring-3 code, 64-bit
        0,                             # 0x38
    ]
    base, limit = TSS_ADDR, TSS_LIMIT
    lo = ((limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | 0xB << 40 | 1 << 47
          | ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56)
    entries += [lo, base >> 32]        # 0x40 TSS (busy, 64-bit)
    return struct.pack(f"<{len(entries)}Q", *entries)


GDT_LIMIT = len(_gdt()) - 1


def _stub(vector: int) -> bytes:
    # push %rax; mov $vector,%eax; out %eax,$CRASH_PORT; 1: hlt; jmp 1b
    return (b"\x50" + b"\xb8" + struct.pack("<I", vector) + bytes([0xE7, CRASH_PORT])
            + b"\xf4\xeb\xfd").ljust(16, b"\xcc")


@cache
def _idt() -> bytes:
    out = bytearray()
    for v in range(256):
        off = STUBS_ADDR + 16 * v
        attr = 0xEE if v == 3 else 0x8E    # int3 may come from CPL3
        out += struct.pack("<HHBBHIi", off & 0xFFFF, SEL_KCODE, 0, attr, (off >> 16) & 0xFFFF,
                           off >> 32, 0)
    return bytes(out)


ALLOWED_PORTS = frozenset((*range(HYPERCALL_PORT, HYPERCALL_PORT + 4),
                           *range(CRASH_PORT, CRASH_PORT + 4)))


def port_allowed(port: int, size: int) -> bool:
    """What the TSS I/O bitmap lets CPL3 reach: every byte of the access."""
    return all(p in ALLOWED_PORTS for p in range(port, port + size))


@cache
def _tss() -> bytes:
    tss = bytearray(TSS_LIMIT + 1)
    struct.pack_into("<Q", tss, 4, RING0_STACK_TOP)      # rsp0
    struct.pack_into("<H", tss, 102, TSS_IOMAP)
    bitmap = bytearray(b"\xff" * 8192)
    for port in ALLOWED_PORTS:
        bitmap[port // 8] &= ~(1 << (port % 8)) & 0xFF
    tss[TSS_IOMAP:TSS_IOMAP + 8192] = bitmap
    tss[TSS_LIMIT] = 0xFF
    return bytes(tss)


@cache
def hypercall_page() -> bytes:
    # mov $nr,%eax; out %eax,$HYPERCALL_PORT; ret — one stub per 32 bytes: the
    # stub of 0 repeated, then each stub's number (< 128: its low byte) set.
    n = PAGE // X.HYPERCALL_STUB
    stub = (b"\xb8" + struct.pack("<I", 0) + bytes([0xE7, HYPERCALL_PORT]) + b"\xc3")
    page = bytearray(stub.ljust(X.HYPERCALL_STUB, b"\xcc") * n)
    page[1::X.HYPERCALL_STUB] = bytes(range(n))
    return bytes(page)


@cache
def _store_stub() -> bytes:
    """Ring 0, %rsi = STORE_LIST, %rdx = records (>= 1), each record (address,
    n, n values): `rep movsq` the values to their (identity-mapped) address,
    then exit. One instruction per run of adjacent entries, as every ring-0
    instruction is emulated here (~1 µs each). Run by KvmCpu.store_ptes with
    CR0.WP clear, so the read-only page-table pages take the stores."""
    loop = (b"\x48\x8b\x3e"            # 1: mov (%rsi),%rdi
            b"\x48\x8b\x4e\x08"        #    mov 8(%rsi),%rcx
            b"\x48\x83\xc6\x10"        #    add $16,%rsi
            b"\xf3\x48\xa5"            #    rep movsq
            b"\x48\xff\xca")           #    dec %rdx
    return loop + bytes([0x75, (-(len(loop) + 2)) & 0xFF,       # jnz 1b
                         0xE7, STORE_DONE_PORT, 0xF4, 0xEB, 0xFD])  # out; 1: hlt; jmp 1b


@cache
def _stubs() -> bytes:
    # _stub(0) repeated, then each stub's vector (its immediate's low byte) set.
    out = bytearray(_stub(0) * 256)
    out[2::16] = bytes(range(256))
    return bytes(out)


@cache
def _p2m(n: int) -> bytes:
    # Only images without the FLAT_P2M note have a p2m list.
    from array import array

    return array("Q", range(n)).tobytes()


def _page_tables(lay: Layout) -> bytes:
    return _page_tables_for(lay.pt_base, lay.nr_pt_frames, lay.ram_size)


@cache
def _page_tables_for(pt_base: int, nr_pt_frames: int, ram_size: int) -> bytes:
    """PML4, PDPT, the PDs (2 MiB pages for all RAM, user + writable), a 4 KiB
    table for the first 2 MiB (`_low_pte`) and 4 KiB tables for the 2 MiB
    pages that hold the tables themselves, where the table frames are
    read-only: as on Xen, the guest reads its page tables but changes them
    only through mmu_update."""
    nr_pd = nr_pt_frames - 3 - SPLIT_TABLES
    pdpt = pt_base + PAGE
    pd0 = pdpt + PAGE
    pt0 = pd0 + nr_pd * PAGE
    tables = bytearray(nr_pt_frames * PAGE)
    flags = PTE_P | PTE_W | PTE_U
    struct.pack_into("<Q", tables, 0, pdpt | flags)
    for i in range(nr_pd):
        struct.pack_into("<Q", tables, PAGE + 8 * i, (pd0 + i * PAGE) | flags)
    nr_large = ram_size // LARGE
    # (i * LARGE) | flags for every 2 MiB page, made by range() at C speed
    tables[2 * PAGE:2 * PAGE + 8 * nr_large] = _qwords(
        range(flags | PTE_PS, nr_large * LARGE, LARGE))
    struct.pack_into("<Q", tables, 2 * PAGE, pt0 | flags)
    off = pt0 - pt_base
    low = [_low_pte(i) for i in range(512)]
    pt_end = pt_base + nr_pt_frames * PAGE
    for addr in range(pt_base, min(LARGE, pt_end), PAGE):   # tables in the first 2 MiB
        low[addr // PAGE] &= ~PTE_W
    tables[off:off + PAGE] = _qwords(low)
    for k, region in enumerate(split_regions(pt_base, nr_pt_frames, ram_size)):
        table = pt0 + (1 + k) * PAGE
        base = region * LARGE
        entries = list(range(base | flags, base + LARGE, PAGE))
        for addr in range(max(base, pt_base), min(base + LARGE, pt_end), PAGE):
            entries[(addr - base) // PAGE] &= ~PTE_W
        off = table - pt_base
        tables[off:off + PAGE] = _qwords(entries)
        struct.pack_into("<Q", tables, 2 * PAGE + 8 * region, table | flags)
    return bytes(tables)


def split_regions(pt_base: int, nr_pt_frames: int, ram_size: int) -> list[int]:
    """The 2 MiB pages (indexes) mapped with the split tables: the one holding
    the first table frame and the next (where the tables may reach into it);
    not the first 2 MiB, which has its own 4 KiB table (`_low_pte`)."""
    first = pt_base // LARGE
    return [r for r in (first, first + 1) if 1 <= r and r * LARGE < ram_size][:SPLIT_TABLES]


def _low_pte(pfn: int) -> int:
    """Entries of the first 2 MiB: the first 64 KiB out of the guest's reach
    (NULL + small offsets fault, as on pvh-bare): page 0 and 0xc000-0xffff
    unmapped, the runner's pages supervisor-only (read-only but the ring-0
    stack and the store list), so that the CPL3 guest
    can neither read nor overwrite its descriptor tables and stubs;
    shared_info and the rest user + writable."""
    addr = pfn * PAGE
    if pfn == 0 or LOW_END <= addr < NULL_GUARD_END:
        return 0
    if addr == SHARED_INFO_ADDR or addr >= NULL_GUARD_END:
        return addr | PTE_P | PTE_W | PTE_U
    if addr >= RING0_STACK_TOP - 2 * PAGE:
        return addr | PTE_P | PTE_W
    return addr | PTE_P


def build(image: Image, mem: GuestMemory, lay: Layout, *, cmdline: bytes,
          module: bytes = b"", ttys: tuple[tuple[int, int], ...] = ((0, 0), (0, 0)),
          stdin_tty: tuple[int, int] = (0, 0)) -> None:
    """Write the whole domain into guest RAM (which must be zero-filled).
    ttys: (rows, cols) of the host terminal behind stdout and stderr, (0, 0)
    for a pipe or file (the guest's isatty answers from it)."""
    for seg in image.segments:
        mem.write(seg.paddr, seg.data)         # the rest of memsz is already zero
    mem.write(lay.hypercall_page, hypercall_page())
    if module:
        mem.write(lay.module, module)
    # p2m: identity (pfn == mfn); none for an image with the FLAT_P2M note
    n = lay.nr_pages
    if lay.p2m:
        mem.write(lay.p2m, _p2m(n))
    mem.write(lay.start_info, X.pack_start_info(
        magic=b"xen-3.0-x86_64", nr_pages=n, shared_info=lay.shared_info,
        flags=lay.flags, store_mfn=lay.store // PAGE, store_evtchn=STORE_EVTCHN,
        console_mfn=lay.console // PAGE, console_evtchn=CONSOLE_EVTCHN,
        pt_base=lay.pt_base, nr_pt_frames=lay.nr_pt_frames, mfn_list=lay.p2m,
        mod_start=lay.module, mod_len=lay.module_len, cmdline=cmdline))
    mem.write(lay.start_info + X.UNIK_STREAMS_OFFSET, X.pack_streams(
        [(ring, size, evtchn, rows, cols) for ring, size, evtchn, (rows, cols)
         in zip(lay.streams, STREAM_SIZES, (STDOUT_EVTCHN, STDERR_EVTCHN), ttys,
                    strict=True)] + [(lay.stdin, STDIN_SIZE, STDIN_EVTCHN, *stdin_tty)]))
    mem.write(lay.pt_base, _page_tables(lay))
    mem.write(GDT_ADDR, _gdt())
    mem.write(IRET_TRAMPOLINE, b"\x48\xcf")
    mem.write(STORE_STUB, _store_stub())
    mem.write(IDT_ADDR, _idt())
    mem.write(TSS_ADDR, _tss())
    mem.write(STUBS_ADDR, _stubs())
    mem.set_u64(SHARED_INFO_ADDR + X.SI_MAX_PFN, n)


def _seg(selector: int, *, code: bool, dpl: int) -> dict:
    return {"base": 0, "limit": 0xFFFFFFFF, "selector": selector, "type": 0xB if code else 0x3,
            "present": 1, "dpl": dpl, "db": 0 if code else 1, "s": 1, "l": 1 if code else 0,
            "g": 1, "avl": 0, "unusable": 0}


def kernel_seg(*, code: bool) -> dict:
    """The ring-0 code or data segment (for the runner's ring-0 stubs)."""
    return _seg(SEL_KCODE if code else SEL_KDATA, code=code, dpl=0)


def initial_sregs(lay: Layout, *, fsgsbase: bool) -> dict:
    data = _seg(SEL_UDATA, code=False, dpl=3)
    cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | (CR4_FSGSBASE if fsgsbase else 0)
    return {
        "cs": _seg(SEL_UCODE, code=True, dpl=3), "ds": data, "es": data, "fs": dict(data),
        "gs": dict(data), "ss": data,
        "tr": {"base": TSS_ADDR, "limit": TSS_LIMIT, "selector": SEL_TSS, "type": 0xB,
               "present": 1, "dpl": 0, "db": 0, "s": 0, "l": 0, "g": 0, "avl": 0,
               "unusable": 0},
        "ldt": {"base": 0, "limit": 0, "selector": 0, "type": 2, "present": 0, "dpl": 0,
                "db": 0, "s": 0, "l": 0, "g": 0, "avl": 0, "unusable": 1},
        "gdt": {"base": GDT_ADDR, "limit": GDT_LIMIT},
        "idt": {"base": IDT_ADDR, "limit": 256 * 16 - 1},
        "cr0": CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG,
        "cr3": lay.pt_base, "cr4": cr4, "efer": EFER_LME | EFER_LMA,
    }


def initial_regs(lay: Layout) -> dict:
    return {"rip": lay.entry, "rsp": lay.boot_stack_top, "rsi": lay.start_info,
            "rflags": 0x2}
