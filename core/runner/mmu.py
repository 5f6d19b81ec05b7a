"""Page-table hypercalls of the runner's Domain: mmu_update, update_va_mapping,
mmuext_op, with Xen's PV memory rules.

As on Xen, the guest's page tables are read-only to it (the boot tables map
their own frames read-only) and change only through these hypercalls, which
keep Xen's page types:
- a frame linked from a table entry (or pinned, or the root) is a page
  table of one level, and counts its links; when the last goes, it is a
  plain page again (and its entries release what they held);
- a frame becomes a table only when no writable mapping of it exists
  (-EINVAL otherwise) and every entry in it passes these rules;
- an L1 entry may map any frame of guest RAM but not the runner's pages
  (-EBUSY, Xen's answer for a page owned by someone else) nor beyond RAM
  (-EPERM, Xen's for MMIO), and maps a page-table frame only read-only
  (-EBUSY);
- superpages: none at L3 (-EINVAL); at L2, unlike Xen, a 2 MiB page of the
  guest's RAM (aligned, inside RAM, not over the runner's pages, writable
  only when no page table lies inside: -EINVAL/-EPERM/-EBUSY), which the
  core uses on the runner only; the boot's 2 MiB pages may be split by tables;
- the entries that map the runner's own pages (VA 0..LOW_END) cannot
  change (-EPERM), in any address space: every L4 keeps the boot L4's
  entry 0.
An entry of a frame that is no page table is a plain write (Xen does that too).

Stores are collected per hypercall and applied by the vCPU at its end
(`CpuOps.store_ptes`): on a shadow-paging KVM only a store made by the vCPU
reaches the shadow tables, so KvmCpu runs them in a ring-0 stub; the soft
CPU sees the host's writes directly.
"""

from __future__ import annotations

import struct

from . import builder as B
from . import xenabi as X

# Entries handled between two looks at Domain.preempted(): a batch of 10^6
# entries stops within milliseconds of a timeout or Ctrl-C.
PREEMPT_EVERY = 1024
# Stores held before they are applied mid-batch (bounds the host memory a
# batch takes; a batch's stores are applied at the latest when it ends).
STORES_MAX = 4096

_MMU_UPDATE = struct.Struct("<QQ")
_MMUEXT_OP = struct.Struct("<I4xQQ")

P, W, PS = B.PTE_P, B.PTE_W, B.PTE_PS
ADDR = 0x000FFFFFFFFFF000
LOW_PFN = B.LOW_END // X.PAGE
PIN_LEVEL = {0: 1, 1: 2, 2: 3, 3: 4}          # MMUEXT_PIN_L1_TABLE.. → level


# Counts of mappings per frame: native unsigned ints in a bytearray, seen
# through memoryview.cast (array.array would bring `collections` into
# `unik run`'s start-up).
_ONE = struct.pack("=I", 1)
_ONES_512 = _ONE * 512


def _counts(initial: bytes) -> memoryview:
    return memoryview(bytearray(initial)).cast("I")


def _entries(page: bytes) -> memoryview:
    """The 512 entries of a page-table page (a copy read from guest RAM)."""
    return memoryview(page).cast("Q")


