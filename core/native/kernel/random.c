/*
 * random.c — bytes for getrandom and AT_RANDOM.
 *
 * With RDRAND (CPUID.1:ECX bit 30) the bytes come from the CPU. Without it
 * (e.g. QEMU's default TCG CPU) they come from splitmix64 seeded with the
 * TSC at first use: good enough to vary hash seeds and canaries from boot to
 * boot, but NOT cryptographically secure — code that needs real entropy
 * must not run on such a CPU.
 */
#include <unik/kernel.h>
#include <unik/x86.h>

static int have_rdrand = -1;
static uint64_t state;

static uint64_t splitmix64(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t next64(void)
{
    if (have_rdrand < 0) {
        uint32_t a, b, c, d;
        cpuid(1, 0, &a, &b, &c, &d);
        have_rdrand = (c >> 30) & 1;
        state = rdtsc() ^ ((uint64_t)a << 32) ^ 0x756e696b756e696bull;
    }
    if (have_rdrand) {
        uint64_t v;
        for (int tries = 0; tries < 10; tries++)
            if (rdrand64(&v))
                return v;
    }
    state ^= rdtsc();
    return splitmix64();
}

void random_fill(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len) {
        uint64_t v = next64();
        size_t k = len < 8 ? len : 8;
        kmemcpy(p, &v, k);
        p += k;
        len -= k;
    }
}
