/* bits.h — binaries and bitstrings: views, reading bits, the bit syntax (bits.c). */
#ifndef ERL_BITS_H
#define ERL_BITS_H

#include "vm.h"

typedef struct {
    const uint8_t *data;
    uint64_t off;       /* first bit, from data */
    uint64_t bits;      /* length */
} BitView;

void bits_view(Term t, BitView *v);
uint64_t bits_size(Term t);
/* 8 bits starting at bit i of the view (i + 8 <= bits) */
unsigned bits_byte(const BitView *v, uint64_t i);
static inline unsigned bits_bit(const BitView *v, uint64_t i)
{
    uint64_t b = v->off + i;
    return (v->data[b >> 3] >> (7 - (b & 7))) & 1;
}
/* copy n bits from src at bit s into dst at bit d */
void bits_copy(uint8_t *dst, uint64_t d, const uint8_t *src, uint64_t s, uint64_t n);
/* a sub-binary (or a fresh binary) of t's bits [off, off + n) */
Term bits_sub(Proc *p, Term t, uint64_t off, uint64_t n);
/* the bytes of a byte-aligned bitstring, contiguous (may point into the term) */
const uint8_t *bits_bytes(Term t, uint64_t *len, uint8_t **tofree);

/* runs one bs_* instruction at *pc; -1: an exception is set */
int bs_op(Proc *p, uint64_t op, uint64_t *pc, Term *E);

#endif
