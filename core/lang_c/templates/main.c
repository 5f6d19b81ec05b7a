#include <stdio.h>

int main(void)
{
    printf("Hello, unik!\n");
    return 0;
}
