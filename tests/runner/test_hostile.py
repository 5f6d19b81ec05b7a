"""Hostile guests and hostile images (issue 21): each test names its finding.

Guest-side ones boot the bare guest (guests/guest.c) on both CPUs; host-side
ones drive the Domain over plain memory, or `unik` as a subprocess.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import threading
from array import array
from collections import Counter
from pathlib import Path

import pytest
from conftest import CPUS, World

from unik import runner
from unik.errors import UnikError
from unik.runner import builder as B
from unik.runner import xenabi as X


def boot(image: Path, cmdline: str, cpu: str, **kw) -> tuple[int, str]:
    """(status, what the guest printed: stdout, then stderr with unik's reports)."""
    out, err = io.BytesIO(), io.BytesIO()
    status = runner.run(image, cmdline=cmdline, cpu=cpu, out=out, err=err, **kw)
    return status, (out.getvalue() + err.getvalue()).decode(errors="replace")


def unik(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unik", *args], capture_output=True,
                          timeout=120, **kw)


def patched(image: Path, tmp_path: Path, edit) -> Path:
    """A copy of `image` whose program headers `edit(data, phoff, phnum)` changed."""
    data = bytearray(image.read_bytes())
    phoff, = struct.unpack_from("<Q", data, 32)
    phnum, = struct.unpack_from("<H", data, 56)
    edit(data, phoff, phnum)
    out = tmp_path / "hostile.unik"
    out.write_bytes(bytes(data))
    return out


def _last_load(data, phoff, phnum) -> int:
    return max(i for i in range(phnum)
               if struct.unpack_from("<I", data, phoff + 56 * i)[0] == 1)


# -- 1. hypercall work is bounded and preemptible ------------------------------

def test_mmuext_batch_ends_early_when_the_runner_stops_the_guest(world):
    # 5*10^5 ops read from the image (cmd 0..4 is accepted, others end the batch).
    n = 500_000
    world.domain.stop_requested.set()
    done, ops = world.scratch, world.scratch + 4096
    world.mem.write(ops, struct.pack("<I4xQQ", 6, 0, 0) * n)     # MMUEXT_TLB_FLUSH_LOCAL
    assert world.call("mmuext_op", ops, n, done, X.DOMID_SELF) == 0
    assert 0 < world.mem.u32(done) < n


def test_mmu_update_batch_ends_early_when_the_runner_stops_the_guest(world):
    n = 500_000                          # valid updates: unmap VA 0x20000, n times
    reqs = world.scratch + 4096
    world.mem.write(reqs, struct.pack("<QQ", world.domain._walk_l1(0x20000), 0) * n)
    world.domain.stop_requested.set()
    done = world.scratch
    assert world.call("mmu_update", reqs, n, done, X.DOMID_SELF) == 0
    assert 0 < world.mem.u32(done) < n


def test_multicall_ends_early_when_the_runner_stops_the_guest(world):
    calls = world.scratch
    for i in range(3):
        world.mem.write(calls + 64 * i, struct.pack("<8Q", X.HC["xen_version"], 7, 0, 0, 0,
                                                    0, 0, 0))
    world.domain.stop_requested.set()
    assert world.call("multicall", calls, 3) == 0
    assert world.mem.u64(calls + 8) == 7           # untouched: no call ran


def test_mmuext_trace_text_is_bounded(world):
    lines = []
    world.domain.trace = lines.append
    ops = world.scratch
    world.mem.write(ops, struct.pack("<I4xQQ", 6, 0, 0) * 100_000)
    assert world.call("mmuext_op", ops, 100_000, 0, X.DOMID_SELF) == 0
    assert len(lines) == 1 and len(lines[0]) < 400


# -- 2. host memory does not grow with what the guest invents ------------------

def test_unknown_hypercall_numbers_share_one_counter(world):
    for nr in range(1000, 6000):
        world.domain.hypercall(nr, (0,) * 5)
    assert world.domain.counts == {"unknown": 5000}


@pytest.mark.parametrize("cpu", CPUS)
def test_a_guest_inventing_hypercall_numbers(bare_image, cpu):
    status, out = boot(bare_image, "hcnumbers 20000", cpu)
    assert (status, out) == (0, f"hcnumbers {-X.ENOSYS}\n")


# -- 3. one memory cap, whatever asks ------------------------------------------

def test_an_image_asking_for_256_gib_of_bss(bare_image, tmp_path):
    def huge_bss(data, phoff, phnum):
        struct.pack_into("<Q", data, phoff + 56 * _last_load(data, phoff, phnum) + 40, 256 << 30)
    img = patched(bare_image, tmp_path, huge_bss)
    with pytest.raises(UnikError, match="beyond the runner's 64 GiB"):
        runner.run(img, cpu="soft")


def test_an_image_with_a_segment_at_512_gib(bare_image, tmp_path):
    def far(data, phoff, phnum):
        at = phoff + 56 * _last_load(data, phoff, phnum)
        struct.pack_into("<QQ", data, at + 16, 512 << 30, 512 << 30)   # vaddr, paddr
    img = patched(bare_image, tmp_path, far)
    with pytest.raises(UnikError, match="beyond the runner's"):
        runner.run(img, cpu="soft")


def test_an_image_with_65000_segments(tmp_path):
    phnum = 65000
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + b"\0" * 9, 2, 62, 1,
                       0x100000, 64, 0, 0, 64, 56, phnum, 64, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 7, 0, 0x100000, 0x100000, 64, 1 << 20, 4096)
    img = tmp_path / "many.unik"
    img.write_bytes(ehdr + phdr * phnum)
    r = unik("run", str(img))
    assert r.returncode == 1 and b"program headers" in r.stderr
    assert r.stderr.count(b"\n") == 1 and b"Traceback" not in r.stderr


