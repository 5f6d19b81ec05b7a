/* unik compare's hello (core/compare/spec.py): print one line and exit. */
#include <stdio.h>

int main(void)
{
    puts("Hello, world!");
    return 0;
}
