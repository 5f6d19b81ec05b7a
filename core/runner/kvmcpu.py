"""The KVM vCPU behind the hypercall layer: VM setup and CpuOps on a Vcpu."""

from __future__ import annotations

import os
import struct
import time

from ..errors import UnikError
from . import builder as B
from .hypercalls import CpuOps, Stop

CAP_SYNC_REGS = 74


def open_kvm():
    """The KVM system object, or UnikError saying why /dev/kvm is unusable."""
    try:
        from . import kvm
    except ImportError as e:
        raise UnikError(f"the runner's KVM module is not built ({e}); "
                        "reinstall with `pip install -e . --no-build-isolation`") from None
    try:
        return kvm.Kvm()
    except OSError as e:
        why = os.strerror(e.errno) if e.errno else str(e)
        raise UnikError(f"/dev/kvm is not usable: {why} (use --cpu soft)") from None


@B.cache
def host_tsc_hz() -> float:
    """The host TSC rate, measured against CLOCK_MONOTONIC_RAW over ~10 ms
    (the soft CPU's; KVM says its own with KVM_GET_TSC_KHZ)."""
    from . import kvm
    t0, c0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW), kvm.rdtsc()
    while time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW) - t0 < 10_000_000:
        pass
    t1, c1 = time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW), kvm.rdtsc()
    return (c1 - c0) * 1e9 / (t1 - t0)


# KVM's cost of a memory slot grows with its size (its per-page metadata:
# ~1.2 ms for 4 GiB here), so a guest that populates its RAM as it uses it
# (SIF_UNIK_POPULATE) gets the boot region first and the rest in chunks.
POPULATE_FIRST = 128 << 20      # = UNIK_POPULATED_AT_BOOT in core/native/xen/xen_abi.h
POPULATE_CHUNK = 128 << 20
MAX_SLOTS = 256


def _store_lists(pairs: list[tuple[int, int]]):
    """(words, records) for each run of STORE_STUB: records (address, n, n
    values) for runs of adjacent entries, at most STORE_LIST_WORDS words."""
    words: list[int] = []
    records = 0
    run_at = -1                        # index in words of the open record's n
    end = -1                           # the address the open record continues at
    for addr, val in sorted(pairs):
        if addr == end and len(words) < B.STORE_LIST_WORDS:
            words[run_at] += 1
            words.append(val)
            end += 8
            continue
        if len(words) + 3 > B.STORE_LIST_WORDS:
            yield words, records
            words, records = [], 0
        run_at = len(words) + 1
        words.extend((addr, 1, val))
        records += 1
        end = addr + 8
    if records:
        yield words, records


def _store_stub_exit(ex):
    """The vCPU loop's handler while STORE_STUB runs: done at its port; a
    kick waits (the stores finish first, the exit handler then stops the
    guest); anything else is the runner's bug, not the guest's."""
    from .exits import EXIT_INTR, EXIT_IO, EXIT_KICKED
    if ex[0] == EXIT_IO and ex[1] == B.STORE_DONE_PORT:
        return True
    if ex[0] in (EXIT_INTR, EXIT_KICKED):
        return None
    return ex