# -- 4. timeouts and Ctrl-C from the first moment ------------------------------

def test_timeout_during_domain_building_is_honoured(bare_image, monkeypatch):
    build = B.build

    def slow_build(*a, **kw):
        threading.Event().wait(1.0)     # the timeout expires while the domain is built
        return build(*a, **kw)
    monkeypatch.setattr(B, "build", slow_build)
    assert boot(bare_image, "exit 7", "soft", timeout=0.2)[0] == 124


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_timeouts_that_are_not_positive_numbers(bare_image, value):
    r = unik("run", str(bare_image), "--timeout", value, "--", "exit 3")
    assert r.returncode == 1 and b"--timeout must be a positive number" in r.stderr
    with pytest.raises(UnikError, match="--timeout"):
        runner.run(bare_image, timeout=float(value), cpu="soft")


@pytest.mark.parametrize("cpu", CPUS)
def test_timeout_with_a_reader_that_stopped_reading(bare_image, cpu):
    # Endless lines fill the pipe nobody reads: the write must not hold --timeout.
    r, w = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "unik", "run", "--cpu", cpu,
                                 "--timeout", "1", str(bare_image), "--", "flood"],
                                stdout=w, stderr=subprocess.PIPE)
        os.close(w)
        _, err = proc.communicate(timeout=60)
    finally:
        os.close(r)
    assert proc.returncode == 124, err
    assert b"timeout" in err


# -- 5. images are regular files of sane size ------------------------------------

@pytest.mark.parametrize("command", ["run", "inspect"])
def test_a_fifo_is_not_an_image(tmp_path, command):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    r = unik(command, str(fifo))
    assert r.returncode == 1 and b"not a regular file" in r.stderr


@pytest.mark.parametrize("command", ["run", "inspect"])
def test_dev_zero_is_not_an_image(command):
    r = unik(command, "/dev/zero")
    assert r.returncode == 1 and b"not a regular file" in r.stderr


def test_an_image_of_a_gigabyte(tmp_path):
    big = tmp_path / "big.unik"
    with open(big, "wb") as f:
        f.write(b"\x7fELF")
        f.truncate(1 << 30)             # sparse: costs no disk
    r = unik("inspect", str(big))
    assert r.returncode == 1 and b"more than an image may be" in r.stderr


