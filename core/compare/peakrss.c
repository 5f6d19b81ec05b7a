/*
 * unik compare --native: run a program and report its peak resident set.
 * wait4's ru_maxrss counts a child's memory before its exec too, and a child
 * forked from Python starts with Python's tens of MiB; forked from this small
 * static program it starts with almost nothing. Usage: peakrss FD PROG ARG...
 * (the peak in KiB is written to FD as "maxrss_kib N\n"; the exit status is
 * the program's, 128+signal when it was killed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: peakrss FD PROGRAM [ARG...]\n", stderr);
        return 127;
    }
    int fd = atoi(argv[1]);
    pid_t pid = fork();
    if (pid < 0) {
        perror("peakrss: fork");
        return 127;
    }
    if (pid == 0) {
        close(fd);
        execvp(argv[2], argv + 2);
        perror("peakrss: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("peakrss: wait4");
        return 127;
    }
    dprintf(fd, "maxrss_kib %ld\n", ru.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
