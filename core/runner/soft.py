"""The software CPU: the same guest and hypercall layer on the Unicorn engine.

Used where /dev/kvm is missing or unusable, or with cpu="soft". The guest
runs at CPL3 with the domain builder's page tables, GDT, IDT and TSS; an `out`
to the hypercall port reaches the same exit handler as on KVM (an OUT hook
makes the exit tuple), CPU exceptions arrive through the interrupt hook.
Slower than KVM, identical in what the guest sees and prints.
"""

from __future__ import annotations

import ctypes
import mmap
import struct

from . import builder as B
from .exits import EXIT_EXCEPTION, EXIT_IO, EXIT_KICKED, EXIT_MMIO, IO_IN, IO_OUT
from .hypercalls import CpuOps, GuestTime, Stop

_REGS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11",
         "r12", "r13", "r14", "r15", "rip", "rflags")


class SoftRam:
    def __init__(self, size: int) -> None:
        self.map = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.address = ctypes.addressof(ctypes.c_char.from_buffer(self.map))
        self.size = size

    def resident_pages(self) -> int:
        libc = ctypes.CDLL(None, use_errno=True)
        n = (self.size + 4095) // 4096
        vec = (ctypes.c_ubyte * n)()
        if libc.mincore(ctypes.c_void_p(self.address), ctypes.c_size_t(self.size), vec):
            return -1
        return sum(b & 1 for b in vec)


def soft_ram(size: int):
    ram = SoftRam(size)
    return ram, memoryview(ram.map)


