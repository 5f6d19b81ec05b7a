/* The random module and random.Random instances. */
#include <stdint.h>

#include "pyrt.h"

/* ---- random: MT19937 seeded and drawn exactly as CPython's random module does
 * (init_by_array on the seed's 32-bit words, 53-bit random(), getrandbits-based
 * _randbelow), so a seeded program prints the same numbers as under CPython. ---- */
#define MT_N 624
#define MT_M 397

/* One generator's state: the module's own, or a random.Random instance's. Each
 * entry point below sets `cur` first, so an exception raised half-way through a
 * draw leaves nothing to undo. */
typedef struct {
    Obj h;
    int index;
    uint32_t state[MT_N];
} Rng;
const Type T_Random = {.name = "Random"};
static Rng module_rng = {.index = MT_N + 1};
static Rng *cur = &module_rng;
#define mt (cur->state)
#define mti (cur->index)

static void init_genrand(uint32_t s) {
    mt[0] = s;
    for (mti = 1; mti < MT_N; mti++)
        mt[mti] = 1812433253u * (mt[mti - 1] ^ (mt[mti - 1] >> 30)) + (uint32_t)mti;
}

static void init_by_array(const uint32_t *key, int len) {
    init_genrand(19650218u);
    int i = 1, j = 0;
    for (int k = MT_N > len ? MT_N : len; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) { mt[0] = mt[MT_N - 1]; i = 1; }
        if (j >= len) j = 0;
    }
    for (int k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= MT_N) { mt[0] = mt[MT_N - 1]; i = 1; }
    }
    mt[0] = 0x80000000u;
}

static uint32_t genrand(void) {
    static const uint32_t mag01[2] = {0, 0x9908b0dfu};
    uint32_t y;
    if (mti >= MT_N) {
        if (mti == MT_N + 1) init_genrand(5489u);
        int kk;
        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & 0x80000000u) | (mt[kk + 1] & 0x7fffffffu);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1];
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & 0x80000000u) | (mt[kk + 1] & 0x7fffffffu);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1];
        }
        y = (mt[MT_N - 1] & 0x80000000u) | (mt[0] & 0x7fffffffu);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1];
        mti = 0;
    }
    y = mt[mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

static void do_seed(int64_t s) {
    uint64_t a = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
    uint32_t key[2] = {(uint32_t)a, (uint32_t)(a >> 32)};
    init_by_array(key, key[1] ? 2 : 1);
}

static double do_random(void) {
    uint32_t a = genrand() >> 5, b = genrand() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* getrandbits(k) for 0 < k <= 64: 32-bit words, least significant first */
static uint64_t getrandbits(int k) {
    if (k <= 32) return genrand() >> (32 - k);
    uint64_t lo = genrand();
    uint64_t hi = genrand() >> (64 - k);
    return lo | (hi << 32);
}

static int64_t below(uint64_t n) {
    if (n == 0) rt_raise_new(&T_ValueError, "empty range for randrange()");
    int k = 64 - __builtin_clzll(n);      /* n.bit_length() */
    uint64_t r = getrandbits(k);
    while (r >= n) r = getrandbits(k);
    return (int64_t)r;
}

static int64_t do_randint(int64_t a, int64_t b) {
    if (b < a) rt_raise_new(&T_ValueError, "empty range in randint(%lld, %lld)", (long long)a, (long long)b);
    return a + below((uint64_t)(b - a) + 1);
}

static int64_t do_randrange(int64_t a, int64_t b, int64_t step) {
    if (step == 0) rt_raise_new(&T_ValueError, "zero step for randrange()");
    if (step == 1) {
        if (b <= a) rt_raise_new(&T_ValueError, "empty range for randrange()");
        return a + below((uint64_t)(b - a));
    }
    int64_t n = step > 0 ? (b - a + step - 1) / step : (a - b - step - 1) / (-step);
    if (n <= 0) rt_raise_new(&T_ValueError, "empty range for randrange()");
    return a + step * below((uint64_t)n);
}

static double do_uniform(double a, double b) { return a + (b - a) * do_random(); }

static void do_shuffle(List *l) {
    for (int64_t i = l->len - 1; i > 0; i--) {
        int64_t j = below((uint64_t)i + 1);
        Val t = l->items[i];
        l->items[i] = l->items[j];
        l->items[j] = t;
    }
}

static Val do_choice(List *l) {
    if (!l->len) rt_raise_new(&T_IndexError, "Cannot choose from an empty sequence");
    return l->items[below((uint64_t)l->len)];
}

/* random.Random(seed): a generator of its own */
Obj *rt_rng_new(int64_t seed, bool seeded) {
    Rng *r = rt_alloc(&T_Random, sizeof(Rng));
    r->index = MT_N + 1;
    if (seeded) rt_rng_seed(&r->h, seed);
    return &r->h;
}

/* the module-level functions draw from the module's generator, instances from theirs */
void rt_random_seed(int64_t s) {
    cur = &module_rng;
    do_seed(s);
}

void rt_rng_seed(Obj *r, int64_t s) {
    cur = (Rng *)r;
    do_seed(s);
}

double rt_random_random(void) {
    cur = &module_rng;
    return do_random();
}

double rt_rng_random(Obj *r) {
    cur = (Rng *)r;
    return do_random();
}

int64_t rt_random_randint(int64_t a, int64_t b) {
    cur = &module_rng;
    return do_randint(a, b);
}

int64_t rt_rng_randint(Obj *r, int64_t a, int64_t b) {
    cur = (Rng *)r;
    return do_randint(a, b);
}

int64_t rt_random_randrange(int64_t a, int64_t b, int64_t step) {
    cur = &module_rng;
    return do_randrange(a, b, step);
}

int64_t rt_rng_randrange(Obj *r, int64_t a, int64_t b, int64_t step) {
    cur = (Rng *)r;
    return do_randrange(a, b, step);
}

double rt_random_uniform(double a, double b) {
    cur = &module_rng;
    return do_uniform(a, b);
}

double rt_rng_uniform(Obj *r, double a, double b) {
    cur = (Rng *)r;
    return do_uniform(a, b);
}

void rt_random_shuffle(List *l) {
    cur = &module_rng;
    do_shuffle(l);
}

void rt_rng_shuffle(Obj *r, List *l) {
    cur = (Rng *)r;
    do_shuffle(l);
}

Val rt_random_choice(List *l) {
    cur = &module_rng;
    return do_choice(l);
}

Val rt_rng_choice(Obj *r, List *l) {
    cur = (Rng *)r;
    return do_choice(l);
}
