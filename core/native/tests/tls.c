/*
 * tls.c — thread-local variables with initialisers (.tdata), zeroed ones
 * (.tbss), alignment, and errno (musl keeps it in the thread block).
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: SUCCESS
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Thread_local int counter = 42;
static _Thread_local char name[16] = "thread-local";
static _Thread_local long zeroed[64];
static _Thread_local _Alignas(64) double aligned = 2.5;

static int bump(void)
{
    return ++counter;
}

int main(void)
{
    int ok = 1;
    if (counter != 42 || strcmp(name, "thread-local") != 0 || aligned != 2.5) {
        printf("FAIL: initialised TLS reads %d \"%s\" %f\n", counter, name, aligned);
        ok = 0;
    }
    for (int i = 0; i < 64; i++)
        if (zeroed[i]) {
            printf("FAIL: zeroed TLS [%d] = %ld\n", i, zeroed[i]);
            ok = 0;
        }
    if ((uintptr_t)&aligned % 64) {
        printf("FAIL: _Alignas(64) TLS at %p\n", (void *)&aligned);
        ok = 0;
    }
    bump();
    bump();
    zeroed[63] = 7;
    if (counter != 44 || zeroed[63] != 7) {
        printf("FAIL: TLS writes did not stick\n");
        ok = 0;
    }
    errno = 0;
    if (strtol("99999999999999999999999", NULL, 10) != __LONG_MAX__ || errno != ERANGE) {
        printf("FAIL: errno after strtol overflow is %d\n", errno);
        ok = 0;
    }
    errno = 0;
    if (close(-5) != -1 || errno != EBADF) {
        printf("FAIL: errno after close(-5) is %d\n", errno);
        ok = 0;
    }
    if (ok)
        printf("SUCCESS\n");
    return ok ? 0 : 1;
}
