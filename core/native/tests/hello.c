/*
 * hello.c — the smallest C program: musl's stdio on the console.
 * EXPECT-STATUS: 0
 * EXPECT-OUTPUT: Hello, unik!
 * EXPECT-OUTPUT: SUCCESS
 */
#include <stdio.h>

int main(void)
{
    printf("Hello, unik!\n");
    printf("SUCCESS\n");
    return 0;
}
