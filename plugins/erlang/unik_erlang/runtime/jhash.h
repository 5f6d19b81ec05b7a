/*
 * jhash.h — Bob Jenkins' 96-bit mix and lookup2 block hash, the primitives
 * of BEAM's term hashes: phash2 (bif_hash.c) and the maps' internal hash
 * (map_hash.c). Each kind of term is mixed in with its own constant, a
 * multiple of the golden ratio.
 */
#ifndef ERL_JHASH_H
#define ERL_JHASH_H

#include <stdint.h>
#include "term.h"

#define GOLDEN 0x9e3779b9U
#define K(n) ((uint32_t)(GOLDEN * (uint32_t)(n)))   /* the per-kind constants */

static inline void jmix(uint32_t *pa, uint32_t *pb, uint32_t *pc)
{
    uint32_t a = *pa, b = *pb, c = *pc;
    a -= b; a -= c; a ^= c >> 13;
    b -= c; b -= a; b ^= a << 8;
    c -= a; c -= b; c ^= b >> 13;
    a -= b; a -= c; a ^= c >> 12;
    b -= c; b -= a; b ^= a << 16;
    c -= a; c -= b; c ^= b >> 5;
    a -= b; a -= c; a ^= c >> 3;
    b -= c; b -= a; b ^= a << 10;
    c -= a; c -= b; c ^= b >> 15;
    *pa = a; *pb = b; *pc = c;
}

/* mix two 32-bit words into the state with a kind's constant */
static inline void mix2(uint32_t *h, uint32_t x, uint32_t y, uint32_t k)
{
    uint32_t a = k + x, b = k + y;
    jmix(&a, &b, h);
}

/* lookup2 over n bytes, starting from init (bif_hash.c) */
uint32_t jhash_block(const uint8_t *k, uint64_t n, uint32_t init);

/* a binary or bitstring: its bytes with lookup2 seeded with 13×golden + the
 * hash so far, then its trailing bits (15); phash2 and the map hash agree */
void jhash_bits(uint32_t *h, Term t);

#endif
