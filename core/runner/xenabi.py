"""The Xen ABI from the host side: numbers, layouts and error codes.

Our own definitions, read from Xen's public headers (xen/xen.h, sched.h,
vcpu.h, event_channel.h, memory.h, version.h, io/console.h, elfnote.h,
errno.h) — the spec the guest core (core/native/xen/xen_abi.h) follows too.
Only x86-64 PV layouts.
"""

from __future__ import annotations

import struct

PAGE = 4096

# ELF notes (name "Xen")
NOTE_ENTRY = 1
NOTE_HYPERCALL_PAGE = 2
NOTE_VIRT_BASE = 3
NOTE_PADDR_OFFSET = 4
NOTE_XEN_VERSION = 5
NOTE_GUEST_OS = 6
NOTE_LOADER = 8
NOTE_PAE_MODE = 9
NOTE_FEATURES = 10
NOTE_INIT_P2M = 15
NOTE_PHYS32_ENTRY = 18

# Hypercall numbers
HYPERCALLS = {
    0: "set_trap_table", 1: "mmu_update", 2: "set_gdt", 3: "stack_switch",
    4: "set_callbacks", 5: "fpu_taskswitch", 6: "sched_op_compat", 7: "platform_op",
    8: "set_debugreg", 9: "get_debugreg", 10: "update_descriptor", 12: "memory_op",
    13: "multicall", 14: "update_va_mapping", 15: "set_timer_op",
    16: "event_channel_op_compat", 17: "xen_version", 18: "console_io",
    19: "physdev_op_compat", 20: "grant_table_op", 21: "vm_assist",
    22: "update_va_mapping_otherdomain", 23: "iret", 24: "vcpu_op", 25: "set_segment_base",
    26: "mmuext_op", 27: "xsm_op", 28: "nmi_op", 29: "sched_op", 30: "callback_op",
    31: "xenoprof_op", 32: "event_channel_op", 33: "physdev_op", 34: "hvm_op", 35: "sysctl",
    36: "domctl", 37: "kexec_op", 38: "tmem_op", 39: "argo_op", 40: "xenpmu_op", 41: "dm_op",
    42: "hypfs_op",
}
HC = {name: nr for nr, name in HYPERCALLS.items()}
HYPERCALL_STUB = 32

# Error numbers (Xen's; returned negated in rax)
EPERM, ENOENT, ESRCH, EINTR, EIO = 1, 2, 3, 4, 5
EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST = 11, 12, 13, 14, 16, 17
EINVAL, ENOSPC, ENOSYS, ETIME, EOPNOTSUPP = 22, 28, 38, 62, 95

# console_io
CONSOLEIO_write, CONSOLEIO_read = 0, 1

# sched_op
SCHEDOP = {0: "yield", 1: "block", 2: "shutdown", 3: "poll", 4: "remote_shutdown",
           5: "shutdown_code", 6: "watchdog", 7: "pin_override"}
SCHEDOP_yield, SCHEDOP_block, SCHEDOP_shutdown, SCHEDOP_poll = 0, 1, 2, 3
SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code, SCHEDOP_watchdog = 4, 5, 6
SHUTDOWN = {0: "poweroff", 1: "reboot", 2: "suspend", 3: "crash", 4: "watchdog",
            5: "soft_reset"}
SHUTDOWN_poweroff, SHUTDOWN_reboot, SHUTDOWN_suspend, SHUTDOWN_crash = 0, 1, 2, 3
SCHED_POLL = struct.Struct("<QI4xQ")          # ports, nr_ports, timeout

# vcpu_op
VCPUOP = {0: "initialise", 1: "up", 2: "down", 3: "is_up", 4: "get_runstate_info",
          5: "register_runstate_memory_area", 6: "set_periodic_timer",
          7: "stop_periodic_timer", 8: "set_singleshot_timer", 9: "stop_singleshot_timer",
          10: "register_vcpu_info", 11: "send_nmi", 12: "get_physid",
          13: "register_vcpu_time_memory_area"}
