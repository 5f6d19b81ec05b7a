/*
 * syscall.c — the Linux system calls that musl and the language runtimes
 * make, served by plain function call (docs/internals.md, "musl").
 *
 * __unik_syscall may run before any TLS exists: nothing here touches TLS,
 * errno or the stack protector (the core is built without it), and errors
 * are returned as -errno, as the kernel does.
 *
 * The guest is one process with one thread and no files besides the
 * console (fd 0 reads the host's stdin, stdin.c, or end of file where the
 * platform brings none; fd 1 and 2 write to the host's stdout and stderr,
 * console.c).
 * Signals come only from the program itself (raise, kill/tkill of its own
 * pid): a handler runs synchronously, a blocked signal stays pending until
 * unblocked, and a default action that ends the process stops the guest
 * (abort()'s SIGABRT → UNIK_EXIT_ABORT). futex: FUTEX_WAIT returns
 * -EAGAIN when the word differs and sleeps out a timeout when one is given;
 * without a timeout nothing could ever wake the only thread, so the guest
 * stops with a message instead of hanging. FUTEX_WAKE wakes nobody (0).
 * A number not handled here returns -ENOSYS and names itself on the
 * console once.
 */
#include <errno.h>
#include <unik/kernel.h>
#include <unik/linux.h>
#include "fdtab.h"

#define NSEC 1000000000ll
#define NSIG 64
#define AT_EMPTY_PATH 0x1000
#define SIG_DFL 0ul
#define SIG_IGN 1ul
#define MAX_IOV 1024

struct k_sigaction {                    /* the kernel's struct sigaction */
    uint64_t handler, flags, restorer, mask;
};

static uint64_t fs_base;
static struct k_sigaction actions[NSIG + 1];
static uint64_t sigmask;
static uint64_t warned[NR_COUNT / 64];
static int warned_beyond;

/* ---- console and files ---- */

static int is_console(long fd)
{
    return fd >= 0 && fd <= 2;
}

static long sys_write(long fd, const char *buf, uint64_t len)
{
    if (fd != 1 && fd != 2)
        return -EBADF;
    if (!buf && len)
        return -EFAULT;
    console_write_fd((int)fd, buf, len);
    return (long)len;
}

static long sys_writev(long fd, const struct l_iovec *iov, long cnt)
{
    if (fd != 1 && fd != 2)
        return -EBADF;
    if (cnt < 0 || cnt > MAX_IOV)
        return -EINVAL;
    long total = 0;
    for (long i = 0; i < cnt; i++) {
        console_write_fd((int)fd, iov[i].base, iov[i].len);
        total += (long)iov[i].len;
    }
    return total;
}


static long sys_fstat(long fd, struct l_stat *st)
{
    if (!is_console(fd))
        return -EBADF;
    kmemset(st, 0, sizeof *st);
    st->st_dev = 5;
    st->st_ino = (uint64_t)fd + 1;
    st->st_nlink = 1;
    st->st_mode = L_S_IFCHR | 0620;
    st->st_rdev = (5 << 8) | 1;         /* /dev/console, 5:1 */
    st->st_blksize = 4096;
    return 0;
}

static long sys_fcntl(long fd, long cmd, long arg)
{
    if (!is_console(fd))
        return -EBADF;
    switch (cmd) {
    case L_F_GETFD:
    case L_F_SETFD:
        return 0;
    case L_F_SETFL:
        if (fd == 0)
            stdin_set_flags(arg);       /* O_NONBLOCK: reads return EAGAIN, not wait */
        return 0;
    case L_F_GETFL:
        return L_O_RDWR | (fd == 0 ? stdin_flags() : 0);
    case L_F_DUPFD:
    case L_F_DUPFD_CLOEXEC:
        return -EMFILE;
    default:
        return -EINVAL;
    }
}

static long sys_open(long flags)
{
    /* No file system: nothing exists, and nothing can be created. */
    return (flags & 0100) ? -EROFS : -ENOENT;          /* O_CREAT */
}

/* ---- time ---- */

