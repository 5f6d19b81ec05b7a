/* bignum.h — big integer arithmetic (bignum.c), used by arith.c and the BIFs. */
#ifndef ERL_BIGNUM_H
#define ERL_BIGNUM_H

#include "vm.h"

size_t int_digits(Term t, uint32_t buf[2], const uint32_t **d, int *neg);
int mag_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);
Term big_add(Proc *p, Term a, Term b, int negate_b);
Term big_mul(Proc *p, Term a, Term b);
void big_divrem(Proc *p, Term a, Term b, Term *quot, Term *rem);
Term big_from_double(Proc *p, double f);
Term big_bitop(Proc *p, Term a, Term b, int op);     /* 0 and, 1 or, 2 xor */
Term big_shift(Proc *p, Term a, SInt n);
char *big_to_chars(Term t, int base, size_t *len, int *neg);
Term big_from_chars(Proc *p, const char *s, size_t n, int base, int neg);

#endif