# -- 7. page tables are read-only to the guest, changed only as Xen allows ------

@pytest.mark.parametrize("cpu", CPUS)
def test_a_store_to_its_own_page_table_faults(bare_image, cpu):
    status, out = boot(bare_image, "ptwrite", cpu)
    assert status == 125, out
    assert out.startswith("writing the page table\n")
    assert "wrote the page table" not in out
    assert "CPU exception #PF" in out


@pytest.mark.parametrize("cpu", CPUS)
def test_page_table_updates_xen_refuses(bare_image, cpu):
    status, out = boot(bare_image, "ptrules", cpu)
    assert (status, out) == (0, f"map_runner_tss {-X.EBUSY}\n"
                                f"map_table_writable {-X.EBUSY}\n"
                                "map_table_readonly 0\n"
                                "table_view ok\n"
                                f"map_beyond_ram {-X.EPERM}\n"
                                f"change_runner_entry {-X.EPERM}\n"
                                f"pin_writable_page {-X.EINVAL}\n"
                                f"superpage_misaligned {-X.EINVAL}\n"
                                f"superpage_over_runner {-X.EBUSY}\n"
                                f"superpage_1g {-X.EINVAL}\n"
                                "unmap_page 0\n"
                                "pin_unmapped_page 0\n"
                                f"update_unmapped_table {-X.EINVAL}\n")


def _types(d) -> tuple:
    counts = {f: d.writable_mappings(f) for f in range(d.nr_pages)}
    return (dict(d.pt_type), dict(d.pt_refs), {f: n for f, n in counts.items() if n})


@pytest.mark.parametrize("ram_mib", [20, 64, 1030])
def test_boot_page_types_are_what_validating_the_boot_tables_gives(bare_image, ram_mib):
    world = World(bare_image, ram_mib)
    d = world.domain
    fast = _types(d)
    d.pt_type, d.pt_refs, d.wmaps, d.wboot = {}, {}, Counter(), {}
    d.wmaps2m = array("I", bytes(len(d.wmaps2m) * 4))
    d.mem.pt_frames = set()
    d.superpages_ok = True
    assert d._get_table(world.lay.pt_base >> 12, 4) == 0
    assert _types(d) == fast
    assert d.mem.pt_frames == set(fast[0])


def _update(world, ptr, val) -> int:
    world.mem.pack(X.MMU_UPDATE, world.scratch, ptr, val)
    return world.call("mmu_update", world.scratch, 1, 0, X.DOMID_SELF)


def test_split_a_2mib_page_with_its_own_table_then_unlink_it(world):
    d, lay = world.domain, world.lay
    region = (lay.free_start >> 21) + 2                  # a 2 MiB page of free RAM
    base = region << 21
    l2e = lay.pt_base + 2 * 4096 + 8 * region            # its entry in the first PD
    table = base + 5 * 4096
    entries = [(base + i * 4096) | 7 for i in range(512)]
    entries[5] &= ~2                                      # the table maps itself read-only
    world.mem.write(table, struct.pack("<512Q", *entries))
    before = world.mem.u64(l2e)
    assert _update(world, l2e, table | 7) == 0
    assert d.pt_type[table >> 12] == 1 and (table >> 12) in world.mem.pt_frames
    assert d.wmaps2m[region] == 0
    # Now a page table: never writable, and hypercall results do not land there.
    pte = table + 8 * 6
    assert _update(world, pte, table | 7) == -X.EBUSY
    assert _update(world, pte, table | 5) == 0
    assert world.call("xen_version", 1, table) == -X.EFAULT
    # A frame mapped writable (twice now: 2 MiB page gone, own entry) cannot become a table.
    other = base + 7 * 4096
    assert _update(world, lay.pt_base + 2 * 4096 + 8 * (region + 1), other | 7) == -X.EINVAL
    # Unlinked (the 2 MiB page back), the frame is a plain page again.
    assert _update(world, pte, 0) == 0
    # a writable 2 MiB page over a table still linked: refused
    assert _update(world, l2e, before) == -X.EBUSY
    assert _update(world, l2e, 0) == 0
    assert (table >> 12) not in d.pt_type and (table >> 12) not in world.mem.pt_frames
    assert world.call("xen_version", 1, table) == 0


