/*
 * bif_binary.c — the binary module's BIFs: searching (match, matches, split)
 * for one or several patterns, and byte access. A "compiled" pattern is just
 * the list of patterns (no Boyer-Moore tables): {unik_bm, [Pattern…]}.
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bifs_decl.h"

typedef struct { const uint8_t *s; uint64_t n; uint8_t *tofree; } Bytes;

static int get_bytes(Term t, Bytes *b)
{
    if (!is_bitstring(t) || bits_size(t) % 8)
        return 0;
    b->s = bits_bytes(t, &b->n, &b->tofree);
    return 1;
}

#define MAXPAT 64
typedef struct { Bytes p[MAXPAT]; int n; } Pats;

static void free_pats(Pats *ps)
{
    for (int i = 0; i < ps->n; i++)
        free(ps->p[i].tofree);
}

static int get_pats(Term t, Pats *ps)
{
    ps->n = 0;
    if (is_tuple(t) && tuple_size(t) == 2 && is_atom(tuple_ptr(t)[0]))
        t = tuple_ptr(t)[1];
    if (is_bitstring(t)) {
        if (!get_bytes(t, &ps->p[0]) || ps->p[0].n == 0)
            return 0;
        ps->n = 1;
        return 1;
    }
    for (; is_cons(t) && ps->n < MAXPAT; t = CDR(t)) {
        if (!get_bytes(CAR(t), &ps->p[ps->n]) || ps->p[ps->n].n == 0) {
            free_pats(ps);
            return 0;
        }
        ps->n++;
    }
    return is_nil(t) && ps->n > 0;
}

/* the leftmost (then longest) match at or after `from` within [from, end) */
static int find(const Bytes *h, uint64_t from, uint64_t end, const Pats *ps, uint64_t *at,
                uint64_t *len)
{
    if (ps->n == 1) {
        /* one pattern: memchr to each place its first byte occurs */
        const Bytes *p = &ps->p[0];
        if (from >= end || p->n > end - from)
            return 0;
        const uint8_t *q = h->s + from, *last = h->s + end - p->n;
        while (q <= last) {
            q = memchr(q, p->s[0], (size_t)(last - q) + 1);
            if (q == NULL)
                return 0;
            if (memcmp(q, p->s, p->n) == 0) {
                *at = (uint64_t)(q - h->s);
                *len = p->n;
                return 1;
            }
            q++;
        }
        return 0;
    }
    for (uint64_t i = from; i < end; i++) {
        uint64_t best = 0;
        for (int k = 0; k < ps->n; k++) {
            const Bytes *p = &ps->p[k];
            if (p->n <= end - i && p->n > best && p->s[0] == h->s[i] &&
                memcmp(h->s + i, p->s, p->n) == 0)
                best = p->n;
        }
        if (best) {
            *at = i;
            *len = best;
            return 1;
        }
    }
    return 0;
}

/* options: [{scope, {Start, Len}}] (and global/trim for split) */
static int scope(Term opts, uint64_t size, uint64_t *from, uint64_t *end, int *global, int *trim)
{
    *from = 0;
    *end = size;
    for (; is_cons(opts); opts = CDR(opts)) {
        Term o = CAR(opts);
        size_t n;
        if (is_atom(o)) {
            const char *s = atom_name(o, &n);
            if (n == 6 && memcmp(s, "global", 6) == 0)
                *global = 1;
            else if ((n == 4 && memcmp(s, "trim", 4) == 0) ||
                     (n == 8 && memcmp(s, "trim_all", 8) == 0))
                *trim = n == 4 ? 1 : 2;
            else
                return 0;
        } else if (is_tuple(o) && tuple_size(o) == 2 && is_tuple(tuple_ptr(o)[1]) &&
                   tuple_size(tuple_ptr(o)[1]) == 2) {
            Term s = tuple_ptr(tuple_ptr(o)[1])[0], l = tuple_ptr(tuple_ptr(o)[1])[1];
            if (!is_small(s) || !is_small(l))
                return 0;
            SInt a = small_val(s), b = small_val(l);
            if (b < 0) {
                a += b;
                b = -b;
            }
            if (a < 0 || (uint64_t)(a + b) > size)
                return 0;
            *from = (uint64_t)a;
            *end = (uint64_t)(a + b);
        } else {
            return 0;
        }
    }
    return is_nil(opts);
}

static Term do_match(Proc *p, Term *a, Term opts, int all)
{
    Bytes h;
    Pats ps;
    if (!get_bytes(a[0], &h))
        return badarg(p);
    if (!get_pats(a[1], &ps)) {
        free(h.tofree);
        return badarg(p);
    }
    uint64_t from, end, at, len;
    int g = 0, t = 0;
    if (!scope(opts, h.n, &from, &end, &g, &t)) {
        free(h.tofree);
        free_pats(&ps);
        return badarg(p);
    }
    Term r;
    if (!all) {
        r = find(&h, from, end, &ps, &at, &len) ?
            mk_tuple2(p, make_small((SInt)at), make_small((SInt)len)) : AM(nomatch);
    } else {
        Term rev = NIL;
        while (from < end && find(&h, from, end, &ps, &at, &len)) {
            rev = cons(p, mk_tuple2(p, make_small((SInt)at), make_small((SInt)len)), rev);
            from = at + len;
        }
        r = NIL;
        for (; is_cons(rev); rev = CDR(rev))
            r = cons(p, CAR(rev), r);
    }
    free(h.tofree);
    free_pats(&ps);
    return r;
}

