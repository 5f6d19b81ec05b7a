/*
 * linux.h — the parts of the Linux x86-64 system-call ABI that the core's
 * system-call layer serves (numbers, flags, structure layouts), written
 * from the ABI itself so the core does not depend on any libc's feature
 * macros. Error numbers come from <errno.h>, which is the kernel's list.
 */
#ifndef UNIK_LINUX_H
#define UNIK_LINUX_H

#include <stdint.h>

/* System-call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
enum {
    NR_read = 0, NR_write = 1, NR_open = 2, NR_close = 3, NR_stat = 4, NR_fstat = 5,
    NR_lstat = 6, NR_poll = 7, NR_lseek = 8, NR_mmap = 9, NR_mprotect = 10,
    NR_munmap = 11, NR_brk = 12, NR_rt_sigaction = 13, NR_rt_sigprocmask = 14,
    NR_ioctl = 16, NR_pread64 = 17, NR_pwrite64 = 18, NR_readv = 19, NR_writev = 20,
    NR_access = 21, NR_sched_yield = 24, NR_mremap = 25, NR_madvise = 28,
    NR_dup = 32, NR_dup2 = 33, NR_nanosleep = 35, NR_getpid = 39, NR_clone = 56,
    NR_fork = 57, NR_vfork = 58, NR_execve = 59, NR_exit = 60, NR_wait4 = 61,
    NR_kill = 62, NR_uname = 63, NR_fcntl = 72, NR_getcwd = 79, NR_readlink = 89,
    NR_gettimeofday = 96, NR_getrlimit = 97, NR_getrusage = 98, NR_sysinfo = 99,
    NR_times = 100, NR_getuid = 102, NR_getgid = 104, NR_setuid = 105, NR_setgid = 106,
    NR_geteuid = 107, NR_getegid = 108, NR_getppid = 110, NR_getpgrp = 111,
    NR_setsid = 112, NR_getpgid = 121, NR_getsid = 124, NR_rt_sigpending = 127,
    NR_sigaltstack = 131,
    NR_arch_prctl = 158, NR_setrlimit = 160, NR_gettid = 186, NR_tkill = 200,
    NR_time = 201, NR_futex = 202, NR_sched_setaffinity = 203,
    NR_sched_getaffinity = 204, NR_set_thread_area = 205, NR_get_thread_area = 211,
    NR_set_tid_address = 218, NR_clock_gettime = 228, NR_clock_getres = 229,
    NR_clock_nanosleep = 230, NR_exit_group = 231, NR_tgkill = 234, NR_openat = 257,
    NR_newfstatat = 262, NR_readlinkat = 267, NR_faccessat = 269, NR_pselect6 = 270,
    NR_ppoll = 271, NR_set_robust_list = 273, NR_get_robust_list = 274,
    NR_prlimit64 = 302, NR_getcpu = 309, NR_getrandom = 318, NR_membarrier = 324,
    NR_statx = 332, NR_rseq = 334, NR_faccessat2 = 439,
    NR_COUNT = 512,                     /* above the highest number */
};
enum { NR_select = 23 };                /* sys_poll.c */

/* mmap and friends */
#define L_PROT_READ 0x1
#define L_PROT_WRITE 0x2
#define L_PROT_EXEC 0x4
#define L_MAP_TYPE 0x0f
#define L_MAP_FIXED 0x10
#define L_MAP_ANONYMOUS 0x20
#define L_MAP_FIXED_NOREPLACE 0x100000
#define L_MADV_DONTNEED 4
#define L_MADV_FREE 8

/* arch_prctl */
#define L_ARCH_SET_GS 0x1001
#define L_ARCH_SET_FS 0x1002
#define L_ARCH_GET_FS 0x1003
#define L_ARCH_GET_GS 0x1004

/* clocks */
#define L_CLOCK_REALTIME 0
#define L_CLOCK_MONOTONIC 1
#define L_CLOCK_PROCESS_CPUTIME_ID 2
#define L_CLOCK_THREAD_CPUTIME_ID 3
#define L_CLOCK_MONOTONIC_RAW 4
#define L_CLOCK_REALTIME_COARSE 5
#define L_CLOCK_MONOTONIC_COARSE 6
#define L_CLOCK_BOOTTIME 7
#define L_TIMER_ABSTIME 1

/* futex */
#define L_FUTEX_WAIT 0
#define L_FUTEX_WAKE 1
#define L_FUTEX_REQUEUE 3
#define L_FUTEX_CMP_REQUEUE 4
#define L_FUTEX_WAKE_OP 5
#define L_FUTEX_WAIT_BITSET 9
#define L_FUTEX_WAKE_BITSET 10
#define L_FUTEX_PRIVATE 128
#define L_FUTEX_CLOCK_REALTIME 256

/* fcntl */
#define L_F_DUPFD 0
#define L_F_GETFD 1
#define L_F_SETFD 2
#define L_F_GETFL 3
#define L_F_SETFL 4
#define L_F_DUPFD_CLOEXEC 1030
#define L_O_RDONLY 0
#define L_O_WRONLY 1
#define L_O_RDWR 2

/* ioctl */
#define L_TCGETS 0x5401
#define L_TIOCGWINSZ 0x5413

/* getrandom */
#define L_GRND_NONBLOCK 1
#define L_GRND_RANDOM 2
#define L_GRND_INSECURE 4

/* rlimits */
#define L_RLIMIT_STACK 3
#define L_RLIMIT_NOFILE 7
#define L_RLIMIT_AS 9
#define L_RLIM_INFINITY (~0ul)

/* signals that concern a single-process guest */
#define L_SIGABRT 6
#define L_SA_SIGINFO 0x4
#define L_SA_NODEFER 0x40000000
#define L_SA_RESETHAND 0x80000000u
#define L_SI_USER 0
#define L_SI_TKILL (-6)
#define L_SIGKILL 9
#define L_SIGCHLD 17
#define L_SIGCONT 18
#define L_SIGSTOP 19
#define L_SIGURG 23
#define L_SIGWINCH 28
#define L_SS_DISABLE 2

#define L_S_IFCHR 0020000

struct l_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct l_timeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

struct l_iovec {
    void *base;
    uint64_t len;
};

struct l_stat {                         /* x86-64 struct stat */
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks;
    struct l_timespec st_atim, st_mtim, st_ctim;
    int64_t reserved[3];
};

struct l_utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct l_sysinfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t pad2;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
    char reserved[4];
};

struct l_rlimit {
    uint64_t cur, max;
};

struct l_rusage {
    struct l_timeval utime, stime;
    int64_t fields[14];                 /* maxrss … nivcsw */
};

struct l_tms {
    int64_t utime, stime, cutime, cstime;
};

struct l_winsize {
    uint16_t row, col, xpixel, ypixel;
};

struct l_stack {                        /* stack_t of sigaltstack */
    void *sp;
    int32_t flags;
    uint64_t size;
};

#endif /* UNIK_LINUX_H */
