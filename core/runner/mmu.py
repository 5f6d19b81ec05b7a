"""Page-table hypercalls of the runner's Domain: mmu_update, update_va_mapping,
mmuext_op. Every PTE address and frame is checked against guest RAM and the
runner's own low pages; TLB flushes go to the vCPU (CpuOps.flush_tlb).
"""

from __future__ import annotations

import struct

from . import xenabi as X
from .builder import LOW_END

# Entries handled between two looks at Domain.preempted(): a batch of 10^6
# entries stops within milliseconds of a timeout or Ctrl-C.
PREEMPT_EVERY = 1024


_MMU_UPDATE = struct.Struct("<QQ")
_MMUEXT_OP = struct.Struct("<I4xQQ")


class MmuOps:
    """Mixed into Domain: needs self.mem, self.lay, self.cpu, self.cr3, self.detail,
    self.trace and self.preempted()."""

    def _batch(self, addr: int, count: int, st: struct.Struct):
        """The entries of a guest array, read PREEMPT_EVERY at a time; ends
        early when the runner is stopping the guest."""
        self.mem.check(addr, count * st.size)
        for first in range(0, count, PREEMPT_EVERY):
            if first and self.preempted():
                return
            n = min(PREEMPT_EVERY, count - first)
            yield from st.iter_unpack(self.mem.read(addr + first * st.size, n * st.size))

    # -- page tables -----------------------------------------------------
    def _pte_target_ok(self, ptr: int) -> bool:
        return LOW_END <= ptr and ptr + 8 <= self.lay.ram_size and ptr % 8 == 0

    def _val_ok(self, val: int) -> bool:
        """A PTE value may map any guest frame but the runner's own low pages."""
        if not val & 1:
            return True
        frame = val & 0x000FFFFFFFFFF000
        if frame < LOW_END and frame != self.lay.shared_info:
            return False
        return frame < self.lay.ram_size

    def _mmu_update(self, reqs, count, pdone, domid, *_):
        count &= 0xFFFFFFFF
        if domid & 0xFFFF not in (X.DOMID_SELF, 0):
            return -X.ESRCH
        if count > (1 << 20):
            return -X.EINVAL
        self.detail = f" count={count}"
        done, rc = 0, 0
        for ptr, val in self._batch(reqs, count, _MMU_UPDATE):
            cmd, ptr = ptr & 3, ptr & ~3
            if cmd not in (X.MMU_NORMAL_PT_UPDATE, X.MMU_PT_UPDATE_PRESERVE_AD):
                rc = -X.ENOSYS if cmd == 3 else 0
                if cmd == X.MMU_MACHPHYS_UPDATE:
                    done += 1
                    continue
                break
            if not self._pte_target_ok(ptr) or not self._val_ok(val):
                rc = -X.EINVAL
                break
            self.mem.set_u64_trusted(ptr, val)
            done += 1
        if pdone:
            self.mem.set_u32(pdone, done)
        return rc

    def _walk_l1(self, va: int) -> int | None:
        table = self.cr3 & 0x000FFFFFFFFFF000
        for shift in (39, 30, 21):
            e = self.mem.u64(table + ((va >> shift) & 511) * 8)
            if not e & 1 or e & 0x80:
                return None
            table = e & 0x000FFFFFFFFFF000
        return table + ((va >> 12) & 511) * 8

    def _update_va(self, va, val, flags, *_):
        pte = self._walk_l1(va)
        if pte is None or not self._pte_target_ok(pte) or not self._val_ok(val):
            return -X.EINVAL
        self.mem.set_u64_trusted(pte, val)
        if flags & X.UVMF_FLUSHTYPE_MASK:
            self.cpu.flush_tlb()
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
            elif cmd == 5:                               # new_baseptr
                if arg1 * X.PAGE >= self.lay.ram_size:
                    rc = -X.EINVAL
                    break
                self.cr3 = arg1 * X.PAGE
                self.cpu.set_cr3(self.cr3)
            elif cmd not in (0, 1, 2, 3, 4, 12, 18, 15):
                rc = -X.ENOSYS
                break
            done += 1
        if self.trace:
            self.detail = f" {' '.join(names)}{' ...' if count > len(names) else ''}"
        if flush:
            self.cpu.flush_tlb()
        if pdone:
            self.mem.set_u32(pdone, done)
        return rc