static long put_timespec(struct l_timespec *ts, unik_time_t ns)
{
    if (!ts)
        return -EFAULT;
    ts->tv_sec = (int64_t)(ns / NSEC);
    ts->tv_nsec = (int64_t)(ns % NSEC);
    return 0;
}

static int valid_timespec(const struct l_timespec *ts)
{
    return ts && ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC;
}

static unik_time_t timespec_ns(const struct l_timespec *ts)
{
    return (unik_time_t)ts->tv_sec * NSEC + (unik_time_t)ts->tv_nsec;
}

static long clock_now(long clk, unik_time_t *ns)
{
    /* A CPU-time clock of a process or thread (clock_getcpuclockid, GHC's RTS):
     * ~pid << 3 | type (type 0..2; bit 2: a thread). Only the guest itself. */
    if (clk < 0) {
        long pid = ~clk >> 3;
        if ((clk & 3) == 3 || (pid != 0 && pid != 1))
            return -EINVAL;
        clk = L_CLOCK_PROCESS_CPUTIME_ID;
    }
    switch (clk) {
    case L_CLOCK_REALTIME:
    case L_CLOCK_REALTIME_COARSE:
        *ns = time_realtime();
        return 0;
    case L_CLOCK_MONOTONIC:
    case L_CLOCK_MONOTONIC_RAW:
    case L_CLOCK_MONOTONIC_COARSE:
    case L_CLOCK_BOOTTIME:
        *ns = unik_clock_monotonic();
        return 0;
    case L_CLOCK_PROCESS_CPUTIME_ID:    /* one thread: its CPU time is the process's */
    case L_CLOCK_THREAD_CPUTIME_ID:
        *ns = time_cputime();
        return 0;
    default:
        return -EINVAL;
    }
}

static long sys_clock_gettime(long clk, struct l_timespec *ts)
{
    unik_time_t ns;
    long r = clock_now(clk, &ns);
    return r ? r : put_timespec(ts, ns);
}

static long sys_clock_nanosleep(long clk, long flags, const struct l_timespec *req,
                                struct l_timespec *rem)
{
    unik_time_t now;
    if (clock_now(clk, &now) || clk == L_CLOCK_THREAD_CPUTIME_ID)
        return -EINVAL;
    if (!valid_timespec(req))
        return -EINVAL;
    unik_time_t t = timespec_ns(req), mono = unik_clock_monotonic();
    unik_time_t deadline;
    if (flags & L_TIMER_ABSTIME)
        deadline = t > now ? mono + (t - now) : mono;
    else
        deadline = mono + t;
    time_sleep_until(deadline);
    if (rem && !(flags & L_TIMER_ABSTIME))
        put_timespec(rem, 0);
    return 0;
}

/* ---- signals ---- */

static long sys_rt_sigaction(long sig, const struct k_sigaction *act, struct k_sigaction *old)
{
    if (sig < 1 || sig > NSIG)
        return -EINVAL;
    if (act && (sig == L_SIGKILL || sig == L_SIGSTOP))
        return -EINVAL;
    if (old)
        *old = actions[sig];
    if (act)
        actions[sig] = *act;
    return 0;
}

/* Whether a signal's default action is to do nothing (Linux: SIGCHLD, SIGCONT,
 * SIGURG, SIGWINCH; the stop signals, since nothing can continue the guest). */
static int default_ignored(long sig)
{
    switch (sig) {
    case L_SIGCHLD:
    case L_SIGCONT:
    case L_SIGURG:
    case L_SIGWINCH:
    case L_SIGSTOP:
    case 20:                            /* SIGTSTP */
    case 21:                            /* SIGTTIN */
    case 22:                            /* SIGTTOU */
        return 1;
    }
    return 0;
}

static uint64_t sigbit(long sig)
{
    return 1ull << (sig - 1);
}

/* SIGKILL and SIGSTOP cannot be blocked (as in Linux, the mask drops them). */
#define UNBLOCKABLE (sigbit(L_SIGKILL) | sigbit(L_SIGSTOP))