class SoftCpu(CpuOps):
    def __init__(self, ram: SoftRam, size: int, lay: B.Layout) -> None:
        import unicorn as U
        from unicorn import x86_const as C
        self.U, self.C = U, C
        self.uc = uc = U.Uc(U.UC_ARCH_X86, U.UC_MODE_64)
        uc.mem_map_ptr(0, size, U.UC_PROT_ALL, ram.address)
        self._r = {n: getattr(C, f"UC_X86_REG_{n.upper()}") for n in _REGS}
        # Long mode with the builder's page tables.
        uc.reg_write(C.UC_X86_REG_CR3, lay.pt_base)
        uc.reg_write(C.UC_X86_REG_CR4, B.CR4_PAE | B.CR4_OSFXSR | B.CR4_OSXMMEXCPT
                     | B.CR4_FSGSBASE)
        uc.msr_write(0xC0000080, B.EFER_LME | B.EFER_LMA)         # EFER
        uc.reg_write(C.UC_X86_REG_CR0, B.CR0_PE | B.CR0_MP | B.CR0_ET | B.CR0_NE | B.CR0_WP
                     | B.CR0_PG)
        # CPL3 as on KVM, with the same GDT, IDT and TSS (type 9: the
        # emulator reads the I/O bitmap only from an available TSS), so that
        # supervisor-only pages and the I/O bitmap mean the same on both
        # CPUs. The emulator starts at CPL0: an iretq drops it to CPL3.
        uc.reg_write(C.UC_X86_REG_GDTR, (0, B.GDT_ADDR, B.GDT_LIMIT, 0))
        uc.reg_write(C.UC_X86_REG_IDTR, (0, B.IDT_ADDR, 256 * 16 - 1, 0))
        uc.reg_write(C.UC_X86_REG_TR, (B.SEL_TSS, B.TSS_ADDR, B.TSS_LIMIT, 0x89 << 8))
        # The FPU as KVM starts it (and FNINIT leaves it): x87 control word
        # 0x37f (double-extended precision, exceptions masked), MXCSR 0x1f80.
        uc.reg_write(C.UC_X86_REG_FPCW, 0x37F)
        uc.reg_write(C.UC_X86_REG_FPTAG, 0xFFFF)
        uc.reg_write(C.UC_X86_REG_MXCSR, 0x1F80)
        regs = B.initial_regs(lay)
        frame = B.RING0_STACK_TOP - 40
        uc.mem_write(frame, struct.pack("<5Q", regs["rip"], B.SEL_UCODE, regs["rflags"],
                                        regs["rsp"], B.SEL_UDATA))
        uc.reg_write(C.UC_X86_REG_RSI, regs["rsi"])
        uc.reg_write(C.UC_X86_REG_RSP, frame)
        uc.reg_write(C.UC_X86_REG_RIP, B.IRET_TRAMPOLINE)
        self.fsgsbase = True
        self.exits = 0
        self.handler = None
        self.result = None
        self.kicked = False
        uc.hook_add(U.UC_HOOK_INSN, self._out, None, 1, 0, C.UC_X86_INS_OUT)
        uc.hook_add(U.UC_HOOK_INSN, self._in, None, 1, 0, C.UC_X86_INS_IN)
        uc.hook_add(U.UC_HOOK_INTR, self._intr)
        uc.hook_add(U.UC_HOOK_MEM_UNMAPPED | U.UC_HOOK_MEM_PROT, self._mem)

    def clock(self) -> GuestTime:
        try:
            from . import kvm
            from .kvmcpu import host_tsc_hz
            return GuestTime(host_tsc_hz(), kvm.rdtsc)
        except ImportError:
            import time
            return GuestTime(1e9, time.monotonic_ns)

    # -- what the exit handler and the hypercalls use --------------------
    def hypercall_args(self):
        r, uc = self._r, self.uc
        return (uc.reg_read(r["rdi"]), uc.reg_read(r["rsi"]), uc.reg_read(r["rdx"]),
                uc.reg_read(r["r10"]), uc.reg_read(r["r8"]))

    def set_rax(self, value: int) -> None:
        self.uc.reg_write(self._r["rax"], value)

    def get_regs(self) -> dict:
        return {n: self.uc.reg_read(self._r[n]) for n in _REGS}

    def get_sregs(self) -> dict:
        C = self.C
        return {"cr2": self.uc.reg_read(C.UC_X86_REG_CR2),
                "cr3": self.uc.reg_read(C.UC_X86_REG_CR3)}

    def set_fs_base(self, base: int) -> None:
        self.uc.reg_write(self.C.UC_X86_REG_FS_BASE, base)

    def set_gs_base(self, base: int) -> None:
        self.uc.reg_write(self.C.UC_X86_REG_GS_BASE, base)

    def flush_tlb(self) -> None:
        # Rewriting CR3 flushes the emulated TLB.
        self.uc.reg_write(self.C.UC_X86_REG_CR3, self.uc.reg_read(self.C.UC_X86_REG_CR3))

    def set_cr3(self, cr3: int) -> None:
        self.uc.reg_write(self.C.UC_X86_REG_CR3, cr3)

    # -- hooks -------------------------------------------------------------
    def _deliver(self, ex) -> None:
        self.exits += 1
        try:
            res = self.handler(ex)
        except BaseException as e:             # never let an exception escape a hook
            self.result = e
            self.uc.emu_stop()
            return
        if res is not None:
            self.result = res
            self.uc.emu_stop()

    def _out(self, uc, port, size, value, _ud):
        if not B.port_allowed(port, size):
            return self._gp()
        self._deliver((EXIT_IO, port, IO_OUT, size, value))

    def _in(self, uc, port, size, _ud):
        """`in` exits like KVM's for a port the TSS bitmap allows (the exit
        handler stops the guest: no port is read), else #GP as on KVM and Xen."""
        if not B.port_allowed(port, size):
            self._gp()
        else:
            self._deliver((EXIT_IO, port, IO_IN, size, 0))
        return 0

    def _gp(self) -> None:
        """A forbidden port at CPL3 is a #GP: what the CPU raises on KVM (the
        emulator does not read the TSS I/O bitmap)."""
        self._deliver((EXIT_EXCEPTION, 0, 0, 0, 13))
        if self.result is None:
            self.result = RuntimeError("#GP not handled")
            self.uc.emu_stop()

    def _intr(self, uc, intno, _ud):
        self._deliver((EXIT_EXCEPTION, 0, 0, 0, intno))
        if self.result is None:
            self.result = RuntimeError(f"exception {intno} not handled")
            uc.emu_stop()

    def _mem(self, uc, access, address, size, value, _ud):
        self._deliver((EXIT_MMIO, address, 1 if access in (20, 22) else 0, size, 0))
        return False

    def loop(self, handler):
        self.handler = handler
        U = self.U
        while True:
            self.result = None
            if self.kicked:             # a kick before emu_start would be lost
                self.kicked = False
                res = handler((EXIT_KICKED, 0, 0, 0, 0))
                if res is not None:
                    return res
            rip = self.uc.reg_read(self._r["rip"])
            try:
                self.uc.emu_start(rip, -1)
            except U.UcError as e:
                if self.result is None:
                    self.result = handler((EXIT_EXCEPTION, 0, 0, 0, -1, str(e)))
            if isinstance(self.result, BaseException) and not isinstance(self.result, Stop):
                raise self.result
            if self.result is not None:
                return self.result
            if self.kicked:
                self.kicked = False
                res = handler((EXIT_KICKED, 0, 0, 0, 0))
                if res is not None:
                    return res

    def kick(self) -> None:
        self.kicked = True
        self.uc.emu_stop()

    def close(self) -> None:
        pass
