/* unik: musl's system calls are plain calls into the guest core.
 *
 * Replaces musl's arch/x86_64/syscall_arch.h, whose __syscallN inlines
 * execute `syscall`. In a library OS a system call is a function call: the
 * core provides __unik_syscall, which returns -errno like the kernel does,
 * so every caller in musl (and __syscall_ret) works unchanged. It is called
 * before TLS exists, hence an ordinary C function with no TLS assumptions.
 *
 * The VDSO_* defines are gone on purpose: there is no vDSO in a guest, and
 * without them clock_gettime and getcpu take the system-call path as well.
 */

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

long __unik_syscall(long, long, long, long, long, long, long);

static __inline long __syscall0(long n)
{
	return __unik_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	return __unik_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	return __unik_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	return __unik_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	return __unik_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __unik_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __unik_syscall(n, a1, a2, a3, a4, a5, a6);
}

#define IPC_64 0
