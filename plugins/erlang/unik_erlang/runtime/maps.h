/* maps.h — maps as sorted key tuples with their values (maps.c). */
#ifndef ERL_MAPS_H
#define ERL_MAPS_H

#include "vm.h"

static inline uint64_t map_size(Term m) { return box_arity(m) - 1; }
static inline Term map_keys(Term m) { return box_ptr(m)[1]; }
static inline Term *map_vals(Term m) { return box_ptr(m) + 2; }

Term map_get(Term m, Term key);                 /* NONV if absent */
Term map_new(Proc *p, Term *keys, Term *vals, uint64_t n);   /* any order; last key wins */
Term map_put(Proc *p, Term m, Term key, Term val);
Term map_remove(Proc *p, Term m, Term key);
/* put_map_assoc / put_map_exact: pairs of (key, value) operand words */
Term map_put_many(Proc *p, Term m, const uint64_t *pairs, uint64_t n, Term *E, int exact);
int term_cmp_exact(Term a, Term b);

#endif