VCPUOP_is_up, VCPUOP_stop_periodic_timer = 3, 7
VCPUOP_set_singleshot_timer, VCPUOP_stop_singleshot_timer = 8, 9
VCPU_SSHOTTMR_future = 1
SINGLESHOT = struct.Struct("<QI4x")

# event_channel_op
EVTCHNOP = {0: "bind_interdomain", 1: "bind_virq", 2: "bind_pirq", 3: "close", 4: "send",
            5: "status", 6: "alloc_unbound", 7: "bind_ipi", 8: "bind_vcpu", 9: "unmask",
            10: "reset", 11: "init_control", 12: "expand_array", 13: "set_priority"}
EVTCHNOP_bind_virq, EVTCHNOP_close, EVTCHNOP_send, EVTCHNOP_status = 1, 3, 4, 5
EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi, EVTCHNOP_unmask = 6, 7, 9
EVTCHNSTAT_closed, EVTCHNSTAT_unbound, EVTCHNSTAT_interdomain = 0, 1, 2
EVTCHNSTAT_pirq, EVTCHNSTAT_virq, EVTCHNSTAT_ipi = 3, 4, 5
NR_VIRQS = 24
VIRQ_TIMER = 0
DOMID_SELF = 0x7FF0
NR_EVTCHN = 4096                     # 2-level ABI on x86-64: 64 words of 64 bits

# memory_op
XENMEM = {0: "increase_reservation", 1: "decrease_reservation", 2: "maximum_ram_page",
          3: "current_reservation", 4: "maximum_reservation", 5: "machphys_mfn_list",
          6: "populate_physmap", 7: "add_to_physmap", 9: "memory_map",
          10: "machine_memory_map", 14: "maximum_gpfn"}
XENMEM_increase_reservation, XENMEM_decrease_reservation = 0, 1
XENMEM_maximum_ram_page, XENMEM_current_reservation, XENMEM_maximum_reservation = 2, 3, 4
XENMEM_populate_physmap, XENMEM_memory_map, XENMEM_machine_memory_map = 6, 9, 10
XENMEM_maximum_gpfn = 14
MEMORY_RESERVATION = struct.Struct("<QQIIH6x")  # extent_start, nr_extents, order, flags, domid
MEMORY_MAP = struct.Struct("<I4xQ")             # nr_entries, buffer
E820_ENTRY = struct.Struct("<QQI")              # addr, size, type (packed, 20 bytes)
E820_RAM = 1

# xen_version
XENVER = {0: "version", 1: "extraversion", 2: "compile_info", 3: "capabilities",
          4: "changeset", 5: "platform_parameters", 6: "get_features", 7: "pagesize",
          8: "guest_handle", 9: "commandline", 10: "build_id"}
XEN_MAJOR, XEN_MINOR = 4, 17

# mmu
MMU_NORMAL_PT_UPDATE, MMU_MACHPHYS_UPDATE, MMU_PT_UPDATE_PRESERVE_AD = 0, 1, 2
MMU_UPDATE = struct.Struct("<QQ")
MMUEXT_OP = struct.Struct("<I4xQQ")
MMUEXT = {0: "pin_l1", 1: "pin_l2", 2: "pin_l3", 3: "pin_l4", 4: "unpin", 5: "new_baseptr",
          6: "tlb_flush_local", 7: "invlpg_local", 8: "tlb_flush_multi", 9: "invlpg_multi",
          10: "tlb_flush_all", 11: "invlpg_all", 12: "flush_cache", 13: "set_ldt",
          15: "new_user_baseptr", 16: "clear_page", 17: "copy_page",
          18: "flush_cache_global", 19: "mark_super", 20: "unmark_super"}
UVMF_FLUSHTYPE_MASK = 3
MULTICALL_ENTRY = struct.Struct("<QQ6Q")       # op, result, args[6]