BIF(bif_bin_compile_pattern)
{
    Pats ps;
    if (!get_pats(a[0], &ps))
        return badarg(p);
    free_pats(&ps);
    return mk_tuple2(p, atom_from("unik_bm", 7, 1), is_list(a[0]) ? a[0] : cons(p, a[0], NIL));
}
BIF(bif_bin_match2) { return do_match(p, a, NIL, 0); }
BIF(bif_bin_match3) { return do_match(p, a, a[2], 0); }
BIF(bif_bin_matches2) { return do_match(p, a, NIL, 1); }
BIF(bif_bin_matches3) { return do_match(p, a, a[2], 1); }

static Term do_split(Proc *p, Term *a, Term opts)
{
    Bytes h;
    Pats ps;
    if (!get_bytes(a[0], &h))
        return badarg(p);
    if (!get_pats(a[1], &ps)) {
        free(h.tofree);
        return badarg(p);
    }
    uint64_t from, end, at, len;
    int global = 0, trim = 0;
    if (!scope(opts, h.n, &from, &end, &global, &trim)) {
        free(h.tofree);
        free_pats(&ps);
        return badarg(p);
    }
    /* pieces as (start, length) pairs, as many as there are; the scope
       only limits where patterns are found */
    size_t cap = 64, n = 0;
    uint64_t *pc = malloc(2 * cap * sizeof(uint64_t));
    uint64_t piece = 0;
    for (;;) {
        int found = from < end && find(&h, from, end, &ps, &at, &len);
        if (pc != NULL && n + 2 > cap) {
            cap *= 2;
            uint64_t *more = realloc(pc, 2 * cap * sizeof(uint64_t));
            if (more == NULL)
                free(pc);
            pc = more;
        }
        if (pc == NULL)
            fatal("out of memory (binary:split)");
        pc[2 * n] = piece;
        pc[2 * n + 1] = (found ? at : h.n) - piece;
        n++;
        if (!found)
            break;
        piece = at + len;
        from = piece;
        if (!global) {
            pc[2 * n] = piece;          /* the rest: the last piece */
            pc[2 * n + 1] = h.n - piece;
            n++;
            break;
        }
    }
    free(h.tofree);
    free_pats(&ps);
    if (trim == 1)
        while (n > 0 && pc[2 * n - 1] == 0)
            n--;
    Term r = NIL;
    for (size_t i = n; i > 0; i--) {
        if (trim == 2 && pc[2 * i - 1] == 0)
            continue;
        r = cons(p, bits_sub(p, a[0], pc[2 * i - 2] * 8, pc[2 * i - 1] * 8), r);
    }
    free(pc);
    return r;
}
BIF(bif_bin_split2) { return do_split(p, a, NIL); }
BIF(bif_bin_split3) { return do_split(p, a, a[2]); }

BIF(bif_bin_at)
{
    Bytes h;
    if (!get_bytes(a[0], &h) || !is_small(a[1]))
        return badarg(p);
    SInt i = small_val(a[1]);
    Term r = (i < 0 || (uint64_t)i >= h.n) ? NONV : make_small(h.s[i]);
    free(h.tofree);
    return r == NONV ? badarg(p) : r;
}
BIF(bif_bin_first)
{
    Bytes h;
    if (!get_bytes(a[0], &h) || h.n == 0)
        return badarg(p);
    Term r = make_small(h.s[0]);
    free(h.tofree);
    return r;
}
BIF(bif_bin_last)
{
    Bytes h;
    if (!get_bytes(a[0], &h) || h.n == 0)
        return badarg(p);
    Term r = make_small(h.s[h.n - 1]);
    free(h.tofree);
    return r;
}
BIF(bif_bin_copy)
{
    Bytes h;
    if (!get_bytes(a[0], &h) || !is_small(a[1]) || small_val(a[1]) < 0)
        return badarg(p);
    uint64_t k = (uint64_t)small_val(a[1]);
    Term r = make_binary(p, NULL, h.n * k);
    for (uint64_t i = 0; i < k; i++)
        memcpy(bin_bytes(r) + i * h.n, h.s, h.n);
    free(h.tofree);
    return r;
}
BIF(bif_bin_to_list3)
{
    Bytes h;
    if (!get_bytes(a[0], &h) || !is_small(a[1]) || !is_small(a[2]))
        return badarg(p);
    SInt s = small_val(a[1]), l = small_val(a[2]);
    if (l < 0) {
        s += l;
        l = -l;
    }
    if (s < 0 || (uint64_t)(s + l) > h.n) {
        free(h.tofree);
        return badarg(p);
    }
    Term r = NIL;
    for (SInt i = s + l; i > s; i--)
        r = cons(p, make_small(h.s[i - 1]), r);
    free(h.tofree);
    return r;
}