def _boot_counts_low() -> memoryview:
    """Writable mappings of the first 2 MiB's frames at boot: the guest's
    (from NULL_GUARD_END up); the runner's own low frames are never counted
    (they can never become tables)."""
    counts = _counts(_ONES_512)
    for f in range(B.NULL_GUARD_END // X.PAGE):
        counts[f] = 0
    return counts


class MmuOps:
    """Mixed into Domain: needs self.mem, self.lay, self.cpu, self.cr3, self.detail,
    self.trace and self.preempted(); `mmu_init()` once the domain is built."""

    # The runner's own 2 MiB pages pass validation only while the boot tables
    # are checked as a whole (tests do: mmu_init computes their types directly).
    # unik's extension: the guest core maps whole, aligned 2 MiB of RAM with
    # one L2 entry on the runner (one shadow fault for its first touch instead
    # of 512); real Xen gives PV guests no superpages and the core knows it.
    superpages_ok = True

    def mmu_init(self) -> None:
        """Page types of the boot tables, as builder._page_tables_for made them."""
        lay = self.lay
        self.nr_pages = lay.ram_size // X.PAGE
        self.shared_pfn = lay.shared_info // X.PAGE
        base = lay.pt_base // X.PAGE
        nr_pd = lay.nr_pt_frames - 3 - B.SPLIT_TABLES
        pt0 = base + 2 + nr_pd
        regions = B.split_regions(lay.pt_base, lay.nr_pt_frames, lay.ram_size)
        self.pt_type: dict[int, int] = {base: 4, base + 1: 3}
        self.pt_type.update(dict.fromkeys(range(base + 2, pt0), 2))
        self.pt_type.update(dict.fromkeys(range(pt0, pt0 + 1 + len(regions)), 1))
        self.pt_refs: dict[int, int] = dict.fromkeys(self.pt_type, 1)
        # Writable mappings: the boot's 4 KiB ones (first 2 MiB, split pages)
        # in arrays per 2 MiB page, later ones in a dict, the 2 MiB ones per
        # 2 MiB page (boot costs stay flat: no per-frame work at boot).
        self.wboot: dict[int, memoryview] = {0: _boot_counts_low()}
        for r in regions:
            self.wboot[r] = _counts(_ONES_512)
        for f in range(base, base + lay.nr_pt_frames):   # the table area: read-only
            if f >> 9 in self.wboot:
                self.wboot[f >> 9][f & 511] = 0
        self.wmaps: dict[int, int] = {}
        self.wmaps2m = _counts(_ONE * (lay.ram_size // B.LARGE))
        for r in (0, *regions):
            self.wmaps2m[r] = 0
        self.pinned: set[int] = set()
        # The entries that map VA 0..LOW_END: the same in every address space.
        self.boot_l4e0 = self.mem.u64(lay.pt_base)
        self.frozen = {base + 1: range(1), base + 2: range(1), pt0: range(LOW_PFN)}
        self.runner_entries = {pt0: range(LOW_PFN)}     # hold no page references
        self.pt_stores: dict[int, int] = {}
        self.identity_ok: set[int] = set()      # tables checked in this hypercall
        self.tlb_flush = False                  # asked for in this hypercall
        self.mem.pt_frames = set(self.pt_type)

    def _batch(self, addr: int, count: int, st: struct.Struct):
        """The entries of a guest array, read PREEMPT_EVERY at a time; ends
        early when the runner is stopping the guest."""
        self.mem.check(addr, count * st.size)
        for first in range(0, count, PREEMPT_EVERY):
            if first and self.preempted():
                return
            if len(self.pt_stores) >= STORES_MAX:
                self.apply_pt_stores()
            n = min(PREEMPT_EVERY, count - first)
            yield from st.iter_unpack(self.mem.read(addr + first * st.size, n * st.size))

    # -- the stores --------------------------------------------------------
    def _store(self, ptr: int, val: int) -> None:
        self.mem.set_u64_trusted(ptr, val)
        self.pt_stores[ptr] = val

    def apply_pt_stores(self) -> None:
        """Make the vCPU see this hypercall's page-table stores, and flush
        its TLB if the hypercall asked for it (after the stores: a vCPU whose
        store_ptes flushes already is not flushed twice)."""
        self.identity_ok.clear()
        flush, self.tlb_flush = self.tlb_flush, False
        flushed = False
        if self.pt_stores:
            pairs = list(self.pt_stores.items())
            self.pt_stores.clear()
            flushed = self.cpu.store_ptes(self.mem, pairs)
        if flush and not flushed:
            self.cpu.flush_tlb()

    # -- page types --------------------------------------------------------
    def _type(self, pfn: int, level: int) -> None:
        self.pt_type[pfn] = level
        self.pt_refs[pfn] = 1
        self.mem.pt_frames.add(pfn)

    def _untype(self, pfn: int) -> None:
        del self.pt_type[pfn]
        del self.pt_refs[pfn]
        self.mem.pt_frames.discard(pfn)

    def _get_leaf(self, val: int) -> int:
        """Take a mapping of a data frame (an L1 entry); 0 or -errno."""
        pfn = (val & ADDR) >> 12
        if pfn >= self.nr_pages:
            return -X.EPERM
        if pfn < LOW_PFN and pfn != self.shared_pfn:
            return -X.EBUSY
        if val & W:
            if pfn in self.pt_type:
                return -X.EBUSY
            self.wmaps[pfn] = self.wmaps.get(pfn, 0) + 1
        return 0

    def _put_leaf(self, val: int) -> None:
        if val & W:
            pfn = (val & ADDR) >> 12
            n = self.wmaps.get(pfn, 0) - 1
            if n > 0:
                self.wmaps[pfn] = n
            elif n == 0:
                del self.wmaps[pfn]
            else:
                boot = self.wboot.get(pfn >> 9)
                if boot is not None and boot[pfn & 511]:
                    boot[pfn & 511] -= 1

    def writable_mappings(self, pfn: int) -> int:
        """How many writable mappings of frame pfn exist (4 KiB and 2 MiB)."""
        boot = self.wboot.get(pfn >> 9)
        return (self.wmaps.get(pfn, 0) + (boot[pfn & 511] if boot is not None else 0)
                + (self.wmaps2m[pfn >> 9] if pfn >> 9 < len(self.wmaps2m) else 0))

    def _get_entry(self, val: int, level: int) -> int:
        """Take what a present entry of a level-`level` table refers to."""
        if level == 1:
            return self._get_leaf(val)
        if val & PS:
            if level != 2 or not self.superpages_ok:
                return -X.EINVAL            # no superpages for a PV guest
            pfn = (val & ADDR) >> 12
            if pfn & 511:
                return -X.EINVAL
            if pfn + 512 > self.nr_pages:
                return -X.EPERM
            if pfn < LOW_PFN:
                return -X.EBUSY             # would map the runner's pages
            if val & W and any(pfn <= t < pfn + 512 for t in self.pt_type):
                return -X.EBUSY             # a page table inside, writable
            self._get_2m(val)
            return 0
        return self._get_table((val & ADDR) >> 12, level - 1)

    def _put_entry(self, val: int, level: int) -> None:
        if not val & P:
            return
        if level == 1:
            self._put_leaf(val)
        elif val & PS:                      # one of the boot's 2 MiB pages
            if val & W:
                idx = (val & ADDR) >> 21
                if idx < len(self.wmaps2m) and self.wmaps2m[idx]:
                    self.wmaps2m[idx] -= 1
        else:
            self._put_table((val & ADDR) >> 12)

    def _get_table(self, pfn: int, level: int) -> int:
        """Take a reference to frame `pfn` as a level-`level` table, making it
        one (validating every entry) if it is not yet; 0 or -errno."""
        if pfn >= self.nr_pages or pfn < LOW_PFN:
            return -X.EINVAL
        have = self.pt_type.get(pfn)
        if have is not None:
            if have != level:
                return -X.EINVAL
            self.pt_refs[pfn] += 1
            return 0
        if self.writable_mappings(pfn):
            return -X.EINVAL                # still mapped writable somewhere
        entries = _entries(self.mem.read(pfn * X.PAGE, X.PAGE))
        if level == 4 and entries[0] != self.boot_l4e0:
            return -X.EINVAL
        self._type(pfn, level)              # first: a table that maps itself maps read-only
        if level == 1 and pfn not in self.runner_entries:
            rc = self._get_l1_entries(entries)
            if rc:
                self._untype(pfn)
            return rc
        taken = []
        runner = self.runner_entries.get(pfn, ())
        for i, e in enumerate(entries):
            if e & P and i not in runner:
                # A tree of tables costs what it holds: a stop ends it (undone).
                rc = -X.EINTR if level > 1 and self.preempted() else self._get_entry(e, level)
                if rc:
                    for t in taken:
                        self._put_entry(t, level)
                    self._untype(pfn)
                    return rc
                taken.append(e)
        return 0

    def _get_l1_entries(self, entries: memoryview) -> int:
        """_get_leaf for every present entry of an L1 table, at C speed where
        it can be (a new table is 512 entries: ~0.3 ms entry by entry)."""
        present = [e for e in entries if e & P]
        if not present:
            return 0
        frames = [(e & ADDR) >> 12 for e in present]
        if max(frames) >= self.nr_pages:
            return -X.EPERM
        if min(frames) < LOW_PFN and any(f < LOW_PFN and f != self.shared_pfn for f in frames):
            return -X.EBUSY
        writable = [(e & ADDR) >> 12 for e in present if e & W]
        if not self.pt_type.keys().isdisjoint(writable):
            return -X.EBUSY
        wmaps = self.wmaps
        for f in writable:
            wmaps[f] = wmaps.get(f, 0) + 1
        return 0

    def _put_table(self, pfn: int) -> None:
        n = self.pt_refs.get(pfn, 0) - 1
        if n > 0:
            self.pt_refs[pfn] = n
            return
        level = self.pt_type.get(pfn)
        if level is None:
            return
        self._untype(pfn)
        runner = self.runner_entries.get(pfn, ())
        for i, e in enumerate(_entries(self.mem.read(pfn * X.PAGE, X.PAGE))):
            if i not in runner:
                self._put_entry(e, level)

    def _update_entry(self, ptr: int, val: int) -> int:
        """One entry change, as Xen's mod_lN_entry: 0 or -errno."""
        pfn = ptr >> 12
        if pfn >= self.nr_pages or pfn < LOW_PFN:
            return -X.EINVAL
        level = self.pt_type.get(pfn)
        if level is None:                   # not a page table: a plain write
            self._store(ptr, val)
            return 0
        idx = (ptr >> 3) & 511
        if idx in self.frozen.get(pfn, ()) or (level == 4 and idx == 0):
            return -X.EPERM
        if pfn not in self.identity_ok:
            # The vCPU makes the store through the table's identity mapping
            # (all RAM has one on the runner): a table the guest unmapped
            # there cannot change.
            if not self._identity_mapped(pfn):
                return -X.EINVAL
            self.identity_ok.add(pfn)
        old = self.mem.u64(ptr)
        if old == val:
            return 0
        if level == 1:                      # the common case, inline (~2x faster)
            if val & P:
                frame = (val & ADDR) >> 12
                if frame >= self.nr_pages:
                    return -X.EPERM
                if frame < LOW_PFN and frame != self.shared_pfn:
                    return -X.EBUSY
                if val & W:
                    if frame in self.pt_type:
                        return -X.EBUSY
                    self.wmaps[frame] = self.wmaps.get(frame, 0) + 1
            if old & P and old & W:
                self._put_leaf(old)
            self.mem.set_u64_trusted(ptr, val)
            self.pt_stores[ptr] = val
            return 0
        if old & P and old & PS and level == 2:
            # The boot's 2 MiB page goes first: its own frames may hold the
            # table that replaces it (a split in place).
            self._put_entry(old, level)
            rc = self._get_entry(val, level) if val & P else 0
            if rc:
                self._get_2m(old)
                return rc
        else:
            rc = self._get_entry(val, level) if val & P else 0
            if rc:
                return rc
            self._put_entry(old, level)
        self._store(ptr, val)
        return 0

    def _identity_mapped(self, pfn: int) -> bool:
        va = pfn << 12
        table = self.cr3 & ADDR
        for shift in (39, 30, 21, 12):
            e = self.mem.u64(table + ((va >> shift) & 511) * 8)
            if not e & P:
                return False
            if shift == 12 or e & PS:
                return (e & ADDR) >> shift == va >> shift
            table = e & ADDR
        return False

    def _get_2m(self, val: int) -> None:
        if val & W:
            self.wmaps2m[(val & ADDR) >> 21] += 1

    # -- the hypercalls ----------------------------------------------------
    def _mmu_update(self, reqs, count, pdone, domid, *_):
        count &= 0xFFFFFFFF
        if domid & 0xFFFF not in (X.DOMID_SELF, 0):
            return -X.ESRCH
        if count > (1 << 20):
            return -X.EINVAL
        self.detail = f" count={count}"
        done, rc = 0, 0
        for ptr, val in self._batch(reqs, count, _MMU_UPDATE):
            cmd, ptr = ptr & 3, ptr & ~7
            if cmd not in (X.MMU_NORMAL_PT_UPDATE, X.MMU_PT_UPDATE_PRESERVE_AD):
                rc = -X.ENOSYS if cmd == 3 else 0
                if cmd == X.MMU_MACHPHYS_UPDATE:
                    done += 1
                    continue
                break
            rc = self._update_entry(ptr, val)
            if rc:
                break
            done += 1
        if pdone:
            self.mem.set_u32(pdone, done)
        return rc

    def _walk_l1(self, va: int) -> int | None:
        table = self.cr3 & ADDR
        for shift in (39, 30, 21):
            e = self.mem.u64(table + ((va >> shift) & 511) * 8)
            if not e & 1 or e & PS:
                return None
            table = e & ADDR
        return table + ((va >> 12) & 511) * 8

    def _update_va(self, va, val, flags, *_):
        pte = self._walk_l1(va)
        if pte is None:
            return -X.EINVAL
        rc = self._update_entry(pte, val)
        if rc:
            return rc
        if flags & X.UVMF_FLUSHTYPE_MASK:
            self.tlb_flush = True
        return 0

    def _mmuext_op(self, ops, count, pdone, domid, *_):
        count &= 0xFFFFFFFF
        if domid & 0xFFFF not in (X.DOMID_SELF, 0):
            return -X.ESRCH
        if count > (1 << 20):
            return -X.EINVAL
        done, rc, flush = 0, 0, False
        names: list[str] = []           # for --trace only: no text per op otherwise
        for cmd, arg1, _arg2 in self._batch(ops, count, _MMUEXT_OP):
            if self.trace and len(names) < 16:
                names.append(str(X.MMUEXT.get(cmd, cmd)))
            if cmd in (6, 7, 8, 9, 10, 11):
                flush = True
            elif cmd in PIN_LEVEL:
                if arg1 in self.pinned:
                    rc = -X.EINVAL
                    break
                rc = self._get_table(arg1, PIN_LEVEL[cmd])
                if rc:
                    break
                self.pinned.add(arg1)
            elif cmd == 4:                               # unpin
                if arg1 not in self.pinned:
                    rc = -X.EINVAL
                    break
                self.pinned.discard(arg1)
                self._put_table(arg1)
            elif cmd == 5:                               # new_baseptr
                rc = self._get_table(arg1, 4)
                if rc:
                    break
                self._put_table(self.cr3 >> 12)
                self.cr3 = arg1 * X.PAGE
                self.cpu.set_cr3(self.cr3)
            elif cmd not in (12, 18, 15):
                rc = -X.ENOSYS
                break
            done += 1
        if self.trace:
            self.detail = f" {' '.join(names)}{' ...' if count > len(names) else ''}"
        if flush:
            self.tlb_flush = True
        if pdone:
            self.mem.set_u32(pdone, done)
        return rc