static uint64_t sigpending_set;

/* A signal reaches the program: its handler runs on the caller's stack
 * (a signal the program sends itself is synchronous, as raise() promises),
 * with the action's mask and the signal itself blocked meanwhile; the
 * default action ends the guest; an ignored one is dropped. */
static void deliver(long sig, int code)
{
    struct k_sigaction act = actions[sig];
    if (act.handler == SIG_IGN || (act.handler == SIG_DFL && default_ignored(sig)))
        return;
    if (act.handler == SIG_DFL) {
        if (sig == L_SIGABRT)
            unik_abort();
        kprintf("unik: the program sent itself signal %ld; stopping\n", sig);
        plat->exit(UNIK_EXIT_ABORT);
    }
    uint64_t saved = sigmask;
    sigmask |= act.mask & ~UNBLOCKABLE;
    if (!(act.flags & L_SA_NODEFER))
        sigmask |= sigbit(sig);
    if (act.flags & L_SA_RESETHAND)
        actions[sig].handler = SIG_DFL;
    if (act.flags & L_SA_SIGINFO) {
        /* siginfo_t (128 bytes): signo, errno, code, then pid and uid for a
         * signal sent by kill/tkill; the ucontext is zeroed (no machine
         * state to show for a synchronous send). */
        int32_t info[32] = { (int32_t)sig, 0, code, 0, 1, 0 };
        static uint64_t uctx[128];
        kmemset(uctx, 0, sizeof uctx);
        ((void (*)(int, void *, void *))(uintptr_t)act.handler)((int)sig, info, uctx);
    } else {
        ((void (*)(int))(uintptr_t)act.handler)((int)sig);
    }
    sigmask = saved;
}

/* Signals left pending while blocked, delivered once unblocked, lowest first. */
static void deliver_pending(void)
{
    uint64_t ready;
    while ((ready = sigpending_set & ~sigmask) != 0) {
        long sig = __builtin_ctzll(ready) + 1;
        sigpending_set &= ~sigbit(sig);
        deliver(sig, L_SI_TKILL);
    }
}

static long sys_rt_sigprocmask(long how, const uint64_t *set, uint64_t *old)
{
    uint64_t prev = sigmask;
    if (set) {
        switch (how) {
        case 0:                         /* SIG_BLOCK */
            sigmask |= *set;
            break;
        case 1:                         /* SIG_UNBLOCK */
            sigmask &= ~*set;
            break;
        case 2:                         /* SIG_SETMASK */
            sigmask = *set;
            break;
        default:
            return -EINVAL;
        }
        sigmask &= ~UNBLOCKABLE;
    }
    if (old)
        *old = prev;
    deliver_pending();
    return 0;
}

/* A signal the program sends itself: delivered at once (handler or default
 * action), or left pending while it is blocked — musl's raise() blocks the
 * application's signals around tkill, so its handler runs as the mask is
 * restored, before raise() returns. */
static long sys_kill_self(long sig, int code)
{
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (sig == 0)
        return 0;
    if (sigmask & sigbit(sig)) {
        if (actions[sig].handler != SIG_IGN)
            sigpending_set |= sigbit(sig);
        return 0;
    }
    deliver(sig, code);
    return 0;
}

static long sys_rt_sigpending(uint64_t *set)
{
    if (!set)
        return -EFAULT;
    *set = sigpending_set;
    return 0;
}

/* ---- futex ---- */

