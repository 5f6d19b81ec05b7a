/*
 * map_hash.c — the hash that places a key in a large map's trie: BEAM's
 * internal term hash (OTP 25), so that maps above 32 keys iterate, print and
 * encode in erl's order.
 *
 * The facts, checked against Debian's erl 25.2.3 (tests/plugins/erlang/cases
 * bigmap_order*.erl): a 32-bit Jenkins hash (jhash.h) started from the salt
 * 3432918353. An immediate term is mixed in as its BEAM machine word (low
 * half, high half, constant 1×golden): a small integer n is the word n << 4 |
 * 0xF (BEAM's small integers have 60 bits; larger ones are bignums there),
 * [] is 0x3B, an atom is its atom-table index << 6 | 0xB. Atom indexes are
 * BEAM's own (boot order): unik's differ, so maps keyed by atoms hash
 * differently (any order is right for them, erl's cannot be reproduced).
 * Boxed terms: a tuple mixes its arity (9) then its elements; a list mixes
 * runs of byte elements four to a word (4) and the run's rest with its
 * length (22), a non-byte head after a marker (17), and a non-list tail
 * after another (18); a bignum its 64-bit digits as two halves each (10
 * negative, 11 positive); a float its two 32-bit halves (12, 0.0 for -0.0);
 * a binary its bytes with lookup2 seeded with 13×golden + the hash so far,
 * then trailing bits (15); a map its size (16) then its pairs — a flat map in
 * key order, a trie node by node from the last entry to the first, a full
 * node (16 entries) as the 16-tuple BEAM stores it, its leaves as [K | V].
 *
 * Deeper trie levels: a 32-bit hash gives 8 levels of 4 bits; level 8 and
 * below use the hash again with salt 1, 2, … (BEAM rehashes too, but the
 * order of keys whose 32-bit hashes collide — about one pair in a map of
 * 93,000 keys — is not erl's).
 */
#include <string.h>
#include <stdlib.h>
#include "vm.h"
#include "bits.h"
#include "maps.h"
#include "jhash.h"

#define INTERNAL_SALT 3432918353U
#define BEAM_SMALL_MAX ((SInt)((1ULL << 59) - 1))
#define BEAM_SMALL_MIN (-BEAM_SMALL_MAX - 1)

static inline void mix_word(uint32_t *h, uint64_t w, uint32_t k)
{
    mix2(h, (uint32_t)w, (uint32_t)(w >> 32), k);
}

static inline void const_hash(uint32_t *h, uint32_t k)
{
    *h ^= k;
    *h = (*h << 17) ^ (*h >> 15);
}

/* a magnitude of 64-bit digits, low first (n32 32-bit digits) */
static void big_hash(uint32_t *h, const uint32_t *d, size_t n32, int neg)
{
    uint32_t k = neg ? K(10) : K(11);
    size_t i = 0;
    do {
        uint32_t x = i < n32 ? d[i] : 0, y = i + 1 < n32 ? d[i + 1] : 0;
        mix2(h, x, y, k);
        i += 2;
    } while (i < n32);
}

static void term_hash(uint32_t *h, Term t);

/* a trie node's entries, last first (BEAM pushes them on its stack in order) */
static void node_hash(uint32_t *h, const Term *n)
{
    uint64_t ne = hdr_arity(n[0]) - 1;
    for (uint64_t i = ne; i > 0; i--) {
        Term e = n[1 + i];
        if (is_cons(e)) {
            term_hash(h, CAR(e));
            term_hash(h, CDR(e));
        } else {
            const Term *c = box_ptr(e);
            if (hdr_arity(c[0]) - 1 == 16) {
                /* a full inner node is a 16-tuple in BEAM: leaves are hashed as lists */
                mix2(h, 16, 0, K(9));
                for (unsigned j = 0; j < 16; j++)
                    term_hash(h, c[2 + j]);
            } else {
                node_hash(h, c);
            }
        }
    }
}

