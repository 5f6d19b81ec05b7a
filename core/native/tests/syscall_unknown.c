/*
 * syscall_unknown.c — a system call the core does not implement returns
 * ENOSYS, and the core names it on the console once (the second call
 * prints nothing more).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: unik: unimplemented system call mincore (27)
 * EXPECT-OUTPUT: SUCCESS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    unsigned char vec[1];
    for (int i = 0; i < 2; i++) {
        errno = 0;
        long r = syscall(SYS_mincore, (void *)0x100000, 4096, vec);
        if (r != -1 || errno != ENOSYS) {
            printf("FAIL: mincore returned %ld, errno %d\n", r, errno);
            return 1;
        }
    }
    printf("SUCCESS\n");
    return 0;
}