static long sys_futex(const volatile int32_t *uaddr, long op, long val,
                      const struct l_timespec *timeout, long val3)
{
    long cmd = op & ~(L_FUTEX_PRIVATE | L_FUTEX_CLOCK_REALTIME);
    switch (cmd) {
    case L_FUTEX_WAIT:
    case L_FUTEX_WAIT_BITSET:
        if (*uaddr != (int32_t)val)
            return -EAGAIN;
        if (timeout) {
            if (!valid_timespec(timeout))
                return -EINVAL;
            unik_time_t t = timespec_ns(timeout), deadline;
            if (cmd == L_FUTEX_WAIT) {
                deadline = unik_clock_monotonic() + t;
            } else {
                unik_time_t now, mono = unik_clock_monotonic();
                clock_now((op & L_FUTEX_CLOCK_REALTIME) ? L_CLOCK_REALTIME
                                                        : L_CLOCK_MONOTONIC, &now);
                deadline = t > now ? mono + (t - now) : mono;
            }
            time_sleep_until(deadline);
            return -ETIMEDOUT;
        }
        kprintf("unik: futex wait at %p with no timeout: nothing can wake the only "
                "thread\n", (const void *)uaddr);
        unik_abort();
    case L_FUTEX_WAKE:
    case L_FUTEX_WAKE_BITSET:
    case L_FUTEX_REQUEUE:
    case L_FUTEX_WAKE_OP:
        return 0;
    case L_FUTEX_CMP_REQUEUE:
        return *uaddr == (int32_t)val3 ? 0 : -EAGAIN;
    default:
        return -ENOSYS;
    }
}

/* ---- system information ---- */

static void copy_str(char *dst, const char *src)
{
    kmemcpy(dst, src, kstrlen(src) + 1);
}

static long sys_uname(struct l_utsname *u)
{
    if (!u)
        return -EFAULT;
    kmemset(u, 0, sizeof *u);
    copy_str(u->sysname, "unik");
    copy_str(u->nodename, "unik");
    copy_str(u->release, "1.0.0");
    copy_str(u->version, "unik ABI 1");
    copy_str(u->machine, "x86_64");
    copy_str(u->domainname, "(none)");
    return 0;
}

static long sys_sysinfo(struct l_sysinfo *si)
{
    if (!si)
        return -EFAULT;
    kmemset(si, 0, sizeof *si);
    si->uptime = (int64_t)(unik_clock_monotonic() / NSEC);
    si->totalram = page_count_total() * UNIK_PAGE_SIZE;
    si->freeram = page_count_free() * UNIK_PAGE_SIZE;
    si->procs = 1;
    si->mem_unit = 1;
    return 0;
}

static void rlimit_of(long res, struct l_rlimit *r)
{
    switch (res) {
    case L_RLIMIT_STACK:
        r->cur = r->max = unik_stack_size;
        break;
    case L_RLIMIT_NOFILE:
        r->cur = r->max = 1024;
        break;
    default:
        r->cur = r->max = L_RLIM_INFINITY;
    }
}

static long sys_prlimit(long pid, long res, struct l_rlimit *old)
{
    if (pid != 0 && pid != 1)
        return -ESRCH;
    if (res < 0 || res >= 16)
        return -EINVAL;
    if (old)
        rlimit_of(res, old);
    return 0;                           /* new limits are accepted and ignored */
}

static long sys_getrusage(struct l_rusage *ru)
{
    if (!ru)
        return -EFAULT;
    kmemset(ru, 0, sizeof *ru);
    unik_time_t t = time_cputime();
    ru->utime.tv_sec = (int64_t)(t / NSEC);
    ru->utime.tv_usec = (int64_t)(t % NSEC / 1000);
    return 0;
}

static long sys_sched_getaffinity(uint64_t size, uint8_t *mask)
{
    if (size < 8 || size % 8)
        return -EINVAL;
    kmemset(mask, 0, 8);
    mask[0] = 1;                        /* one CPU */
    return 8;
}

/* ---- the entry ---- */

static long unimplemented(long n)
{
    int first;
    if (n >= 0 && n < NR_COUNT) {
        first = !(warned[n / 64] >> (n % 64) & 1);
        warned[n / 64] |= 1ull << (n % 64);
    } else {
        first = !warned_beyond;
        warned_beyond = 1;
    }
    if (first) {
        const char *name = syscall_name(n);
        kprintf("unik: unimplemented system call %s (%ld)\n", name ? name : "unknown", n);
    }
    return -ENOSYS;
}

