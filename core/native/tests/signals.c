/*
 * signals.c — signals a program sends itself (kernel/syscall.c): raise()
 * runs an installed handler before it returns, SA_SIGINFO handlers get the
 * signal number and si_code, SA_RESETHAND restores the default, a blocked
 * signal stays pending (sigpending) and is delivered once when unblocked,
 * an ignored signal and a default-ignored one are dropped. Last, a signal
 * whose default action ends the process stops the guest (status 126).
 * EXPECT-STATUS: 126
 * EXPECT-OUTPUT: SUCCESS
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int ok = 1;
static volatile sig_atomic_t last, count, info_code, info_signo, masked_inside;

static void expect(int cond, const char *what)
{
    if (!cond) {
        printf("FAIL: %s\n", what);
        ok = 0;
    }
}

static void plain(int sig)
{
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    masked_inside = sigismember(&now, sig);
    last = sig;
    count++;
}

static void with_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    last = sig;
    info_signo = si->si_signo;
    info_code = si->si_code;
}

int main(void)
{
    expect(signal(SIGUSR1, plain) == SIG_DFL, "signal() returns the old default");
    expect(raise(SIGUSR1) == 0 && last == SIGUSR1 && count == 1, "raise runs the handler");
    expect(masked_inside == 1, "the signal is blocked while its handler runs");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = with_info;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGTERM, &sa, NULL);
    raise(SIGTERM);
    expect(last == SIGTERM && info_signo == SIGTERM && info_code == SI_TKILL,
           "SA_SIGINFO handler: si_signo and SI_TKILL");
    struct sigaction cur;
    sigaction(SIGTERM, NULL, &cur);
    expect(cur.sa_handler == SIG_DFL, "SA_RESETHAND restored the default");

    expect(kill(getpid(), SIGUSR1) == 0 && count == 2, "kill(getpid()) runs the handler");

    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    raise(SIGUSR1);
    expect(count == 2, "a blocked signal waits");
    sigpending(&pend);
    expect(sigismember(&pend, SIGUSR1), "sigpending shows it");
    sigprocmask(SIG_SETMASK, &old, NULL);
    expect(count == 3, "unblocking delivers it once");
    sigpending(&pend);
    expect(!sigismember(&pend, SIGUSR1), "and it is no longer pending");

    signal(SIGPIPE, SIG_IGN);
    expect(raise(SIGPIPE) == 0, "an ignored signal is dropped");
    expect(raise(SIGCHLD) == 0 && raise(SIGWINCH) == 0, "default-ignored signals are dropped");

    printf("%s\n", ok ? "SUCCESS" : "FAIL");
    fflush(stdout);
    raise(SIGTERM);                     /* the default action: the guest stops */
    printf("FAIL: still running after SIGTERM\n");
    return 0;
}