class KvmCpu(CpuOps):
    def __init__(self, sysobj, ram, lay: B.Layout, *, lazy: bool = False) -> None:
        self.vm = sysobj.create_vm()
        self.ram = ram
        self.first = min(ram.size, POPULATE_FIRST) if lazy else ram.size
        size = ram.size - self.first
        per_slot = -(-size // MAX_SLOTS)                # the slots KVM has are not endless
        self.chunk = max(POPULATE_CHUNK, -(-per_slot // B.LARGE) * B.LARGE)
        self.given: set[int] = set()            # chunks given to KVM
        self.vm.set_memory(ram, 0, 0, self.first)
        self.vcpu = self.vm.create_vcpu(0)
        sregs = B.initial_sregs(lay, fsgsbase=True)
        try:
            self.vcpu.set_sregs(sregs)
            self.fsgsbase = True
        except OSError:
            sregs["cr4"] &= ~B.CR4_FSGSBASE
            self.vcpu.set_sregs(sregs)
            self.fsgsbase = False
        self.vcpu.set_regs(B.initial_regs(lay))
        self.hypercall_args = self.vcpu.hypercall_args
        self.set_rax = self.vcpu.set_rax
        self.get_regs = self.vcpu.get_regs
        self.get_sregs = self.vcpu.get_sregs

    def tsc_hz(self) -> float:
        khz = self.vcpu.tsc_khz()
        return khz * 1000.0 if khz > 0 else host_tsc_hz()

    def guest_tsc(self) -> int:
        """The TSC as the guest reads it: KVM's IA32_TSC (host TSC plus KVM's
        offset on VMX/SVM; the host's own on PVM, where CPL3 rdtsc is native)."""
        try:
            return self.vcpu.get_msr(0x10)
        except OSError:
            from . import kvm
            return kvm.rdtsc()

    def set_fs_base(self, base: int) -> None:
        self.vcpu.set_sregs({"fs": {"base": base}})

    def set_gs_base(self, base: int) -> None:
        self.vcpu.set_sregs({"gs": {"base": base}})

    def flush_tlb(self) -> None:
        # KVM flushes the guest TLB when KVM_SET_SREGS changes a paging
        # control bit: toggle CR4.PGE (no global pages are in use).
        cr4 = self.vcpu.get_sregs()["cr4"]
        self.vcpu.set_sregs({"cr4": cr4 ^ B.CR4_PGE})

    def set_cr3(self, cr3: int) -> None:
        self.vcpu.set_sregs({"cr3": cr3})

    def store_ptes(self, mem, pairs: list[tuple[int, int]]) -> bool:
        """Page-table stores the host made, made again by the vCPU: KVM's
        shadow paging (PVM here) does not see a host write to a live table,
        it sees the guest's. The vCPU runs B.STORE_STUB in ring 0 (CR0.WP
        clear: the table pages are read-only) on records in the runner's
        pages — one `rep movsq` per run of adjacent entries, as much as the
        list holds a run — then its CPL3 state comes back. ~0.1 ms a run
        here, so a batch is one run, never one per entry."""
        vcpu = self.vcpu
        regs = vcpu.get_regs()
        sregs = vcpu.get_sregs()
        ring0 = {"cs": B.kernel_seg(code=True), "ss": B.kernel_seg(code=False),
                 "cr0": sregs["cr0"] & ~B.CR0_WP}
        try:
            for words, records in _store_lists(pairs):
                mem.write_trusted(B.STORE_LIST, struct.pack(f"<{len(words)}Q", *words))
                vcpu.set_regs({"rip": B.STORE_STUB, "rsp": B.RING0_STACK_TOP,
                               "rsi": B.STORE_LIST, "rdx": records, "rflags": 0x2})
                vcpu.set_sregs(ring0)
                done = vcpu.loop(_store_stub_exit)
                if done is not True:
                    # A table the guest unmapped within the same batch (a
                    # fault in the stub): the guest's own doing.
                    raise Stop(125, "unik: guest killed: a page-table store faulted "
                                    f"(KVM exit {done[0]}, port {done[1]:#x}): the batch "
                                    "unmapped a page table it also changed")
        finally:
            vcpu.set_sregs({"cs": sregs["cs"], "ss": sregs["ss"], "cr0": sregs["cr0"]})
            vcpu.set_regs(regs)
        # KVM_SET_SREGS changing CR0 (WP, both ways) reset KVM's MMU context
        # and synced its shadow tables: what flush_tlb's CR4.PGE toggle does.
        return True

    def populate(self, start: int, end: int) -> None:
        """Give KVM the chunks of RAM that [start, end) touches (each once)."""
        lo = max(start, self.first)
        if lo >= end:
            return
        for k in range((lo - self.first) // self.chunk, (end - 1 - self.first) // self.chunk + 1):
            if k not in self.given:
                gpa = self.first + k * self.chunk
                self.vm.set_memory(self.ram, gpa, 1 + k, min(self.chunk, self.ram.size - gpa))
                self.given.add(k)

    fast = None                 # kvm.FastCalls: the guest's sleep served in C (Domain.fast_calls)

    def loop(self, handler):
        return self.vcpu.loop(handler, self.fast)

    def kick(self) -> None:
        self.vcpu.kick()

    def close(self) -> None:
        if self.fast is not None:
            self.fast.close()
        self.vcpu.close()
        self.vm.close()