static void map_term_hash(uint32_t *h, Term m)
{
    mix2(h, (uint32_t)map_size(m), 0, K(16));
    if (map_is_flat(m)) {
        Term *k = tuple_ptr(flatmap_keys(m)), *v = flatmap_vals(m);
        for (uint64_t i = 0, n = map_size(m); i < n; i++) {
            term_hash(h, k[i]);
            term_hash(h, v[i]);
        }
        return;
    }
    node_hash(h, box_ptr(m));
}

static void term_hash(uint32_t *h, Term t)
{
    for (;;) {
        switch (TAG(t)) {
        case T_SMALL: {
            SInt v = small_val(t);
            if (v >= BEAM_SMALL_MIN && v <= BEAM_SMALL_MAX) {
                mix_word(h, ((uint64_t)v << 4) | 0xF, K(1));
            } else {
                uint64_t m = v < 0 ? (uint64_t)-v : (uint64_t)v;
                uint32_t d[2] = {(uint32_t)m, (uint32_t)(m >> 32)};
                big_hash(h, d, 2, v < 0);
            }
            return;
        }
        case T_ATOM:
            mix_word(h, (atom_index(t) << 6) | 0xB, K(1));
            return;
        case T_PID:
            mix_word(h, (pid_index(t) << 4) | 0x3, K(1));
            return;
        case T_CONS: {
            uint32_t sh = 0;
            unsigned c = 0;
            while (is_cons(t) && is_small(CAR(t)) && small_val(CAR(t)) >= 0 &&
                   small_val(CAR(t)) < 256) {
                sh = (sh << 8) + (uint32_t)small_val(CAR(t));
                if (c == 3) {
                    mix2(h, sh, 0, K(4));
                    c = 0;
                    sh = 0;
                } else {
                    c++;
                }
                t = CDR(t);
            }
            if (c > 0)
                mix2(h, sh, c, K(22));
            if (is_cons(t)) {
                Term tail = CDR(t);
                const_hash(h, K(17));
                term_hash(h, CAR(t));
                if (!is_cons(tail))
                    const_hash(h, K(18));
                t = tail;
            }
            continue;               /* the rest of the list, or its tail */
        }
        case T_BOXED: {
            Term *b = box_ptr(t);
            uint64_t a = hdr_arity(b[0]);
            switch (hdr_subtag(b[0])) {
            case S_TUPLE:
                mix2(h, (uint32_t)a, 0, K(9));
                if (a == 0)
                    return;
                for (uint64_t i = 1; i < a; i++)
                    term_hash(h, b[i]);
                t = b[a];
                continue;
            case S_FLOAT: {
                double d = float_val(t);
                if (d == 0)
                    d = 0.0;
                union { double d; uint64_t u; } v = {.d = d};
                mix_word(h, v.u, K(12));
                return;
            }
            case S_BIGPOS: case S_BIGNEG: {
                const uint32_t *d;
                int neg;
                size_t n = big_digits(t, &d, &neg);
                big_hash(h, d, n, neg);
                return;
            }
            case S_MAP: case S_HMAP:
                map_term_hash(h, t);
                return;
            case S_FUN: {
                const struct erl_fun *f = &erl_funs[small_val(b[1])];
                mix2(h, (uint32_t)(a - 1), f->module, K(20));
                mix2(h, f->old_index, f->uniq, K(21));
                for (uint64_t i = 2; i <= a; i++)
                    term_hash(h, b[i]);
                return;
            }
            case S_EXPORT:
                mix2(h, (uint32_t)atom_index(b[1]), (uint32_t)atom_index(b[2]), K(14));
                mix2(h, (uint32_t)small_val(b[3]), 0, K(14));
                return;
            default:
                if (is_bitstring(t)) {
                    jhash_bits(h, t);
                    return;
                }
                mix_word(h, t, K(1));
                return;
            }
        }
        default:                    /* [], references */
            mix_word(h, t == NIL ? 0x3B : t, K(1));
            return;
        }
    }
}

uint32_t map_key_hash(Term t, unsigned salt)
{
    uint32_t h = salt ^ INTERNAL_SALT;
    term_hash(&h, t);
    return h;
}