def test_a_new_address_space_keeps_the_runner_pages(world):
    d, lay = world.domain, world.lay
    l4 = 0x20000                                     # free RAM in the first 2 MiB (4 KiB pages)
    op = world.scratch + 64
    world.mem.pack(X.MMUEXT_OP, op, 3, l4 >> 12, 0)              # pin_l4_table
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == -X.EINVAL   # mapped writable
    assert _update(world, d._walk_l1(l4), l4 | 5) == 0          # read-only now
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == -X.EINVAL   # entry 0 not the boot's
    world.mem.write_trusted(l4, struct.pack("<Q", world.mem.u64(lay.pt_base)))
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == 0
    world.mem.pack(X.MMUEXT_OP, op, 5, l4 >> 12, 0)              # new_baseptr
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == 0
    assert world.cpu.cr3 == l4
    assert _update(world, l4, 0) == -X.EPERM                     # what maps the runner's pages
    assert _update(world, l4 + 8, 0) == 0


def test_validating_a_tree_of_tables_ends_when_the_runner_stops_the_guest(world):
    d = world.domain
    l2, l1 = 0x20000, 0x21000                # free RAM in the first 2 MiB (4 KiB pages)
    for t in (l2, l1):
        assert _update(world, d._walk_l1(t), t | 5) == 0        # read-only: may become tables
    world.mem.write_trusted(l2, struct.pack("<2Q", l1 | 7, l1 | 7))
    op = world.scratch + 64
    world.mem.pack(X.MMUEXT_OP, op, 1, l2 >> 12, 0)              # pin_l2_table
    world.domain.stop_requested.set()
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == -X.EINTR
    assert (l2 >> 12) not in d.pt_type and (l1 >> 12) not in d.pt_type
    world.domain.stop_requested.clear()
    assert world.call("mmuext_op", op, 1, 0, X.DOMID_SELF) == 0
    assert d.pt_type[l2 >> 12] == 2 and d.pt_refs[l1 >> 12] == 2


def test_the_soft_and_kvm_cpus_apply_stores_once_per_hypercall(world):
    calls = []
    world.cpu.store_ptes = lambda mem, pairs: calls.append(list(pairs))
    pte = world.domain._walk_l1(0x20000)
    reqs = world.scratch + 256
    world.mem.write(reqs, struct.pack("<4Q", pte, 0x30007, pte + 8, 0x31007))
    assert world.call("mmu_update", reqs, 2, 0, X.DOMID_SELF) == 0
    assert calls == [[(pte, 0x30007), (pte + 8, 0x31007)]]


def _replay(lists) -> dict[int, int]:
    """What STORE_STUB stores, run after run, for _store_lists' output."""
    stored: dict[int, int] = {}
    for words, records in lists:
        assert len(words) <= B.STORE_LIST_WORDS and records >= 1
        i = 0
        for _ in range(records):
            addr, n = words[i], words[i + 1]
            stored.update((addr + 8 * k, words[i + 2 + k]) for k in range(n))
            i += 2 + n
        assert i == len(words)
    return stored


@pytest.mark.parametrize("pairs", [
    [(0x5008, 1), (0x5000, 2), (0x9000, 3), (0x5010, 4)],
    [(8 * i, i) for i in range(3000)],                          # runs longer than a list
    [(0x10000 + 4096 * i, i) for i in range(700)],              # nothing adjacent
])
def test_store_lists_carry_every_store_once(pairs):
    from unik.runner.kvmcpu import _store_lists
    assert _replay(_store_lists(pairs)) == dict(pairs)


# -- 8. the host's statuses cannot be forged --------------------------------------

