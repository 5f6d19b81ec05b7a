/* Resolve a name with getaddrinfo (musl's resolver over the core's UDP
 * sockets and its /etc/resolv.conf); print the address. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    if (argc > 2)
        sleep((unsigned)atoi(argv[2]));     /* let the test set the network up */
    FILE *f = fopen("/etc/resolv.conf", "r");
    char line[128];
    while (f && fgets(line, sizeof line, f))
        printf("resolv.conf: %s", line);
    if (f)
        fclose(f);
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
    int rc = getaddrinfo(argv[1], "80", &hints, &ai);
    if (rc) {
        printf("getaddrinfo: %s\n", gai_strerror(rc));
        return 1;
    }
    printf("%s is %s\n", argv[1], inet_ntoa(((struct sockaddr_in *)ai->ai_addr)->sin_addr));
    return 0;
}
