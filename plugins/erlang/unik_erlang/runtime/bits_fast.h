/*
 * bits_fast.h — the steps of a binary-matching loop that need no allocation,
 * inline in the interpreter's bs_* handler (emu.c) so that a loop such as
 * m(<<X:32, Rest/binary>>, S) -> m(Rest, S + X) costs no call into bs_op
 * per step: starting on a match context, positions, unit and tail tests,
 * skips, and unsigned big-endian integer fields of 1–64 bits that fit a small
 * integer. Everything else (and every failure) goes to bs_op (bits.c).
 */
#ifndef ERL_BITS_FAST_H
#define ERL_BITS_FAST_H

#include "vm.h"
#include "genop.h"

/* n <= 64 bits at bit pos of d, as an unsigned number (d may be read one byte
   past the field when it is unaligned: binaries keep a spare byte) */
static inline uint64_t read_u64(const uint8_t *d, uint64_t pos, unsigned n)
{
    const uint8_t *p = d + (pos >> 3);
    unsigned sh = pos & 7;
    uint64_t v = 0;
    unsigned i = 0;
    if (sh == 0) {
        for (; i + 8 <= n; i += 8)
            v = (v << 8) | *p++;
    } else {
        for (; i + 8 <= n; i += 8, p++)
            v = (v << 8) | (((unsigned)p[0] << sh | p[1] >> (8 - sh)) & 0xff);
    }
    unsigned r = n - i;
    if (r > 0) {
        unsigned b = sh + r <= 8 ? (unsigned)(p[0] << sh) & 0xff
                                 : ((unsigned)p[0] << sh | p[1] >> (8 - sh)) & 0xff;
        v = (v << r) | (b >> (8 - r));
    }
    return v;
}

#define BSF_LITTLE 2
#define BSF_SIGNED 4
#define BSX_CTX(c) box_ptr(c)                        /* [hdr, base, pos, end] */

/* 1: the instruction at *pc was run and *pc moved on; 0: leave it to bs_op */
static inline __attribute__((always_inline)) int bs_fast(uint64_t op, uint64_t *pc, Term *E)
{
    const uint64_t *w = &erl_code[*pc];
    switch (op) {
    case G_BS_START_MATCH3:     /* Fail Bin Live Dst */
    case G_BS_START_MATCH4: {   /* Fail Live Src Dst */
        Term b = SRC(w[op == G_BS_START_MATCH3 ? 2 : 3]);
        if (!is_box_of(b, S_MATCHCTX))
            return 0;
        DST(w[4]) = b;
        *pc += 5;
        return 1;
    }
    case G_BS_GET_POSITION:
        DST(w[2]) = BSX_CTX(SRC(w[1]))[2];
        *pc += 4;
        return 1;
    case G_BS_SET_POSITION:
        BSX_CTX(SRC(w[1]))[2] = SRC(w[2]);
        *pc += 3;
        return 1;
    case G_BS_TEST_TAIL2: {
        /* Fail Ctx Bits */
        Term *c = BSX_CTX(SRC(w[2]));
        *pc = (uint64_t)(small_val(c[3]) - small_val(c[2])) == w[3] ? *pc + 4 : w[1];
        return 1;
    }
    case G_BS_TEST_UNIT: {
        /* Fail Ctx Unit */
        Term *c = BSX_CTX(SRC(w[2]));
        uint64_t left = (uint64_t)(small_val(c[3]) - small_val(c[2])), u = w[3];
        int ok = u == 0 || ((u & (u - 1)) == 0 ? (left & (u - 1)) == 0 : left % u == 0);
        *pc = ok ? *pc + 4 : w[1];
        return 1;
    }
    case G_BS_SKIP_BITS2: {
        /* Fail Ctx Size Unit Flags */
        Term *c = BSX_CTX(SRC(w[2]));
        Term size = SRC(w[3]);
        if (!is_small(size) || small_val(size) < 0 || small_val(size) > (1LL << 40))
            return 0;
        uint64_t n = (uint64_t)small_val(size) * w[4];
        uint64_t pos = (uint64_t)small_val(c[2]);
        if (n > (uint64_t)small_val(c[3]) - pos)
            return 0;
        c[2] = make_small((SInt)(pos + n));
        *pc += 6;
        return 1;
    }
    case G_BS_GET_INTEGER2: {
        /* Fail Ctx Live Size Unit Flags Dst */
        Term *c = BSX_CTX(SRC(w[2]));
        Term size = SRC(w[4]);
        if (!is_small(size) || (w[6] & (BSF_LITTLE | BSF_SIGNED)))
            return 0;
        uint64_t n = (uint64_t)small_val(size) * w[5];
        uint64_t pos = (uint64_t)small_val(c[2]);
        if (n == 0 || n > 64 || small_val(size) < 0 || n > (uint64_t)small_val(c[3]) - pos)
            return 0;
        uint64_t v = read_u64(bin_bytes(c[1]), pos, (unsigned)n);
        if (v > (uint64_t)MAX_SMALL)
            return 0;
        c[2] = make_small((SInt)(pos + n));
        DST(w[7]) = make_small((SInt)v);
        *pc += 8;
        return 1;
    }
    default:
        return 0;
    }
}

#endif
