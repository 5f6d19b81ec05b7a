"""The exit handler: one pure function from a vCPU exit to what happens next.

`handle_exit(exit, machine)` takes the exit as a plain tuple
`(reason, port_or_addr, direction_or_write, size, data)` (what the Cython
loop decodes from kvm_run, or what a test makes up) and a Machine that gives
access to the vCPU's registers and the Domain. It returns None to resume the
guest or a Stop with unik run's exit status. Dispatch is through EXIT_TABLE
(by KVM exit reason) and IO_TABLE (by port).
"""

from __future__ import annotations

from .builder import CRASH_PORT, ERRCODE_VECTORS, HYPERCALL_PORT
from .hypercalls import Domain, Stop

# crash.py (symbols, pathlib) loads when a guest crashes, not on every boot.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .crash import Crash

# KVM exit reasons (linux/kvm.h)
EXIT_UNKNOWN, EXIT_EXCEPTION, EXIT_IO, EXIT_DEBUG, EXIT_HLT = 0, 1, 2, 4, 5
EXIT_MMIO, EXIT_SHUTDOWN, EXIT_FAIL_ENTRY, EXIT_INTR = 6, 8, 9, 10
EXIT_INTERNAL_ERROR, EXIT_SYSTEM_EVENT = 17, 24
EXIT_KICKED = 0x10000          # KVM_RUN returned EINTR (a kick or a signal)
IO_IN, IO_OUT = 0, 1


class Machine:
    """What the exit handler works on. `cpu` has hypercall_args(), set_rax(v),
    get_regs() and get_sregs() (the KVM vCPU, the soft CPU or a test fake)."""

    def __init__(self, domain: Domain, cpu: object, image: str | None = None, *,
                 stop_status: int = 124, stop_message: str = "") -> None:
        self.domain, self.cpu, self.image = domain, cpu, image
        self.stop_status = stop_status          # what a kick means (timeout or Ctrl-C)
        self.stop_message = stop_message
        self.crash: Crash | None = None


def _hypercall(ex, m: Machine):
    try:
        rax = m.domain.hypercall(ex[4] & 0xFFFFFFFF, m.cpu.hypercall_args())
    except Stop as s:
        return s
    m.cpu.set_rax(rax)
    if m.domain.stop_requested.is_set():
        return Stop(m.stop_status, m.stop_message)
    return None


def _crash_port(ex, m: Machine):
    """The ring-0 stub pushed %rax, then reported the vector: rebuild the
    guest's registers from the exception frame on the ring-0 stack."""
    from .crash import VECTORS, Crash

    vector = ex[4] & 0xFF
    regs = dict(m.cpu.get_regs())
    sregs = m.cpu.get_sregs()
    mem = m.domain.mem
    err = None
    try:
        sp = regs["rsp"]
        regs["rax"] = mem.u64(sp)
        sp += 8
        if vector in ERRCODE_VECTORS:
            err = mem.u64(sp)
            sp += 8
        regs["rip"], _cs, regs["rflags"], regs["rsp"], _ss = (mem.u64(sp + 8 * i)
                                                              for i in range(5))
    except Exception:
        pass
    name = VECTORS.get(vector, f"vector {vector}")
    m.crash = Crash(f"CPU exception {name}", regs, cr2=sregs.get("cr2"), vector=vector,
                    error_code=err)
    return Stop(125, "")


def _other_port(ex, m: Machine):
    from .crash import Crash

    m.crash = Crash(f"unexpected I/O to port {ex[1]:#x}", dict(m.cpu.get_regs()))
    return Stop(125, "")


IO_TABLE = {HYPERCALL_PORT: _hypercall, CRASH_PORT: _crash_port}


def _io(ex, m: Machine):
    if ex[2] != IO_OUT or ex[3] != 4:
        return _other_port(ex, m)
    return IO_TABLE.get(ex[1], _other_port)(ex, m)


def _kicked(ex, m: Machine):
    if m.domain.stop_requested.is_set():
        return Stop(m.stop_status, m.stop_message)
    return None


def _fatal(reason: str):
    def handler(ex, m: Machine):
        from .crash import Crash

        regs = {}
        try:
            regs = dict(m.cpu.get_regs())
        except Exception:
            pass
        m.crash = Crash(reason.format(data=ex[4], addr=ex[1]), regs)
        return Stop(125, "")
    return handler


def _exception(ex, m: Machine):
    """A CPU exception the CPU reported itself (the soft CPU's interrupt
    hook): ex[4] is the vector, -1 with ex[5] a message for an emulator error."""
    from .crash import VECTORS, Crash

    regs, sregs = {}, {}
    try:
        regs, sregs = dict(m.cpu.get_regs()), m.cpu.get_sregs()
    except Exception:
        pass
    vector = ex[4]
    if vector < 0:
        what = ex[5] if len(ex) > 5 else "emulator error"
        m.crash = Crash(f"CPU fault ({what})", regs)
    else:
        name = VECTORS.get(vector, f"vector {vector}")
        m.crash = Crash(f"CPU exception {name}", regs, cr2=sregs.get("cr2"), vector=vector)
    return Stop(125, "")


def _fail_entry(ex, m: Machine):
    return Stop(127, f"unik: KVM could not enter the guest (hardware reason {ex[4]:#x})")


EXIT_TABLE = {
    EXIT_IO: _io,
    EXIT_KICKED: _kicked,
    EXIT_INTR: _kicked,
    EXIT_SHUTDOWN: _fatal("triple fault"),
    EXIT_INTERNAL_ERROR: _fatal("KVM internal error (suberror {data})"),
    EXIT_HLT: _fatal("the guest halted in ring 0"),
    EXIT_MMIO: _fatal("access to unbacked guest-physical address {addr:#x}"),
    EXIT_EXCEPTION: _exception,
    EXIT_FAIL_ENTRY: _fail_entry,
}


def handle_exit(ex: tuple, m: Machine):
    return EXIT_TABLE.get(ex[0], _fatal(f"unexpected KVM exit {ex[0]}"))(ex, m)
