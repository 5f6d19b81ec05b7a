"""The exit handler with synthetic exits: no VM, a fake vCPU and a Domain in plain memory."""

from __future__ import annotations

import struct

from unik.runner import builder as B
from unik.runner import exits as E
from unik.runner import xenabi as X
from unik.runner.hypercalls import Stop


def machine(world):
    return E.Machine(world.domain, world.cpu)


def test_table_covers_the_exits_a_guest_can_cause():
    for reason in (E.EXIT_IO, E.EXIT_SHUTDOWN, E.EXIT_INTERNAL_ERROR, E.EXIT_HLT, E.EXIT_MMIO,
                   E.EXIT_FAIL_ENTRY, E.EXIT_KICKED, E.EXIT_EXCEPTION):
        assert reason in E.EXIT_TABLE


def test_hypercall_exit_sets_rax_and_resumes(world):
    m = machine(world)
    world.cpu.regs.update(rdi=0)                       # XENVER_version
    assert E.handle_exit((E.EXIT_IO, B.HYPERCALL_PORT, E.IO_OUT, 4, X.HC["xen_version"]), m) \
        is None
    assert world.cpu.regs["rax"] == (4 << 16 | 17)


def test_unknown_hypercall_returns_enosys(world):
    m = machine(world)
    assert E.handle_exit((E.EXIT_IO, B.HYPERCALL_PORT, E.IO_OUT, 4, 99), m) is None
    assert X.signed(world.cpu.regs["rax"]) == -X.ENOSYS


def test_shutdown_hypercall_stops_with_the_code(world):
    m = machine(world)
    world.mem.set_u32(world.scratch, 42)
    world.cpu.regs.update(rdi=X.SCHEDOP_shutdown_code, rsi=world.scratch)
    assert E.handle_exit((E.EXIT_IO, B.HYPERCALL_PORT, E.IO_OUT, 4, X.HC["sched_op"]), m) is None
    world.mem.set_u32(world.scratch, X.SHUTDOWN_poweroff)
    world.cpu.regs.update(rdi=X.SCHEDOP_shutdown)
    res = E.handle_exit((E.EXIT_IO, B.HYPERCALL_PORT, E.IO_OUT, 4, X.HC["sched_op"]), m)
    assert isinstance(res, Stop) and res.status == 42


def test_crash_port_rebuilds_the_faulting_registers(world):
    m = machine(world)
    # What the CPU and the ring-0 stub leave on the ring-0 stack for a #PF:
    # saved rax, error code, rip, cs, rflags, rsp, ss.
    sp = B.RING0_STACK_TOP - 7 * 8
    frame = struct.pack("<7Q", 0x1234, 0x4, 0x100abc, 0x33, 0x246, 0x200000, 0x2B)
    world.mem.write_trusted(sp, frame)
    world.cpu.regs.update(rsp=sp, rip=B.STUBS_ADDR + 14 * 16 + 8)
    world.cpu.sregs["cr2"] = 0xdead000
    res = E.handle_exit((E.EXIT_IO, B.CRASH_PORT, E.IO_OUT, 4, 14), m)
    assert isinstance(res, Stop) and res.status == 125
    c = m.crash
    assert c.vector == 14 and c.error_code == 4 and c.cr2 == 0xdead000
    assert c.regs["rip"] == 0x100abc and c.regs["rsp"] == 0x200000 and c.regs["rax"] == 0x1234
    assert "page fault" in c.reason


def test_crash_port_with_a_garbage_stack_pointer_still_reports(world):
    m = machine(world)
    world.cpu.regs.update(rsp=1 << 60)
    res = E.handle_exit((E.EXIT_IO, B.CRASH_PORT, E.IO_OUT, 4, 13), m)
    assert res.status == 125 and "general protection" in m.crash.reason


def test_fatal_exits(world):
    for ex, status, what in [((E.EXIT_SHUTDOWN, 0, 0, 0, 0), 125, "triple fault"),
                             ((E.EXIT_INTERNAL_ERROR, 0, 0, 0, 1), 125, "internal error"),
                             ((E.EXIT_MMIO, 0xfee00000, 1, 4, 0), 125, "0xfee00000"),
                             ((E.EXIT_HLT, 0, 0, 0, 0), 125, "halted"),
                             ((E.EXIT_EXCEPTION, 0, 0, 0, 6), 125, "invalid opcode"),
                             ((12345, 0, 0, 0, 0), 125, "unexpected KVM exit")]:
        m = machine(world)
        res = E.handle_exit(ex, m)
        assert res.status == status
        assert what in m.crash.reason


def test_fail_entry_is_a_host_problem(world):
    res = E.handle_exit((E.EXIT_FAIL_ENTRY, 0, 0, 0, 0x21), machine(world))
    assert res.status == 127 and "could not enter" in res.message


def test_io_to_another_port_or_size_is_a_crash(world):
    m = machine(world)
    assert E.handle_exit((E.EXIT_IO, 0x3f8, E.IO_OUT, 1, 65), m).status == 125
    assert "0x3f8" in m.crash.reason
    m = machine(world)
    assert E.handle_exit((E.EXIT_IO, B.HYPERCALL_PORT, 0, 4, 0), m).status == 125


def test_kick_resumes_unless_a_stop_was_requested(world):
    m = machine(world)
    assert E.handle_exit((E.EXIT_KICKED, 0, 0, 0, 0), m) is None
    m.stop_status, m.stop_message = 124, "timeout"
    world.domain.stop_requested.set()
    res = E.handle_exit((E.EXIT_KICKED, 0, 0, 0, 0), m)
    assert res.status == 124 and res.message == "timeout"


def test_stop_request_ends_the_guest_after_a_hypercall(world):
    m = machine(world)
    m.stop_status = 130
    world.domain.stop_requested.set()
    res = E.handle_exit((E.EXIT_IO, B.HYPERCALL_PORT, E.IO_OUT, 4, X.HC["xen_version"]), m)
    assert res.status == 130