@pytest.mark.parametrize("cpu", CPUS)
@pytest.mark.parametrize("code", [124, 127, 200, 1 << 20])   # 125, 126: crash, abort
def test_guest_statuses_above_123(bare_image, cpu, code, capsys):
    status, text = boot(bare_image, f"exit {code}", cpu)
    assert status == 123
    assert f"guest exited with {code}, outside 0..123; reporting 123" in (
        text + capsys.readouterr().err)


# -- 10. the software CPU's I/O is the CPU's ---------------------------------------

@pytest.mark.parametrize("cpu", CPUS)
@pytest.mark.parametrize("what", ["inport", "outport"])
def test_forbidden_ports_are_a_general_protection_fault(bare_image, cpu, what):
    status, out = boot(bare_image, what, cpu)
    assert status == 125
    assert "#GP" in out and "returned" not in out


# -- the runner's pages take no hypercall results ----------------------------------

@pytest.mark.parametrize("cpu", CPUS)
def test_hypercall_results_never_land_in_the_runner_pages(bare_image, cpu):
    status, out = boot(bare_image, "lowwrite", cpu)
    assert status == 0, out
    assert out.splitlines() == [f"xen_version_into_gdt {-X.EFAULT}",
                                f"multicall_into_idt {-X.EFAULT}",
                                f"pdone_into_tss {-X.EFAULT}"]


def test_runner_pages_unchanged_by_hostile_outputs(world: World):
    before = world.mem.read(0, B.NULL_GUARD_END)
    assert world.call("xen_version", 1, B.GDT_ADDR) == -X.EFAULT
    assert world.call("xen_version", 3, B.IDT_ADDR) == -X.EFAULT
    world.mem.write(world.scratch, struct.pack("<HH", X.DOMID_SELF, 0))
    assert world.call("mmuext_op", 0, 0, B.TSS_ADDR, X.DOMID_SELF) == -X.EFAULT
    assert world.mem.read(0, B.NULL_GUARD_END) == before
    # shared_info stays the guest's to be written into
    assert world.call("xen_version", 1, B.SHARED_INFO_ADDR + 0x800) == 0


def test_non_canonical_segment_bases_are_refused(world):
    assert world.call("set_segment_base", X.SEGBASE_FS, 1 << 63) == -X.EINVAL
    assert world.cpu.fs_base is None
    assert world.call("set_segment_base", X.SEGBASE_FS, 0x7000) == 0


def test_section_table_pointing_past_any_file(bare_image, tmp_path):
    """Found by bench/fuzz.py: pyelftools raised OverflowError (a traceback)
    for a string table at offset 2^63; every parse error is one line."""
    data = bytearray(bare_image.read_bytes())
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 58)
    struct.pack_into("<Q", data, shoff + shentsize * shstrndx + 24, 1 << 63)   # sh_offset
    img = tmp_path / "bad.unik"
    img.write_bytes(bytes(data))
    r = unik("inspect", str(img))
    assert r.returncode == 1 and b"malformed ELF image" in r.stderr, r.stderr
    assert r.stderr.count(b"\n") == 1


@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="no QEMU")
@pytest.mark.parametrize("code", [124, 127])
def test_guest_cannot_forge_host_statuses_under_qemu(tmp_path, code, capsys):
    """Under QEMU the guest runs in ring 0 and can write isa-debug-exit itself."""
    from unik.hosts import qemu
    from unik.testing import Guest
    src = ('#include <stdio.h>\nint main(void) { printf("forging\\n"); fflush(stdout);\n'
           f'  __asm__ volatile("outl %0, %1" : : "a"({code}), "Nd"((unsigned short)0xf4));\n'
           '  return 0; }\n')
    image = Guest.create(tmp_path, "c", {"main.c": src}, name="forge").build().image
    assert qemu.run(image, memory_mib=64, out=io.BytesIO(), timeout=120) == 123
    assert f"guest exited with {code}, outside 0..123" in capsys.readouterr().err
