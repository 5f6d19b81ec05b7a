/* bifs_decl.h — prototypes of every BIF named in bifs.h. */
#ifndef ERL_BIFS_DECL_H
#define ERL_BIFS_DECL_H

#include "vm.h"
#include "bits.h"

#define BIF(name) Term name(Proc *p, Term *a)
#define B(fn, m, f, ar) BIF(fn);
#include "bifs.h"
#undef B

static inline uint64_t bits_size_of(Term t) { return bits_size(t); }

#endif
