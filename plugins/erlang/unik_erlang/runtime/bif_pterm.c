/*
 * bif_pterm.c — persistent_term: terms stored for the whole run under a key,
 * readable by every process. Each key and value is a copy in a block of its
 * own (as ETS objects, copy_term_block); get/1,2 copy the value onto the
 * reader's heap (erl shares it without a copy — the result is the same).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "maps.h"
#include "bifs_decl.h"

extern Term copy_term_block(Term t, Term **block);

typedef struct { Term key, value; Term *kblock, *vblock; } PTerm;

static PTerm *pterms;
static uint64_t npterms, cap;

static PTerm *find(Term key)
{
    for (uint64_t i = 0; i < npterms; i++)
        if (term_eq_exact(pterms[i].key, key))
            return &pterms[i];
    return NULL;
}

BIF(bif_pterm_put)
{
    (void)p;
    PTerm *t = find(a[0]);
    if (t != NULL) {
        free(t->vblock);
        t->value = copy_term_block(a[1], &t->vblock);
        return AM(ok);
    }
    if (npterms == cap) {
        cap = cap ? cap * 2 : 16;
        pterms = realloc(pterms, cap * sizeof(PTerm));
        if (pterms == NULL)
            fatal("out of memory (persistent_term)");
    }
    t = &pterms[npterms++];
    t->key = copy_term_block(a[0], &t->kblock);
    t->value = copy_term_block(a[1], &t->vblock);
    return AM(ok);
}

BIF(bif_pterm_get1)
{
    PTerm *t = find(a[0]);
    return t ? copy_term(p, t->value) : badarg(p);
}

BIF(bif_pterm_get2)
{
    PTerm *t = find(a[0]);
    return t ? copy_term(p, t->value) : a[1];
}

BIF(bif_pterm_erase)
{
    (void)p;
    PTerm *t = find(a[0]);
    if (t == NULL)
        return AM(false);
    free(t->kblock);
    free(t->vblock);
    *t = pterms[--npterms];
    return AM(true);
}

BIF(bif_pterm_get0)
{
    (void)a;
    Term l = NIL;
    for (uint64_t i = npterms; i > 0; i--)
        l = cons(p, mk_tuple2(p, copy_term(p, pterms[i - 1].key),
                              copy_term(p, pterms[i - 1].value)), l);
    return l;
}

BIF(bif_pterm_info)
{
    (void)a;
    size_t words = 0;
    for (uint64_t i = 0; i < npterms; i++)
        words += term_size(pterms[i].key) + term_size(pterms[i].value);
    Term k[2] = {atom_from("count", 5, 1), atom_from("memory", 6, 1)};
    Term v[2] = {make_small((SInt)npterms), make_small((SInt)(words * 8))};
    return map_new(p, k, v, 2);
}