long __unik_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    long ret;
    if (fdtab_syscall(n, a1, a2, a3, a4, a5, a6, &ret))   /* fds 3.., /dev/xvd* (fdtab.c) */
        return ret;
    switch (n) {
    /* files: only the console */
    case NR_read:                       /* stdin.c; 1 and 2 are write-only */
        return a1 == 0 ? stdin_read((void *)a2, (size_t)a3) : -EBADF;
    case NR_readv:
        return a1 == 0 ? stdin_readv((const struct l_iovec *)a2, a3) : -EBADF;
    case NR_pread64:
    case NR_pwrite64:
    case NR_lseek:
        return is_console(a1) ? -ESPIPE : -EBADF;
    case NR_write:
        return sys_write(a1, (const char *)a2, (uint64_t)a3);
    case NR_writev:
        return sys_writev(a1, (const struct l_iovec *)a2, a3);
    case NR_ioctl:
        return console_ioctl(a1, (unsigned long)a2, (void *)a3);
    case NR_close:
        return is_console(a1) ? 0 : -EBADF;
    case NR_fcntl:
        return sys_fcntl(a1, a2, a3);
    case NR_fstat:
        return sys_fstat(a1, (struct l_stat *)a2);
    case NR_newfstatat:
        if ((a4 & AT_EMPTY_PATH) && a2 && !*(const char *)a2)
            return sys_fstat(a1, (struct l_stat *)a3);
        return -ENOENT;
    case NR_open:
        return sys_open(a2);
    case NR_openat:
        return sys_open(a3);
    case NR_stat:
    case NR_lstat:
    case NR_statx:
    case NR_access:
    case NR_faccessat:
    case NR_faccessat2:
    case NR_readlink:
    case NR_readlinkat:
        return -ENOENT;
    case NR_getcwd:
        if ((uint64_t)a2 < 2)
            return -ERANGE;
        copy_str((char *)a1, "/");
        return 2;

    case NR_poll:
    case NR_ppoll:
    case NR_select:
    case NR_pselect6:
        return sys_poll_family(n, a1, a2, a3, a4, a5);   /* sys_poll.c */

    /* memory */
    case NR_mmap:
        return vm_mmap((uint64_t)a1, (uint64_t)a2, (int)a3, (int)a4, (int)a5, a6);
    case NR_munmap:
        return vm_munmap((uint64_t)a1, (uint64_t)a2);
    case NR_mprotect:
        return vm_mprotect((uint64_t)a1, (uint64_t)a2, (int)a3);
    case NR_madvise:
        return vm_madvise((uint64_t)a1, (uint64_t)a2, (int)a3);
    case NR_brk:
        return vm_brk((uint64_t)a1);
    case NR_mremap:
        return -ENOMEM;

    /* the thread pointer */
    case NR_arch_prctl:
        switch (a1) {
        case L_ARCH_SET_FS:
            fs_base = (uint64_t)a2;
            plat->set_fs_base(fs_base);
            return 0;
        case L_ARCH_GET_FS:
            *(uint64_t *)a2 = fs_base;
            return 0;
        default:
            return -EINVAL;
        }
    case NR_set_thread_area:
        /* struct user_desc: the base address is the 32-bit word at offset 4. */
        fs_base = *(const uint32_t *)(a1 + 4);
        plat->set_fs_base(fs_base);
        return 0;
    case NR_set_tid_address:
        return 1;
    case NR_set_robust_list:
        return 0;

    /* time */
    case NR_clock_gettime:
        return sys_clock_gettime(a1, (struct l_timespec *)a2);
    case NR_clock_getres: {
        unik_time_t ignored;
        if (clock_now(a1, &ignored))
            return -EINVAL;
        if (a2)
            put_timespec((struct l_timespec *)a2, 1);
        return 0;
    }
    case NR_gettimeofday:
        if (a1) {
            unik_time_t t = time_realtime();
            ((struct l_timeval *)a1)->tv_sec = (int64_t)(t / NSEC);
            ((struct l_timeval *)a1)->tv_usec = (int64_t)(t % NSEC / 1000);
        }
        if (a2)
            kmemset((void *)a2, 0, 8);  /* struct timezone */
        return 0;
    case NR_time: {
        long s = (long)(time_realtime() / NSEC);
        if (a1)
            *(long *)a1 = s;
        return s;
    }
    case NR_nanosleep:
        return sys_clock_nanosleep(L_CLOCK_MONOTONIC, 0, (const struct l_timespec *)a1,
                                   (struct l_timespec *)a2);
    case NR_clock_nanosleep:
        return sys_clock_nanosleep(a1, a2, (const struct l_timespec *)a3,
                                   (struct l_timespec *)a4);
    case NR_sched_yield:
        unik_yield(0, NULL);
        return 0;
    case NR_times: {
        unik_time_t t = unik_clock_monotonic();
        long ticks = (long)(t / (NSEC / 100));
        if (a1) {
            struct l_tms *tms = (struct l_tms *)a1;
            tms->utime = (long)(time_cputime() / (NSEC / 100));
            tms->stime = tms->cutime = tms->cstime = 0;
        }
        return ticks;
    }
    case NR_getrusage:
        return sys_getrusage((struct l_rusage *)a2);

    /* the process */
    case NR_exit:
    case NR_exit_group:
        unik_exit((int)(a1 & 0xff));
    case NR_getpid:
    case NR_gettid:
    case NR_getpgrp:
    case NR_getpgid:
    case NR_getsid:
        return 1;
    case NR_getppid:
    case NR_getuid:
    case NR_geteuid:
    case NR_getgid:
    case NR_getegid:
        return 0;
    case NR_clone:
    case NR_fork:
    case NR_vfork:
    case NR_execve:
        return -ENOSYS;                 /* one process, one thread: by design */
    case NR_wait4:
        return -ECHILD;
    case NR_kill:
        if (a1 != 1 && a1 != 0 && a1 != -1)
            return -ESRCH;
        return sys_kill_self(a2, L_SI_USER);
    case NR_tkill:
        return a1 == 1 ? sys_kill_self(a2, L_SI_TKILL) : -ESRCH;
    case NR_tgkill:
        return a1 == 1 && a2 == 1 ? sys_kill_self(a3, L_SI_TKILL) : -ESRCH;
    case NR_rt_sigpending:
        return sys_rt_sigpending((uint64_t *)a1);
    case NR_rt_sigaction:
        return sys_rt_sigaction(a1, (const struct k_sigaction *)a2,
                                (struct k_sigaction *)a3);
    case NR_rt_sigprocmask:
        return sys_rt_sigprocmask(a1, (const uint64_t *)a2, (uint64_t *)a3);
    case NR_sigaltstack:
        if (a2) {
            struct l_stack *old = (struct l_stack *)a2;
            old->sp = NULL;
            old->flags = L_SS_DISABLE;
            old->size = 0;
        }
        return 0;
    case NR_futex:
        return sys_futex((const volatile int32_t *)a1, a2, a3,
                         (const struct l_timespec *)a4, a6);
    case NR_getrandom:
        if (a3 & ~(long)(L_GRND_NONBLOCK | L_GRND_RANDOM | L_GRND_INSECURE))
            return -EINVAL;
        random_fill((void *)a1, (size_t)a2);
        return a2;
    case NR_uname:
        return sys_uname((struct l_utsname *)a1);
    case NR_sysinfo:
        return sys_sysinfo((struct l_sysinfo *)a1);
    case NR_getrlimit:
        return sys_prlimit(0, a1, (struct l_rlimit *)a2);
    case NR_setrlimit:
        return 0;
    case NR_prlimit64:
        return sys_prlimit(a1, a2, (struct l_rlimit *)a4);
    case NR_sched_getaffinity:
        return sys_sched_getaffinity((uint64_t)a2, (uint8_t *)a3);
    case NR_sched_setaffinity:
        return 0;
    case NR_getcpu:
        if (a1)
            *(unsigned *)a1 = 0;
        if (a2)
            *(unsigned *)a2 = 0;
        return 0;
    default:
        (void)a5;
        return unimplemented(n);
    }
}