# hvm_op (the parameters a PVH guest reads; served to PV guests too)
HVMOP_set_param, HVMOP_get_param = 0, 1
HVM_PARAM = struct.Struct("<H2xIQ")            # domid, index, value
HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN = 1, 2
HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN = 17, 18

# set_segment_base
SEGBASE_FS, SEGBASE_GS_USER, SEGBASE_GS_KERNEL, SEGBASE_GS_USER_SEL = 0, 1, 2, 3

# start_info
START_INFO_SIZE = 1168
MAX_GUEST_CMDLINE = 1024
SIF_PRIVILEGED, SIF_INITDOMAIN = 1 << 0, 1 << 1
SIF_UNIK_RUNNER = 1 << 30      # unik's: all RAM identity-mapped (user, RW; tables RO) at boot
SIF_UNIK_WRFSBASE = 1 << 29    # unik's: CPL3 may use wrfsbase
SIF_UNIK_POPULATE = 1 << 28    # unik's: RAM past the boot region needs XENMEM_populate_physmap


def pack_start_info(*, magic: bytes, nr_pages: int, shared_info: int, flags: int,
                    store_mfn: int, store_evtchn: int, console_mfn: int, console_evtchn: int,
                    pt_base: int, nr_pt_frames: int, mfn_list: int, mod_start: int,
                    mod_len: int, cmdline: bytes, first_p2m_pfn: int = 0,
                    nr_p2m_frames: int = 0) -> bytes:
    head = struct.pack("<32sQQI4xQI4xQI4xQQQQQ", magic, nr_pages, shared_info, flags,
                       store_mfn, store_evtchn, console_mfn, console_evtchn, pt_base,
                       nr_pt_frames, mfn_list, mod_start, mod_len)
    assert len(head) == 128
    cmd = cmdline[:MAX_GUEST_CMDLINE - 1].ljust(MAX_GUEST_CMDLINE, b"\0")
    return head + cmd + struct.pack("<QQ", first_p2m_pfn, nr_p2m_frames)


# unik's stream record in the start_info page (core/native/xen/unik_streams.h)
UNIK_STREAMS_OFFSET = 0xC00
UNIK_STREAMS_MAGIC = 0x316D727473756E75          # "unustrm1"
UNIK_STREAM_DESC = struct.Struct("<QIIHHI")     # ring, size, evtchn, tty_rows, tty_cols


def pack_streams(streams: list[tuple[int, int, int, int, int]]) -> bytes:
    """The record: magic, version 1, count, then (ring, size, evtchn, rows, cols) each."""
    return struct.pack("<QII", UNIK_STREAMS_MAGIC, 1, len(streams)) + b"".join(
        UNIK_STREAM_DESC.pack(ring, size, evtchn, rows, cols, 0)
        for ring, size, evtchn, rows, cols in streams)


# shared_info (one page)
VCPU_INFO_SIZE = 64
SI_UPCALL_PENDING = 0
SI_UPCALL_MASK = 1
SI_PENDING_SEL = 8
SI_TIME = 32                   # vcpu_info[0].time
VCPU_TIME_INFO = struct.Struct("<IIQQIbB2x")   # version, pad, tsc_ts, sys_time, mul, shift, flags
SI_EVTCHN_PENDING = 2048
SI_EVTCHN_MASK = 2560
SI_WC_VERSION = 3072
SI_WC = struct.Struct("<IIII")                 # version, sec, nsec, sec_hi
SI_MAX_PFN = 3088

# PV console ring (xencons_interface)
CONS_IN_SIZE, CONS_OUT_SIZE = 1024, 2048
CONS_OUT = 1024
CONS_OUT_CONS = 3080
CONS_OUT_PROD = 3084


def errno_ret(err: int) -> int:
    """-err as the 64-bit value the guest reads in rax."""
    return (-err) & 0xFFFF_FFFF_FFFF_FFFF


def signed(v: int) -> int:
    v &= 0xFFFF_FFFF_FFFF_FFFF
    return v - (1 << 64) if v >> 63 else v
