/* Raw frames through netfront: ask the user network's router for its MAC
 * (ARP), waiting in unik_yield for the NIC's event. Names the NIC on the
 * command line (default eth0) and the router's address. */
#include <stdio.h>
#include <string.h>
#include <unik.h>

int main(int argc, char **argv)
{
    const char *nic = argc > 1 ? argv[1] : "eth0";
    unsigned char router[4] = { 10, 0, 2, 2 }, me[4] = { 10, 0, 2, 15 };
    if (argc > 2)
        router[2] = me[2] = (unsigned char)(argv[2][0] - '0');
    unik_handle_t h;
    struct unik_net_info info;
    if (unik_net_acquire(nic, &h, &info) != UNIK_OK) {
        printf("no NIC %s\n", nic);
        return 1;
    }
    printf("%s: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %zu\n", nic, info.mac_address[0],
           info.mac_address[1], info.mac_address[2], info.mac_address[3],
           info.mac_address[4], info.mac_address[5], info.mtu);
    uint8_t f[60] = { 0 };
    memset(f, 0xff, 6);
    memcpy(f + 6, info.mac_address, 6);
    f[12] = 0x08, f[13] = 0x06;                  /* ARP */
    f[14] = 0, f[15] = 1, f[16] = 8, f[17] = 0, f[18] = 6, f[19] = 4, f[20] = 0, f[21] = 1;
    memcpy(f + 22, info.mac_address, 6);
    memcpy(f + 28, me, 4);
    memcpy(f + 38, router, 4);
    if (unik_net_write(h, f, sizeof f) != UNIK_OK) {
        printf("write failed\n");
        return 1;
    }
    uint8_t buf[1600];
    unik_time_t deadline = unik_clock_monotonic() + 5000000000ull;
    while (unik_clock_monotonic() < deadline) {
        size_t n;
        unik_result_t r = unik_net_read(h, buf, sizeof buf, &n);
        if (r == UNIK_AGAIN) {
            unik_handle_set_t ready;
            unik_yield(deadline, &ready);
            continue;
        }
        if (r != UNIK_OK)
            return 1;
        if (n >= 42 && buf[12] == 8 && buf[13] == 6 && buf[21] == 2
            && !memcmp(buf + 28, router, 4)) {
            printf("router %d.%d.%d.%d is at %02x:%02x:%02x:%02x:%02x:%02x\nSUCCESS\n",
                   router[0], router[1], router[2], router[3], buf[22], buf[23], buf[24],
                   buf[25], buf[26], buf[27]);
            return 0;
        }
    }
    printf("no ARP reply\n");
    return 1;
}
